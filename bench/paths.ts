/**
 * Where things are, independent of where the compiled benchmark lives
 * (dist-bench/bench/*.js) and of the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file whose package.json is strata-ppl's. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'strata-ppl') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no strata-ppl package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The benchmark model, the TDVAE at width 512. */
export const BENCH_MODEL = 'models/tdvae-bench.ppl';
