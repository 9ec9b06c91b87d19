import { StrataError } from '../driver/strata-error.js';
import { UserError, errorMessage } from '../util/user-error.js';
import type { Io } from './io.js';

/**
 * Prints an error on stderr: one line, `strata: MESSAGE`; with `verbose`, the
 * stack trace follows. A model with errors (`StrataError`) prints its rendered
 * diagnostics instead. Any other error that is not a `UserError` is a bug, and
 * its line says how to see the stack.
 */
export function reportError(io: Io, error: unknown, verbose: boolean): void {
  if (error instanceof StrataError) {
    io.stderr(`strata: ${error.message.trimEnd()}\n`);
    return;
  }
  const internal = !(error instanceof UserError);
  const suffix = internal && !verbose ? ' (run with --verbose for the stack trace)' : '';
  io.stderr(`strata: ${internal ? 'internal error: ' : ''}${errorMessage(error)}${suffix}\n`);
  if (verbose && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
}
