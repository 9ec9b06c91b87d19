/**
 * `strata train`'s defaults and what a resume does with options it cannot
 * apply (regressions: `--objective vae` trained with k = 10, ten times the
 * ELBO's cost, without saying so; `--resume --k 50` ignored --k silently).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { sampleOneLevel, TestRandom } from '../helpers/linear-gaussian.js';
import { run } from './run-cli.js';

const LINEAR_GAUSSIAN = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
let tmp = '';
let X = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-train-options-'));
  const rng = new TestRandom(2);
  X = join(tmp, 'x.f32');
  writeFileSync(X, Buffer.from(Float32Array.from(sampleOneLevel({ W: rng.matrix(4, 6, 0.8), b: rng.normals(6) }, 120, rng).flat()).buffer));
  writeFileSync(`${X}.json`, JSON.stringify({ shape: [120, 6], dtype: 'float32' }));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const train = (out: string, ...more: string[]) => run('train', LINEAR_GAUSSIAN, '--data', `file:${X}`, '--out', join(tmp, out), '--backend', 'cpu', '--batch', '60', '--epochs', '1', ...more);

describe('strata train options', () => {
  it('--objective vae defaults to k = 1, the others to k = 10, and the header says which', async () => {
    const vae = await train('vae', '--objective', 'vae');
    expect(vae.code, vae.stderr).toBe(0);
    expect(vae.stderr.split('\n')[2]).toBe('objective: vae, k = 1, estimator reparam');
    expect((await loadCheckpoint(join(tmp, 'vae'))).runInfo.options.k).toBe(1);
    const iwae = await train('iwae');
    expect(iwae.stderr.split('\n')[2]).toBe('objective: iwae, k = 10, estimator reparam');
    expect((await loadCheckpoint(join(tmp, 'iwae'))).runInfo.options.k).toBe(10);
  });

  it('--resume warns about each recorded option given with another value, names the run\'s, and keeps it', async () => {
    expect((await train('resumed', '--k', '3', '--seed', '4')).code).toBe(0);
    const out = join(tmp, 'resumed');
    const r = await run('train', '--resume', out, '--epochs', '2', '--k', '50', '--lr', '0.5', '--seed', '4', '--backend', 'cpu');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe("warning: --resume continues the run with its own options; ignored --k 50 (the run's: 3), --lr 0.5 (the run's: 0.001) (start a new run with --out to change them)");
    expect(r.stderr.split('\n')).toContain('objective: iwae, k = 3, estimator reparam');
    expect((await loadCheckpoint(out)).runInfo.options).toMatchObject({ k: 3, learningRate: 0.001, epochs: 2 });
    const same = await run('train', '--resume', out, '--epochs', '3', '--k', '3', '--backend', 'cpu');
    expect(same.code).toBe(0);
    expect(same.stderr).not.toContain('warning');
  });
});
