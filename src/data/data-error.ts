/**
 * The one error type of `src/data`: a problem with a data file, a data
 * directory or a dataset option. Its message is one line that names the file
 * (or the option) first and then says what is wrong, e.g.
 *
 *   `/data/mnist/train-images-idx3-ubyte.gz: truncated file (expected 47040016 bytes, found 1000)`
 */
import { UserError } from '../util/user-error.js';

export class DataError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' ').trim(), options);
    this.name = 'DataError';
  }
}

/** A `DataError` about one file: `"<path>: <problem>"`. */
export function fileError(path: string, problem: string, cause?: unknown): DataError {
  return new DataError(`${path}: ${problem}`, cause === undefined ? undefined : { cause });
}
