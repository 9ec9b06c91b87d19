/**
 * MIWAE(M, K) and CIWAE(β) (Rainforth et al. 2018; seed 002) against IWAE and
 * the ELBO on one shared trace (the same noise), as identities.test.ts does
 * for IWAE and VAE:
 *   - MIWAE(1, K) ≡ IWAE(K) and CIWAE(0) ≡ IWAE(K): bound, loss and every gradient, exactly;
 *   - CIWAE(1) is the mean of log w (VAE-K with Monte Carlo KL);
 *   - on the same samples ELBO ≤ CIWAE(β) ≤ IWAE(K) and MIWAE(M, K) ≤ IWAE(M·K) (Jensen; deterministic);
 *   - E[MIWAE(M, K)] = E[IWAE(K)] with 1/M of its variance (M independent bounds averaged);
 *   - training through the CLI: options recorded, resumed, refused where they do not apply.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../src/backend/compile/trace.js';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { CiwaeObjective, infer, IwaeObjective, MiwaeObjective, VaeObjective, type Objective, type StrataModel } from '../../src/index.js';
import { run } from '../cli/run-cli.js';
import { meanAndStandardError, oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, sampleOneLevel, TestRandom, twoLevelGuideParameters, twoLevelModelParameters, twoLevelTopDownGuide } from '../helpers/linear-gaussian.js';
import { loadOneLevel, loadTwoLevel, rowsTensor } from '../helpers/models.js';

let one: StrataModel;
let two: StrataModel;
const rng = new TestRandom(17);
const oneParams = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6, 0.5) };
const twoParams = { A: rng.matrix(3, 5, 0.8), a: rng.normals(5, 0.3), W: rng.matrix(5, 6, 0.7), b: rng.normals(6, 0.3) };
const xs = Array.from({ length: 3 }, () => rng.normals(6, 1.5));

beforeAll(async () => {
  one = await loadOneLevel();
  one.setParameters({ ...oneLevelModelParameters(oneParams), ...oneLevelGuideParameters(oneLevelMeanFieldGuide(oneParams, 1.3)) });
  two = await loadTwoLevel();
  two.setParameters({ ...twoLevelModelParameters(twoParams), ...twoLevelGuideParameters(twoLevelTopDownGuide(twoParams, 1.3)) });
});
afterAll(() => {
  one.dispose();
  two.dispose();
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** Bound, loss and the loss's gradient for every trainable variable, on the trace `objective` asks for with `seed`. */
function evaluate(model: StrataModel, objective: Objective, seed: number, betas = new Map<string, number>()) {
  const x = rowsTensor(xs);
  try {
    return tf.tidy(() => {
      let bound: number[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const e = objective.estimate(model.compiled.trace({ x }, objective.traceOptions(model.guide, seed)), betas);
        bound = values(e.bound);
        return e.loss;
      });
      return { bound, loss: value.dataSync()[0]!, grads: Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, values(g)])) };
    });
  } finally {
    x.dispose();
  }
}

/** Runs `fn` on one trace of k particles. */
function onTrace<T>(model: StrataModel, k: number, seed: number, fn: (trace: Trace) => T): T {
  const x = rowsTensor(xs);
  try {
    let out!: T;
    tf.tidy(() => {
      out = fn(model.compiled.trace({ x }, { k, seed }));
    });
    return out;
  } finally {
    x.dispose();
  }
}

const seed = fc.nat();

describe('identities on fixed noise', () => {
  it('MIWAE(M = 1, K) and CIWAE(β = 0) are IWAE(K): bound, loss and gradients exactly', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 12 }), fc.constantFrom('reparam' as const, 'stl' as const), (s, k, estimator) => {
        for (const model of [one, two]) {
          const iwae = evaluate(model, new IwaeObjective({ k, estimator }), s);
          expect(evaluate(model, new MiwaeObjective({ m: 1, k, estimator }), s)).toEqual(iwae);
          expect(evaluate(model, new CiwaeObjective({ beta: 0, k, estimator }), s)).toEqual(iwae);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('CIWAE(β = 1) is the mean of log w, VAE-K with Monte Carlo KL (bound and gradients, to float rounding)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 12 }), (s, k) => {
        const ciwae = evaluate(two, new CiwaeObjective({ beta: 1, k }), s);
        const vae = evaluate(two, new VaeObjective({ k, analyticKl: false }), s);
        ciwae.bound.forEach((v, j) => expect(v).toBeCloseTo(vae.bound[j]!, 4));
        for (const [name, g] of Object.entries(vae.grads)) g.forEach((v, j) => expect(ciwae.grads[name]![j]!).toBeCloseTo(v, 3));
      }),
      { numRuns: 10 },
    );
  });

  it('on the same samples: mean log w ≤ CIWAE(β) ≤ IWAE(K), decreasing in β, and MIWAE(M, K) ≤ IWAE(M·K)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 6 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (s, k, m, beta) => {
        const [vae, low, mid, iwae] = onTrace(two, k, s, (trace) =>
          [new VaeObjective({ k, analyticKl: false }), new CiwaeObjective({ k, beta: Math.min(1, beta + 0.05) }), new CiwaeObjective({ k, beta }), new IwaeObjective({ k })].map((o) =>
            values(o.estimate(trace, new Map()).bound),
          ),
        );
        iwae!.forEach((v, j) => {
          // float32: when the bound gap IWAE − ELBO is tiny the three agree to rounding (a strict < failed on such draws)
          expect(mid![j]!).toBeLessThanOrEqual(v + 1e-4);
          expect(low![j]!).toBeLessThanOrEqual(mid![j]! + 1e-4);
          expect(vae![j]!).toBeLessThan(low![j]! + 1e-4);
        });
        const [miwae, all] = onTrace(two, m * k, s, (trace) => [new MiwaeObjective({ m, k }), new IwaeObjective({ k: m * k })].map((o) => values(o.estimate(trace, new Map()).bound)));
        all!.forEach((v, j) => expect(miwae![j]!).toBeLessThanOrEqual(v + 1e-5));
      }),
      { numRuns: 25 },
    );
  });
});

