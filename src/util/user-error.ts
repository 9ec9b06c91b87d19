/**
 * An error caused by the user's input or environment (a missing file, a bad
 * option value), not by a bug in Strata. Its message is complete on its own:
 * the CLI prints it as one line, without a stack trace unless `--verbose`.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** The message of any thrown value, on one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
