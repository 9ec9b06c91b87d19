/**
 * The data directory of a reproduction, checked before anything trains: it
 * must hold every file the reproduction reads. Errors name the reproduction,
 * the first missing file, the directory looked in and how it was chosen
 * (`--data`, $STRATA_DATA, or ../shared/data), as `DataError`s (src/data).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../src/data/data-error.js';
import { findDataDir } from '../../src/data/index.js';

const FROM: Record<string, string> = { option: 'given by --data', STRATA_DATA: 'from $STRATA_DATA', cwd: '../shared/data beside the working directory', package: '../shared/data beside the package' };

/**
 * @param experiment the reproduction's name, first in every message (`thesis-ch5`)
 * @param paths the files it needs, relative to the data directory
 * @param dataDir `--data DIR`, else $STRATA_DATA, else ../shared/data (docs/data.md)
 * @returns the data directory, absolute
 * @throws DataError naming the missing file and the directory it looked in
 * @example findDataFilesFor('thesis-ch5', ['natural_images/olshausen_whitened_10x512x512.f32'])
 */
export function findDataFilesFor(experiment: string, paths: readonly string[], dataDir?: string): string {
  let lookup;
  try {
    lookup = findDataDir(dataDir === undefined ? {} : { dataDir });
  } catch (e) {
    throw new DataError(`${experiment}: ${(e as Error).message.replace('--data-dir', '--data')}`);
  }
  if (lookup.dir === undefined) {
    throw new DataError(`${experiment}: no data directory found (looked in ${lookup.looked.join(', ')}); pass --data DIR or set STRATA_DATA=DIR, DIR holding ${paths.join(', ')} (see ../shared/data/README.md)`);
  }
  const missing = paths.filter((p) => !existsSync(join(lookup.dir!, p)));
  if (missing.length > 0) {
    throw new DataError(`${experiment}: missing file ${join(lookup.dir, missing[0]!)} (looked in the data directory ${lookup.dir}, ${FROM[lookup.from!]}; it needs ${paths.join(', ')}${missing.length > 1 ? `; ${missing.length} of the ${paths.length} are missing` : ''})`);
  }
  return lookup.dir;
}
