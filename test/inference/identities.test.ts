/**
 * Identities between the estimators, on one shared trace (the same noise), the
 * way NumPyro's test_renyi_elbo checks RenyiELBO against Trace_ELBO:
 *   - IWAE at k = 1 is the ELBO (VAE with Monte Carlo KL): logMeanExp of one term is the term;
 *     and for any k, IWAE >= VAE-k on the same trace (Jensen, deterministic);
 *   - TD-IWAE on a one-level trace is IWAE (validate() still refuses to train it);
 *   - TD-IWAE with all β = 1 is IWAE on the two-level hierarchy;
 *   - with β < 1, log w = Σ_obs log p + Σ_l β_l (log p_l − log q_l): only the annealed terms move;
 *   - the analytic-KL ELBO and the Monte Carlo ELBO agree in expectation.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../src/backend/compile/trace.js';
import { logMeanExp } from '../../src/backend/ops/log-mean-exp.js';
import { infer, IwaeObjective, TdIwaeObjective, VaeObjective, type StrataModel } from '../../src/index.js';
import { logWeights } from '../../src/inference/objectives/log-weights.js';
import {
  gaussianKl,
  meanAndStandardError,
  oneLevelGuideAt,
  oneLevelGuideParameters,
  oneLevelMeanFieldGuide,
  oneLevelModelParameters,
  TestRandom,
  twoLevelGuideParameters,
  twoLevelModelParameters,
  twoLevelTopDownGuide,
  diag,
  type OneLevelGuide,
} from '../helpers/linear-gaussian.js';
import { loadOneLevel, loadTwoLevel, rowsOf, rowsTensor } from '../helpers/models.js';

let one: StrataModel;
let two: StrataModel;
const rng = new TestRandom(99);
const oneParams = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6, 0.5) };
const twoParams = { A: rng.matrix(3, 5, 0.8), a: rng.normals(5, 0.3), W: rng.matrix(5, 6, 0.7), b: rng.normals(6, 0.3) };
/** A non-optimal guide: posterior mean map with 1.3× scales (so weights vary). */
const oneGuide: OneLevelGuide = oneLevelMeanFieldGuide(oneParams, 1.3);
const xs = Array.from({ length: 4 }, () => rng.normals(6, 1.5));

beforeAll(async () => {
  one = await loadOneLevel();
  one.setParameters({ ...oneLevelModelParameters(oneParams), ...oneLevelGuideParameters(oneGuide) });
  two = await loadTwoLevel();
  two.setParameters({ ...twoLevelModelParameters(twoParams), ...twoLevelGuideParameters(twoLevelTopDownGuide(twoParams, 1.3)) });
});
afterAll(() => {
  one.dispose();
  two.dispose();
});

