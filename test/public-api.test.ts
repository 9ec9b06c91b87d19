/**
 * The package entry (src/index.ts) as an application uses it: `openRun` on a
 * run trained the way `strata train` trains one, `bundledModel` for the
 * models shipped in the package, and `bound` / `sample` / `logWeights` being
 * deterministic without a seed (seed 0, as `strata eval --seed` defaults).
 *
 * The run: models/linear-gaussian.ppl on 120 rows drawn from the model itself
 * (a raw .f32 file), 2 epochs of IWAE k = 3 on the cpu backend; 108 train / 12
 * test rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModel, bundledModelNames, loadModel, openRun, type OpenedRun } from '../src/index.js';
import { loadCheckpoint } from '../src/driver/checkpoint/checkpoint.js';
import { runTraining } from '../src/driver/training-run.js';
import { gaussianKl, meanAndStandardError, oneLevelGuideAt, oneLevelLogPx, oneLevelPosterior, sampleOneLevel, TestRandom, type Matrix } from './helpers/linear-gaussian.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LINEAR_GAUSSIAN = join(ROOT, 'models', 'linear-gaussian.ppl');

let tmp = '';
let rows: Matrix = [];
let run: OpenedRun | undefined;
const RUN_SEED = 5;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-api-'));
  const rng = new TestRandom(11);
  rows = sampleOneLevel({ W: rng.matrix(4, 6, 0.8), b: rng.normals(6) }, 120, rng);
  const file = join(tmp, 'x.f32');
  writeFileSync(file, Buffer.from(Float32Array.from(rows.flat()).buffer));
  writeFileSync(`${file}.json`, JSON.stringify({ shape: [120, 6], dtype: 'float32' }));
  await runTraining({
    modelPath: LINEAR_GAUSSIAN, out: join(tmp, 'run'), data: { spec: `file:${file}`, seed: RUN_SEED }, objective: 'iwae', k: 3, estimator: 'reparam',
    epochs: 2, batchSize: 36, learningRate: 0.01, seed: RUN_SEED, backend: 'cpu', checkpointEvery: 1, resume: false,
  });
  run = await openRun(join(tmp, 'run'), { backend: 'cpu' });
});
afterAll(() => {
  run?.model.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

describe('openRun (from the package entry)', () => {
  it('restores the checkpoint and records what the run trained with', async () => {
    const { model, data, objective, k } = run!;
    expect({ objective, k, spec: data.spec, seed: data.seed }).toEqual({ objective: 'iwae', k: 3, spec: `file:${join(tmp, 'x.f32')}`, seed: RUN_SEED });
    const { parameters } = await loadCheckpoint(join(tmp, 'run'));
    for (const [name, p] of Object.entries(model.getParameters())) expect(p.values).toEqual(parameters[name]!.values);
  });

  it("model.bound on the restored parameters lies between the closed-form log p(x) and the guide's ELBO", async () => {
    const { model } = run!;
    const xs = rows.slice(0, 40);
    const bound = await model.bound(xs, { k: 200 });
    expect(bound).toHaveLength(40);

    // Closed forms for the restored parameters: log p(x) and KL(q(z | x) ‖ p(z | x)), the ELBO's gap, which bounds
    // the IWAE-k gap from above (Burda et al. 2016, Thm 1).
    const p = model.getParameters();
    const matrix = (name: string, cols: number) => Array.from({ length: p[name]!.values.length / cols }, (_, i) => Array.from(p[name]!.values.subarray(i * cols, (i + 1) * cols)));
    const params = { W: matrix('decoder.weight', 6), b: Array.from(p['decoder.bias']!.values) };
    const guide = { weight: matrix('encoder.weight', 4), bias: Array.from(p['encoder.bias']!.values), scale: Array.from(p['guide_log_scale']!.values, Math.exp) };
    const gap = meanAndStandardError(xs.map((x, i) => oneLevelLogPx(params, x) - bound[i]!));
    const kl = meanAndStandardError(xs.map((x) => gaussianKl(oneLevelGuideAt(guide, x), oneLevelPosterior(params, x))));
    // 3 standard errors of the per-row gap (which includes the rows' spread: conservative).
    expect(gap.mean).toBeGreaterThan(-3 * gap.se);
    expect(gap.mean).toBeLessThan(kl.mean + 3 * gap.se);
  });
});

describe('bound, sample and logWeights without a seed', () => {
  it('give the same numbers on every call: seed 0, as strata eval and strata sample default to', async () => {
    const { model } = run!;
    const xs = rows.slice(0, 5);
    const first = await model.bound(xs, { k: 20 });
    expect(await model.bound(xs, { k: 20 })).toEqual(first);
    expect(await model.bound(xs, { k: 20, seed: 0 })).toEqual(first);
    expect(await model.bound(xs, { k: 20, seed: 1 })).not.toEqual(first);

    const draws = await model.sample(xs, { k: 5, n: 4 });
    expect(await model.sample(xs, { k: 5, n: 4 })).toEqual(draws);

    const before = tf.memory().numTensors;
    const [a, b] = [await model.logWeights(xs, { k: 3 }), await model.logWeights(xs, { k: 3 })];
    expect(await b.data()).toEqual(await a.data());
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bundledModel', () => {
  it("names the package's models/*.ppl by absolute path, loadable from any working directory", async () => {
    expect(bundledModelNames()).toEqual(expect.arrayContaining(['linear-gaussian', 'tdvae', 'vae-mnist']));
    const path = bundledModel('linear-gaussian');
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(LINEAR_GAUSSIAN);
    expect(bundledModel('linear-gaussian.ppl')).toBe(path);
    const model = await loadModel(path, { backend: 'cpu' });
    expect(model.parameterNames()).toContain('decoder.weight');
    model.dispose();
  });

  it('refuses an unknown name with the bundled names and a suggestion', () => {
    const names = bundledModelNames().join(', ');
    expect(() => bundledModel('tdvea')).toThrow(`bundledModel: no bundled model 'tdvea' (did you mean 'tdvae'?); the bundled models are ${names}`);
    expect(() => bundledModel('../package')).toThrow(/^bundledModel: no bundled model '\.\.\/package'; the bundled models are /);
    expect(() => bundledModel('tdvea')).toThrow(expect.objectContaining({ name: 'UserError' }));
  });
});
