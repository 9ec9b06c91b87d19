/**
 * The example models shipped in the package's `models/` folder, by name, so
 * an application can load one without knowing where npm put the package.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suggestName } from '../util/suggest.js';
import { UserError } from '../util/user-error.js';

/** `models/` beside `src/` and `dist/`: this file is `src/driver/` or `dist/driver/`. */
const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** The names of the bundled models (`linear-gaussian`, `tdvae`, ...), sorted. */
export function bundledModelNames(): string[] {
  return readdirSync(MODELS_DIR)
    .filter((f) => f.endsWith('.ppl'))
    .map((f) => f.slice(0, -'.ppl'.length))
    .sort();
}

/**
 * The absolute path of the bundled model `models/<name>.ppl`, for `loadModel`.
 *
 * @param name a model's name without `.ppl` (`'tdvae'`; a trailing `.ppl` is accepted)
 * @returns the absolute path of its `.ppl` file inside the installed package
 * @throws UserError for an unknown name, listing the bundled ones
 * @example
 * const model = await loadModel(bundledModel('linear-gaussian'));
 */
export function bundledModel(name: string): string {
  const stem = name.endsWith('.ppl') ? name.slice(0, -'.ppl'.length) : name;
  const names = bundledModelNames();
  if (!names.includes(stem)) {
    const suggestion = suggestName(stem, names);
    throw new UserError(`bundledModel: no bundled model '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; the bundled models are ${names.join(', ')}`);
  }
  return join(MODELS_DIR, `${stem}.ppl`);
}
