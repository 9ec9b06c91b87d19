/**
 * `strata fmt` without the CLI: parse a file and print it canonically, and
 * write files atomically.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatProgram } from '../frontend/format.js';
import { parseSource } from '../frontend/parse.js';
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

export { writeFileAtomic } from '../util/atomic-write.js';
