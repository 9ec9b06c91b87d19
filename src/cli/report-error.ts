import { UserError, errorMessage } from '../util/user-error.js';
import type { Io } from './io.js';

/**
 * Prints an error as one line on stderr, `strata: MESSAGE`; with `verbose`,
 * the stack trace follows. An error that is not a `UserError` is a bug, and
 * the line says how to see its stack.
 */
export function reportError(io: Io, error: unknown, verbose: boolean): void {
  const internal = !(error instanceof UserError);
  const suffix = internal && !verbose ? ' (run with --verbose for the stack trace)' : '';
  io.stderr(`strata: ${internal ? 'internal error: ' : ''}${errorMessage(error)}${suffix}\n`);
  if (verbose && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
}