describe('MIWAE in expectation', () => {
  it('E[MIWAE(4, 5)] = E[IWAE(5)] within 4 SE, with about 1/4 of the variance per data point', () => {
    const S = 300;
    const miwae: number[][] = [];
    const iwae: number[][] = [];
    for (let s = 0; s < S; s++) {
      miwae.push(onTrace(one, 20, s, (t) => values(new MiwaeObjective({ m: 4, k: 5 }).estimate(t, new Map()).bound)));
      iwae.push(onTrace(one, 5, 10_000 + s, (t) => values(new IwaeObjective({ k: 5 }).estimate(t, new Map()).bound)));
    }
    xs.forEach((_, j) => {
      const a = meanAndStandardError(miwae.map((b) => b[j]!));
      const b = meanAndStandardError(iwae.map((r) => r[j]!));
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.hypot(a.se, b.se));
      const ratio = (a.se / b.se) ** 2; // ≈ 1/4; the ratio of two variance estimates from 300 draws has sd ≈ 0.25·√(2·2/299) ≈ 0.03 (heavier with skew)
      expect(ratio).toBeGreaterThan(0.15);
      expect(ratio).toBeLessThan(0.4);
    });
  });
});

describe('training with miwae and ciwae', () => {
  let tmp = '';
  let X = '';
  const MODEL = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'strata-miwae-'));
    X = join(tmp, 'x.f32');
    const r = new TestRandom(3);
    writeFileSync(X, Buffer.from(Float32Array.from(sampleOneLevel(oneParams, 120, r).flat()).buffer));
    writeFileSync(`${X}.json`, JSON.stringify({ shape: [120, 6], dtype: 'float32' }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const train = (out: string, ...more: string[]) => run('train', MODEL, '--data', `file:${X}`, '--out', join(tmp, out), '--backend', 'cpu', '--batch', '60', ...more);

  it('strata train --objective miwae --m 2 --k 3 and ciwae --beta 0.3 train, record their options and resume', async () => {
    const m = await train('miwae', '--objective', 'miwae', '--m', '2', '--k', '3', '--epochs', '1', '--estimator', 'stl');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr.split('\n')[2]).toBe('objective: miwae, k = 3, m = 2, estimator stl');
    expect((await loadCheckpoint(join(tmp, 'miwae'))).runInfo.options).toMatchObject({ objective: 'miwae', m: 2, k: 3 });
    const resumed = await run('train', '--resume', join(tmp, 'miwae'), '--epochs', '2', '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('objective: miwae, k = 3, m = 2, estimator stl');
    const c = await train('ciwae', '--objective', 'ciwae', '--beta', '0.3', '--k', '4', '--epochs', '1', '--anneal', 'z:0.5@1ep', '--clip', '10');
    expect(c.code, c.stderr).toBe(0);
    expect((await loadCheckpoint(join(tmp, 'ciwae'))).runInfo.options).toMatchObject({ objective: 'ciwae', beta: 0.3, k: 4 });
  });

  it('refuses what does not apply, each with one line', async () => {
    const line = async (...more: string[]) => {
      const r = await train('refused', '--epochs', '1', ...more);
      expect(r.code).not.toBe(0);
      return r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run ')).at(-1);
    };
    expect(await line('--objective', 'miwae')).toMatch(/^strata: miwae: give m, the number of independent IWAE bounds/);
    expect(await line('--m', '4')).toBe('strata: iwae: the option m applies only to the miwae and piwae objectives');
    expect(await line('--objective', 'vae', '--beta', '0.5')).toBe('strata: vae: the option beta applies only to the ciwae objective');
    expect(await line('--objective', 'ciwae', '--beta', '1.5')).toMatch(/--beta.*expected a number in \[0, 1\], got '1.5'/);
  });

  it('keeps the tensor count flat across steps', async () => {
    const model = await loadOneLevel(2);
    try {
      for (const objective of [{ objective: 'miwae' as const, m: 3, k: 2 }, { objective: 'ciwae' as const, beta: 0.4, k: 3 }]) {
        await infer(model, { data: xs, ...objective, epochs: 1, batchSize: 1 });
        const before = tf.memory().numTensors;
        await infer(model, { data: xs, ...objective, epochs: 2, batchSize: 1 });
        expect(tf.memory().numTensors).toBe(before);
      }
    } finally {
      model.dispose();
    }
  });
});