/** Runs `fn` on a fresh trace of `model` inside one tidy and returns plain numbers. */
function onTrace<T>(model: StrataModel, rows: number[][], options: { k: number; seed: number; analyticKl?: boolean }, fn: (trace: Trace) => T): T {
  const x = rowsTensor(rows);
  try {
    let out!: T;
    tf.tidy(() => {
      out = fn(model.compiled.trace({ x }, options));
    });
    return out;
  } finally {
    x.dispose();
  }
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const seed = fc.nat();
const batchRows = fc.integer({ min: 1, max: 4 }).map((n) => xs.slice(0, n));
const beta = fc.float({ min: Math.fround(0.01), max: Math.fround(1), noNaN: true });

describe('IWAE and VAE', () => {
  it('IWAE at k = 1 equals the VAE bound with Monte Carlo KL on the same trace (bound and loss)', () => {
    fc.assert(
      fc.property(seed, batchRows, beta, beta, (s, rows, b2, b1) => {
        for (const [model, betas] of [
          [one, new Map()],
          [two, new Map([['z2', b2], ['z1', b1]])],
        ] as const) {
          const [iwae, vae] = onTrace(model, rows, { k: 1, seed: s }, (trace) => {
            const i = new IwaeObjective({ k: 1 }).estimate(trace, betas);
            const v = new VaeObjective({ k: 1, analyticKl: false }).estimate(trace, betas);
            return [
              [...values(i.bound), i.loss.dataSync()[0]!],
              [...values(v.bound), v.loss.dataSync()[0]!],
            ];
          });
          expect(iwae).toEqual(vae);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('for any k, IWAE-k >= VAE-k on the same trace (Jensen), equal only when the weights are', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 2, max: 30 }), (s, k) => {
        const [iwae, vae] = onTrace(two, xs, { k, seed: s }, (trace) => [
          values(new IwaeObjective({ k }).estimate(trace, new Map()).bound),
          values(new VaeObjective({ k, analyticKl: false }).estimate(trace, new Map()).bound),
        ]);
        iwae!.forEach((v, j) => expect(v).toBeGreaterThan(vae![j]!));
      }),
      { numRuns: 30 },
    );
  });
});

describe('TD-IWAE', () => {
  it('on a one-level trace, its estimate is IWAE’s (bound and loss)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 20 }), (s, k) => {
        const [td, iw] = onTrace(one, xs, { k, seed: s }, (trace) =>
          [new TdIwaeObjective({ k }), new IwaeObjective({ k })].map((o) => {
            const e = o.estimate(trace, new Map());
            return [...values(e.bound), e.loss.dataSync()[0]!];
          }),
        );
        expect(td).toEqual(iw);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses to train a one-level model, with a hint to use iwae', async () => {
    expect(() => new TdIwaeObjective().validate(one.ir, 'q')).toThrow(/at least two latent levels.*use the 'iwae' objective/);
    // The first call gives the model its Adam optimizer (two scalar variables, the
    // model's state); a refused call after that leaves the tensor count unchanged.
    await expect(infer(one, { data: xs, objective: 'tdiwae', k: 2, epochs: 1 })).rejects.toThrow(/tdiwae: needs a hierarchy.*'iwae'/);
    const before = tf.memory().numTensors;
    await expect(infer(one, { data: xs, objective: 'tdiwae', k: 2, epochs: 1 })).rejects.toThrow(/tdiwae: needs a hierarchy.*'iwae'/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new TdIwaeObjective().validate(two.ir, 'topdown')).not.toThrow();
  });

  it('with all β = 1 equals IWAE on the two-level hierarchy', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 20 }), (s, k) => {
        const ones = new Map([['z2', 1], ['z1', 1]]);
        const [td, tdOnes, iw] = onTrace(two, xs, { k, seed: s }, (trace) => [
          values(new TdIwaeObjective({ k }).estimate(trace, new Map()).bound),
          values(new TdIwaeObjective({ k }).estimate(trace, ones).bound),
          values(new IwaeObjective({ k }).estimate(trace, new Map()).bound),
        ]);
        expect(td).toEqual(iw);
        expect(tdOnes).toEqual(iw);
      }),
      { numRuns: 20 },
    );
  });

  it('with β < 1 only the annealed latent’s terms change: log w = Σ_obs log p + Σ_l β_l (log p_l − log q_l)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 10 }), beta, beta, (s, k, b2, b1) => {
        const betas = new Map([['z2', b2], ['z1', b1]]);
        const out = onTrace(two, xs, { k, seed: s }, (trace) => {
          const term = (name: string) => trace.latents.find((l) => l.name === name)!;
          return {
            annealed: rowsOf(logWeights(trace, betas)),
            onlyZ2: rowsOf(logWeights(trace, new Map([['z2', b2]]))),
            plain: rowsOf(logWeights(trace)),
            observed: rowsOf(trace.observed.get('x')!),
            z2: rowsOf(tf.sub(term('z2').logP, term('z2').logQ)),
            z1: rowsOf(tf.sub(term('z1').logP, term('z1').logQ)),
            bound: values(new TdIwaeObjective({ k }).estimate(trace, betas).bound),
          };
        });
        // Float32 sums of terms of size up to ~|terms|: allow a few ulps of that.
        const close = (a: number, b: number, scale: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 + 1e-6 * scale);
        out.annealed.forEach((row, i) =>
          row.forEach((w, j) => {
            const [o, d2, d1] = [out.observed[i]![j]!, out.z2[i]![j]!, out.z1[i]![j]!];
            const scale = Math.abs(o) + Math.abs(d2) + Math.abs(d1);
            close(w, o + b2 * d2 + b1 * d1, scale);
            close(out.plain[i]![j]!, o + d2 + d1, scale);
            // Annealing z2 alone moves the weight by exactly (β2 − 1)(log p_z2 − log q_z2).
            close(out.onlyZ2[i]![j]! - out.plain[i]![j]!, (b2 - 1) * d2, scale);
          }),
        );
        // And the TD-IWAE bound is logMeanExp of those annealed weights.
        const expected = tf.tidy(() => values(logMeanExp(tf.tensor2d(out.annealed), 0)));
        out.bound.forEach((v, j) => expect(Math.abs(v - expected[j]!)).toBeLessThanOrEqual(1e-4));
      }),
      { numRuns: 30 },
    );
  });
});

