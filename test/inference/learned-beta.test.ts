/**
 * CIWAE's learnable β (seed 002 sec. 3.7; learned-beta.ts):
 *   - the logit's gradient β(1 − β)·mean(IWAE − ELBO) equals what autodiff gives for −mean(CIWAE_σ(b));
 *   - Adam on the logit: β moves towards IWAE (the bound gap is never negative) and stays in (0, 1);
 *   - through `infer`: β moves, is recorded per epoch, survives calls on the same model (two 1-epoch
 *     calls = one 2-epoch call, bit for bit), and keeps the tensor count flat;
 *   - `strata train --objective ciwae --beta learn`: β in metrics.jsonl and run.json, and a run
 *     stopped after epoch 1 and resumed ends bit for bit where an uninterrupted run ends;
 *   - refused where it does not belong.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { trainingCurves } from '../../src/report/analyses/training-curves.js';
import type { EpochRecord } from '../../src/inference/train.js';
import { run } from '../cli/run-cli.js';
import { logMeanExp } from '../../src/backend/ops/log-mean-exp.js';
import { CiwaeObjective, createObjective, infer, LearnedBeta, type StrataModel } from '../../src/index.js';
import { sampleOneLevel, TestRandom } from '../helpers/linear-gaussian.js';
import { loadOneLevel } from '../helpers/models.js';

const rng = new TestRandom(5);
const xs = Array.from({ length: 12 }, () => rng.normals(6, 1.5));

describe('the logit gradient', () => {
  it('equals autodiff of −mean(CIWAE) with β = σ(b) (fast-check over log-weights and b)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -20, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 }), fc.float({ min: -4, max: 4, noNaN: true }), (flat, b) => {
        const [auto, analytic] = tf.tidy(() => {
          const logW = tf.tensor2d(flat, [3, 2]);
          const loss = (logit: tf.Tensor) => {
            const beta = tf.sigmoid(logit);
            return tf.neg(tf.mean(tf.add(tf.mul(tf.mean(logW, 0), beta), tf.mul(logMeanExp(logW, 0), tf.sub(1, beta)))));
          };
          const g = tf.grad(loss)(tf.scalar(b)).dataSync()[0]!;
          const beta = 1 / (1 + Math.exp(-b));
          const gap = tf.mean(tf.sub(logMeanExp(logW, 0), tf.mean(logW, 0))).dataSync()[0]!;
          return [g, beta * (1 - beta) * gap];
        });
        expect(analytic).toBeGreaterThanOrEqual(-1e-6);
        expect(Math.abs(auto - analytic)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(analytic)));
      }),
      { numRuns: 50, seed: 11 },
    );
  });
});

describe('LearnedBeta', () => {
  it('starts at its initial value and falls under a positive gap, staying inside (0, 1)', () => {
    const beta = new LearnedBeta(0.7);
    expect(beta.value).toBeCloseTo(0.7, 12);
    let previous = beta.value;
    for (let i = 0; i < 2000; i++) {
      beta.update(50, 0.1);
      expect(beta.value).toBeLessThanOrEqual(previous);
      expect(beta.value).toBeGreaterThan(0);
      previous = beta.value;
    }
    expect(beta.value).toBeLessThan(1e-3);
    expect(beta.steps).toBe(2000);
  });

  it('does not move on a zero gap and skips non-finite ones', () => {
    const beta = new LearnedBeta(0.3);
    beta.update(0, 0.1);
    beta.update(Number.NaN, 0.1);
    expect(beta.value).toBeCloseTo(0.3, 12);
    expect(beta.steps).toBe(1);
  });

  it('round-trips its state exactly', () => {
    const a = new LearnedBeta(0.4);
    [3, 1.5, 0.2].forEach((g) => a.update(g, 0.01));
    const b = LearnedBeta.fromState(JSON.parse(JSON.stringify(a.toState())));
    a.update(2, 0.01);
    b.update(2, 0.01);
    expect(b.toState()).toEqual(a.toState());
  });

  it('refuses initial values outside (0, 1) and corrupt states', () => {
    for (const v of [0, 1, 1.5, -0.1, Number.NaN]) expect(() => new LearnedBeta(v)).toThrow(/strictly between 0 and 1/);
    expect(() => LearnedBeta.fromState({ logit: Number.NaN, m: 0, v: 0, steps: 0 })).toThrow(/invalid learned-beta state/);
    expect(() => LearnedBeta.fromState({ logit: 0, m: 0, v: -1, steps: 0 })).toThrow(/invalid learned-beta state/);
  });
});

describe('ciwae with beta: learn', () => {
  let model: StrataModel;
  beforeAll(async () => {
    model = await loadOneLevel(3);
  });
  afterAll(() => model.dispose());

  it('moves β, records it every epoch, and keeps it in (0, 1)', async () => {
    const fresh = await loadOneLevel(3);
    try {
      const { history } = await infer(fresh, { data: xs, objective: 'ciwae', beta: 'learn', betaInit: 0.8, k: 4, epochs: 3, batchSize: 4, learningRate: 0.05 });
      const trajectory = history.map((r) => r.learned?.['beta']);
      expect(trajectory.every((b) => b !== undefined && b > 0 && b < 1)).toBe(true);
      expect(trajectory[0]!).toBeLessThan(0.8);
      expect(trajectory[2]!).toBeLessThan(trajectory[0]!);
      expect(fresh.learnedBeta?.steps).toBe(9);
      expect(fresh.learnedBeta?.value).toBe(trajectory[2]);
    } finally {
      fresh.dispose();
    }
  });

  it('two one-epoch calls equal one two-epoch call, parameters and β bit for bit', async () => {
    const once = await loadOneLevel(4);
    const twice = await loadOneLevel(4);
    try {
      const options = { data: xs, objective: 'ciwae' as const, beta: 'learn' as const, k: 3, batchSize: 5, learningRate: 0.02, seed: 9 };
      await infer(once, { ...options, epochs: 2 });
      await infer(twice, { ...options, epochs: 1 });
      await infer(twice, { ...options, betaInit: 0.9, epochs: 1 }); // an existing learned β is continued, not re-initialized
      expect(twice.learnedBeta!.toState()).toEqual(once.learnedBeta!.toState());
      expect(twice.getParameters()).toEqual(once.getParameters());
    } finally {
      once.dispose();
      twice.dispose();
    }
  });

  it('trains with DReG too (β steps on the model pass) and keeps the tensor count flat', async () => {
    for (const estimator of ['reparam', 'dreg'] as const) {
      await infer(model, { data: xs, objective: 'ciwae', beta: 'learn', k: 3, estimator, epochs: 1, batchSize: 4 });
      const before = tf.memory().numTensors;
      await infer(model, { data: xs, objective: 'ciwae', beta: 'learn', k: 3, estimator, epochs: 2, batchSize: 4 });
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('refuses betaInit without beta: learn and beta: learn on other objectives', () => {
    expect(() => new CiwaeObjective({ beta: 0.5, betaInit: 0.3 })).toThrow(/betaInit is the initial value of a learned beta/);
    expect(() => createObjective('iwae', { beta: 'learn' })).toThrow(/the option beta applies only to the ciwae objective/);
    expect(() => createObjective('vae', { betaInit: 0.2 })).toThrow(/the option betaInit applies only to the ciwae objective/);
    expect(() => new CiwaeObjective({ beta: 'learn', betaInit: 1 })).toThrow(/strictly between 0 and 1/);
  });
});

describe('strata train --objective ciwae --beta learn', () => {
  let tmp = '';
  let X = '';
  const MODEL = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'strata-beta-'));
    X = join(tmp, 'x.f32');
    const r = new TestRandom(8);
    const W = r.matrix(4, 6, 0.8);
    writeFileSync(X, Buffer.from(Float32Array.from(sampleOneLevel({ W, b: r.normals(6, 0.5) }, 90, r).flat()).buffer));
    writeFileSync(`${X}.json`, JSON.stringify({ shape: [90, 6], dtype: 'float32' }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const train = (out: string, epochs: number) =>
    run('train', MODEL, '--data', `file:${X}`, '--out', join(tmp, out), '--backend', 'cpu', '--batch', '30', '--objective', 'ciwae', '--beta', 'learn', '--beta-init', '0.7', '--k', '3', '--lr', '0.02', '--epochs', String(epochs));

  it('records β per epoch and in run.json, and a resumed run ends bit for bit where a straight one ends', async () => {
    const straight = await train('straight', 2);
    expect(straight.code, straight.stderr).toBe(0);
    expect(straight.stderr).toContain('objective: ciwae, k = 3, beta = learn (from 0.7), estimator reparam');
    const metrics = readFileSync(join(tmp, 'straight', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { learned?: { beta: number } });
    const trajectory = metrics.map((m) => m.learned!.beta);
    expect(trajectory).toHaveLength(2);
    expect(trajectory[0]!).toBeLessThan(0.7);
    expect(trajectory[1]!).toBeLessThan(trajectory[0]!);
    const done = await loadCheckpoint(join(tmp, 'straight'));
    expect(done.runInfo.options).toMatchObject({ objective: 'ciwae', beta: 'learn', betaInit: 0.7 });
    expect(done.runInfo.learnedBeta!.steps).toBe(6);
    // the report's training curves carry the trajectory (a chart of its own)
    expect(trainingCurves(metrics as unknown as EpochRecord[]).learned['beta']).toEqual(trajectory);

    expect((await train('resumed', 1)).code).toBe(0);
    const resumed = await run('train', '--resume', join(tmp, 'resumed'), '--epochs', '2', '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('beta = learn (from 0.7)');
    const after = await loadCheckpoint(join(tmp, 'resumed'));
    expect(after.runInfo.learnedBeta).toEqual(done.runInfo.learnedBeta);
    for (const [name, value] of Object.entries(done.parameters)) expect(Array.from(after.parameters[name]!.values), name).toEqual(Array.from(value.values));
  });

  it('refuses --beta-init without --beta learn, and one outside (0, 1)', async () => {
    const line = async (...more: string[]) => {
      const r = await run('train', MODEL, '--data', `file:${X}`, '--out', join(tmp, 'refused'), '--backend', 'cpu', '--epochs', '1', ...more);
      expect(r.code).not.toBe(0);
      return r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run ')).at(-1);
    };
    expect(await line('--objective', 'ciwae', '--beta-init', '0.3')).toMatch(/^strata: ciwae: betaInit is the initial value of a learned beta/);
    expect(await line('--objective', 'ciwae', '--beta', 'learn', '--beta-init', '1')).toMatch(/--beta-init.*expected a number strictly between 0 and 1, got '1'/);
    expect(await line('--beta', 'learn')).toBe('strata: iwae: the option beta applies only to the ciwae objective');
  });
});
