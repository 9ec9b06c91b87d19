/**
 * Reading .ppl files from disk and running the front end on them: the first
 * stage of every command (parse -> check -> IR).
 */
import { readFile } from 'node:fs/promises';
import { checkSource, type CheckResult } from '../frontend/check.js';
import { UserError } from '../util/user-error.js';

/** A source file that could not be read (missing, a directory, no permission). */
export class SourceFileError extends UserError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceFileError';
  }
}

/** A file read from disk and checked by the front end. */
export interface CheckedFile {
  /** The path as given (used in diagnostics). */
  readonly path: string;
  readonly source: string;
  readonly result: CheckResult;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Reads a source file as UTF-8.
 *
 * @throws SourceFileError with a one-line message such as
 *   `cannot read 'models/x.ppl': no such file or directory`
 */
export async function readSourceFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = (code !== undefined ? REASONS[code] : undefined) ?? (cause instanceof Error ? cause.message : String(cause));
    throw new SourceFileError(path, `cannot read '${path}': ${reason}`, { cause });
  }
}

/**
 * Reads and checks a .ppl file: diagnostics, and the IR when it has no errors.
 *
 * @example const { result } = await checkFile('models/linear-gaussian.ppl'); result.ir?.latents
 * @throws SourceFileError when the file cannot be read (never for problems in its content)
 */
export async function checkFile(path: string): Promise<CheckedFile> {
  const source = await readSourceFile(path);
  return { path, source, result: checkSource(source) };
}