describe('VAE with analytic KL', () => {
  it('the trace’s closed-form KL is KL(q(z | x) ‖ N(0, I)) of the guide (one level)', () => {
    const kl = onTrace(one, xs, { k: 3, seed: 1, analyticKl: true }, (trace) => rowsOf(trace.latents[0]!.kl!));
    xs.forEach((row, j) => {
      const exact = gaussianKl(oneLevelGuideAt(oneGuide, row), { mean: [0, 0, 0, 0], cov: diag([1, 1, 1, 1]) });
      for (const r of kl) expect(Math.abs(r[j]! - exact)).toBeLessThanOrEqual(1e-4 * (1 + exact));
    });
  });

  it('the analytic-KL ELBO and the Monte Carlo ELBO agree in expectation (paired, 4 standard errors)', () => {
    // Same seed, same samples: the per-sample difference of the two ELBO terms is
    //   d = Σ_l [(log p_l − log q_l) + KL_l],  with E_q[d] = 0 level by level
    // (E_q[log q − log p] = KL given the parents). The k = 4000 differences are
    // i.i.d., so the mean must be within 4 SE of 0; both objectives' bounds are
    // the means of their terms, so their difference is that mean.
    const k = 4000;
    for (const model of [one, two]) {
      const x = rowsTensor(xs);
      const out = tf.tidy(() => {
        const analyticTrace = model.compiled.trace({ x }, { k, seed: 7, analyticKl: true });
        const mcTrace = model.compiled.trace({ x }, { k, seed: 7, analyticKl: false });
        expect(analyticTrace.latents.every((l) => l.kl !== undefined)).toBe(true);
        expect(mcTrace.latents.every((l) => l.kl === undefined)).toBe(true);
        const vae = new VaeObjective({ k });
        return {
          diff: rowsOf(tf.sub(vae.elboTerms(mcTrace, new Map()), vae.elboTerms(analyticTrace, new Map()))),
          bounds: [values(vae.estimate(analyticTrace, new Map()).bound), values(vae.estimate(mcTrace, new Map()).bound)],
        };
      });
      x.dispose();
      xs.forEach((_, j) => {
        const { mean, sd, se } = meanAndStandardError(out.diff.map((r) => r[j]!));
        expect(Math.abs(mean)).toBeLessThanOrEqual(4 * se);
        // The two estimators do differ sample by sample (the MC KL is noisy) ...
        expect(sd).toBeGreaterThan(0.1);
        // ... and each objective's bound is the mean of its terms.
        expect(Math.abs(out.bounds[1]![j]! - out.bounds[0]![j]! - mean)).toBeLessThanOrEqual(1e-3);
      });
    }
  });
});
