/**
 * `strata fmt` without the CLI: parse a file and print it canonically, and
 * write files atomically.
 */
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatProgram } from '../frontend/format.js';
import { parseSource } from '../frontend/parse.js';
import { UserError } from '../util/user-error.js';
import { readSourceFile } from './load-source.js';

/** A file and its canonical formatting (absent when it has syntax errors). */
export interface FormattedFile {
  readonly path: string;
  readonly source: string;
  /** Syntax diagnostics; formatting needs only a parse, not a valid model. */
  readonly diagnostics: readonly Diagnostic[];
  readonly formatted?: string;
}

/**
 * Reads a file and formats it with `formatProgram`.
 *
 * @throws SourceFileError when the file cannot be read
 */
export async function formatFile(path: string): Promise<FormattedFile> {
  const source = await readSourceFile(path);
  const parsed = parseSource(source);
  if (parsed.program === undefined) return { path, source, diagnostics: parsed.diagnostics };
  return { path, source, diagnostics: parsed.diagnostics, formatted: formatProgram(parsed.program, parsed.comments) };
}

/**
 * Replaces a file's contents atomically: writes a temporary file in the same
 * directory (same file system), flushes it, gives it the original's mode, then
 * renames it over the original. Readers see the old or the new text, never a
 * half-written file; on failure the original is untouched. A symbolic link is
 * followed, so the link stays and its target gets the new text.
 *
 * @throws UserError naming the file when any step fails
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const mode = await stat(target).then((s) => s.mode & 0o7777, () => 0o644);
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UserError(`cannot write '${path}': ${reason}`, { cause });
  }
}
