/**
 * `strata eval` on rows other than the run's own test split: `--count` draws
 * a seeded random subset (regression: it took the first n rows, and a file
 * sorted by anything gave a biased bound), `--split train|all`, and `--data
 * file:OTHER` on a run trained with `--test N` (regression: "asked for N test
 * rows but the split has only M" and no way on).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, sampleOneLevel, TestRandom, type Matrix } from '../helpers/linear-gaussian.js';
import { run } from './run-cli.js';
import { matrix } from '../../src/data/matrix.js';
import { evaluateRows, randomRowSubset } from '../../src/driver/evaluate-run.js';
import { loadOneLevel } from '../helpers/models.js';

const LINEAR_GAUSSIAN = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
let tmp = '';
const path = (name: string) => join(tmp, name);

function writeF32(name: string, rows: Matrix): string {
  const file = path(name);
  writeFileSync(file, Buffer.from(Float32Array.from(rows.flat()).buffer));
  writeFileSync(`${file}.json`, JSON.stringify({ shape: [rows.length, rows[0]!.length], dtype: 'float32' }));
  return file;
}

interface EvalJson { dataset: string; bound: { mean: number; se: number; n: number }; perPoint: number[]; psis?: { samples: number } }
async function evalJson(...args: string[]): Promise<EvalJson> {
  const r = await run('eval', ...args, '--k', '20', '--backend', 'cpu', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as EvalJson;
}

const RUN = () => path('run');
let SORTED = '';
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-eval-'));
  const rng = new TestRandom(4);
  const params = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6) };
  const x = writeF32('x.f32', sampleOneLevel(params, 400, rng));
  // 200 rows from the model, the first 100 of them shifted far off: "sorted" so the first rows are unlike the rest.
  SORTED = writeF32('sorted.f32', sampleOneLevel(params, 200, rng).map((row, i) => (i < 100 ? row.map((v) => v + 4) : row)));
  const r = await run('train', LINEAR_GAUSSIAN, '--data', `file:${x}`, '--test', '40', '--out', RUN(), '--backend', 'cpu', '--epochs', '3', '--batch', '60', '--k', '2', '--lr', '0.02');
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('strata eval on other rows', () => {
  it('--data file:OTHER --split all evaluates every row of another file, whatever the run\'s --test was', async () => {
    const all = await evalJson(RUN(), '--data', `file:${SORTED}`, '--split', 'all');
    expect(all.bound.n).toBe(200);
    expect(all.dataset).toMatch(/^file .*sorted\.f32 .*; evaluated: the whole dataset \(200 rows\)$/);
  });

  it('--count draws a seeded random subset, the same for the same seed, and says so', async () => {
    const sub = await evalJson(RUN(), '--data', `file:${SORTED}`, '--split', 'all', '--count', '100', '--seed', '3');
    expect(sub.bound.n).toBe(100);
    expect(sub.dataset).toContain('; evaluated: a seeded random 100 of the 200 rows of the whole dataset');
    const again = await evalJson(RUN(), '--data', `file:${SORTED}`, '--split', 'all', '--count', '100', '--seed', '3');
    expect(again.perPoint).toEqual(sub.perPoint);
  });

  it('evaluateRows on rows in file order (as MNIST\'s are): count rows at random, not the first ones', async () => {
    const model = await loadOneLevel(1);
    try {
      const rows = sampleOneLevel({ W: new TestRandom(8).matrix(4, 6, 0.8), b: new Array(6).fill(0) }, 400, new TestRandom(9)).map((row, i) => (i < 200 ? row.map((v) => v + 3) : row));
      const m = matrix(Float32Array.from(rows.flat()), 400, 6);
      const all = await evaluateRows(model, m, { k: 10, seed: 1 });
      const sub = await evaluateRows(model, m, { k: 10, seed: 1, count: 100 });
      const fpc = Math.sqrt((400 - 100) / (400 - 1));
      expect(Math.abs(sub.bound.mean - all.bound.mean)).toBeLessThan(4 * sub.bound.se * fpc);
      const first = all.perPoint.slice(0, 100).reduce((a, b) => a + b, 0) / 100; // what count = 100 used to evaluate
      expect(Math.abs(first - all.bound.mean)).toBeGreaterThan(4 * sub.bound.se * fpc);
      expect(randomRowSubset(m, 100, 1).rows).toBe(100);
      expect(randomRowSubset(m, 100, 1).values).toEqual(randomRowSubset(m, 100, 1).values);
      expect(randomRowSubset(m, 100, 2).values).not.toEqual(randomRowSubset(m, 100, 1).values);
    } finally {
      model.dispose();
    }
  });

  it('--split train and the default test split of the run\'s own data', async () => {
    const test = await evalJson(RUN());
    expect(test.bound.n).toBe(40);
    expect(test.dataset).toContain('; evaluated: the test split (40 rows)');
    const train = await evalJson(RUN(), '--split', 'train');
    expect(train.bound.n).toBe(360);
    expect(train.dataset).toContain('; evaluated: the training split (360 rows)');
  });

  it('an unknown --split is refused', async () => {
    const r = await run('eval', RUN(), '--split', 'valid', '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--split.*valid.*test, train, all/);
  });
});

describe('strata eval --psis', () => {
  it('k̂ is small for a near-exact guide and large for one far too narrow (linear-Gaussian, closed-form posterior)', async () => {
    const model = await loadOneLevel(3);
    try {
      const params = { W: new TestRandom(21).matrix(4, 6, 0.8), b: new Array<number>(6).fill(0) };
      const rows = sampleOneLevel(params, 8, new TestRandom(22));
      const m = matrix(Float32Array.from(rows.flat()), 8, 6);
      const at = async (inflate: number) => {
        model.setParameters({ ...oneLevelModelParameters(params), ...oneLevelGuideParameters(oneLevelMeanFieldGuide(params, inflate)) });
        return (await evaluateRows(model, m, { k: 2000, seed: 1, psis: true })).psis!;
      };
      const wide = await at(1.2); // the mean-field guide of the exact posterior, a little wide: light-tailed weights
      const narrow = await at(0.3); // scales 0.3 of the posterior's: weights with a very heavy tail
      expect(wide.samples).toBe(2000);
      expect(wide.threshold).toBeCloseTo(1 - 1 / Math.log10(2000), 12); // 0.697: below 2154 samples, the sample-size threshold
      expect(wide.max).toBeLessThan(0.5);
      // k̂ from S = 2000 runs low of the true tail shape (helper study: sd ≈ 0.1), so: most rows above, every row above every wide one.
      expect(narrow.above).toBeGreaterThanOrEqual(6);
      expect(narrow.k.reduce((a, b) => a + b, 0) / 8).toBeGreaterThan(0.7);
      expect(Math.min(...narrow.k)).toBeGreaterThan(wide.max);
    } finally {
      model.dispose();
    }
  });

  it('prints k̂ under the table and in --json', async () => {
    const r = await run('eval', RUN(), '--k', '200', '--backend', 'cpu', '--psis');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nPSIS k̂ \(S = 200\): max -?\d+\.\d\d; \d+ of 40 rows above 0\.57/);
    const json = await evalJson(RUN(), '--psis');
    expect(json).toMatchObject({ psis: { samples: 20 } });
  });
});
