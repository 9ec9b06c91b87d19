/**
 * Finding the data directory (the folder laid out like shared/data:
 * natural_images/, textures/, mnist/, binarized_mnist/). In order:
 *
 *   1. an explicit option (`--data-dir` on the command line), which must exist;
 *   2. the `STRATA_DATA` environment variable, which must exist when set;
 *   3. `../shared/data` relative to the current working directory, when present;
 *   4. `../shared/data` relative to the package root, when present.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from './data-error.js';

export interface DataDirLookup {
  /** The directory found, absolute, or undefined. */
  readonly dir: string | undefined;
  /** Where it came from. */
  readonly from: 'option' | 'STRATA_DATA' | 'cwd' | 'package' | undefined;
  /** Every place looked at, in order (for messages). */
  readonly looked: readonly string[];
}

export interface FindDataDirOptions {
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** The package root to look beside; default found from this module, `null` to skip that step. */
  readonly packageRoot?: string | null;
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** The root of this package (the folder of its package.json), found upward from this module. */
export function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'strata-ppl') return dir;
      } catch {
        // not ours; keep going up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Looks for the data directory (see the module comment for the order).
 *
 * @throws DataError when an explicit option or STRATA_DATA names a folder that does not exist
 * @example const { dir } = findDataDir({ dataDir: opts.dataDir });
 */
export function findDataDir(options: FindDataDirOptions = {}): DataDirLookup {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.dataDir !== undefined) {
    const dir = resolve(cwd, options.dataDir);
    if (!isDirectory(dir)) throw new DataError(`data directory ${dir} (given by --data-dir) does not exist or is not a directory`);
    return { dir, from: 'option', looked: [dir] };
  }
  const fromEnv = env.STRATA_DATA;
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = resolve(cwd, fromEnv);
    if (!isDirectory(dir)) throw new DataError(`data directory ${dir} (from STRATA_DATA) does not exist or is not a directory`);
    return { dir, from: 'STRATA_DATA', looked: [dir] };
  }
  const looked: string[] = [];
  const candidates: [string, 'cwd' | 'package'][] = [[resolve(cwd, '..', 'shared', 'data'), 'cwd']];
  const root = options.packageRoot === undefined ? packageRoot() : options.packageRoot ?? undefined;
  if (root !== undefined) candidates.push([resolve(root, '..', 'shared', 'data'), 'package']);
  for (const [dir, from] of candidates) {
    if (looked.includes(dir)) continue;
    looked.push(dir);
    if (isDirectory(dir)) return { dir, from, looked };
  }
  return { dir: undefined, from: undefined, looked };
}

/** The one-line message for a dataset whose data directory was not found. */
export function noDataDirMessage(dataset: string, looked: readonly string[]): string {
  return `dataset '${dataset}' needs data files but no data directory was found (looked in ${looked.join(', ')}); pass --data-dir DIR or set STRATA_DATA=DIR (the folder holding natural_images/, textures/, mnist/, binarized_mnist/; see docs/data.md)`;
}

/** The found directory, or a DataError saying where it looked and how to point to the data. */
export function requireDataDir(lookup: DataDirLookup, dataset: string): string {
  if (lookup.dir === undefined) throw new DataError(noDataDirMessage(dataset, lookup.looked));
  return lookup.dir;
}
