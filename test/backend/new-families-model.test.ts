/**
 * The new families end to end: .ppl source that parses, checks, compiles and
 * trains with `infer`.
 *
 * Ground truth: a Normal with a Gamma-distributed precision shared by the n
 * coordinates, τ ~ Gamma(α, β), x_i | τ ~ N(0, 1/τ), has the closed-form
 * evidence
 *   log p(x) = -(n/2) log 2π + α log β - log Γ(α) + log Γ(α + n/2) - (α + n/2) log(β + Σx²/2)
 * and posterior τ | x ~ Gamma(α + n/2, β + Σx²/2). With that posterior as the
 * guide every log-weight is log p(x) exactly, whatever τ is drawn; trained
 * guides give IWAE bounds below it that approach it.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gamma } from '../../src/backend/distributions/gamma.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { checkSource, compileModel, infer, type StrataModel } from '../../src/index.js';
import { meanAndVariance } from './helpers.js';

const [ALPHA, BETA, N] = [3, 2, 4];

const SOURCE = `
// tau is a precision: positive because Gamma is, so 1 / sqrt(tau) is a valid scale.
data x: real[4]

model {
  tau: real[1] ~ Gamma(concentration: 3, rate: 2)
  x ~ Normal(0, 1 / sqrt(tau))
}

// The exact posterior, Gamma(3 + 4/2, 2 + sum(x^2)/2), once stats has weight 0.5 and bias 2
// (exp(log(...)) only makes the rate provably positive).
guide exact {
  net stats = linear(4 -> 1)
  tau ~ Gamma(concentration: 5, rate: exp(log(stats(square(x)))))
}

guide lognormal {
  net enc = mlp(4 -> 16 -> 2, tanh)
  h = enc(square(x))
  tau ~ LogNormal(loc: h[0:1], scale: softplus(h[1:2]) + 1e-3)
}

guide gamma {
  net gam = mlp(4 -> 16 -> 2, tanh)
  g = gam(square(x))
  tau ~ Gamma(concentration: softplus(g[0:1]) + 0.1, rate: softplus(g[1:2]) + 0.1)
}
`;

/** The closed-form log p(x) of one row. */
function logEvidence(x: readonly number[]): number {
  const ss = x.reduce((s, v) => s + v * v, 0);
  return -(N / 2) * Math.log(2 * Math.PI) + ALPHA * Math.log(BETA) - gammaln(ALPHA) + gammaln(ALPHA + N / 2) - (ALPHA + N / 2) * Math.log(BETA + ss / 2);
}

/** 200 rows drawn from the model (seeded). */
function simulate(rows: number): number[][] {
  return tf.tidy(() => {
    const tau = new Gamma(tf.fill([rows, 1], ALPHA), tf.fill([1], BETA)).rsample(1, 123);
    const x = new Normal(tf.zeros([N]), tf.rsqrt(tf.reshape(tau, [rows, 1]))).rsample(1, 321);
    return tf.reshape(x, [rows, N]).arraySync() as number[][];
  });
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;

let model: StrataModel;
let data: number[][];
let reference: number;
beforeAll(async () => {
  model = await compileModel(SOURCE, { backend: 'cpu', seed: 0, fileName: 'gamma-precision.ppl' });
  data = simulate(200);
  reference = mean(data.map(logEvidence));
});
afterAll(() => model.dispose());

describe('a Gamma precision with a Normal likelihood (closed-form evidence)', () => {
  it('checks cleanly: the Gamma latent is provably positive, so 1/sqrt(tau) is a scale', () => {
    const checked = checkSource(SOURCE);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(checked.ir!.guides.map((g) => g.name)).toEqual(['exact', 'lognormal', 'gamma']);
  });

  it('with the exact posterior as guide, every log-weight equals log p(x), for any k and seed', async () => {
    model.setParameters({ 'stats.weight': [0.5, 0.5, 0.5, 0.5], 'stats.bias': [BETA] });
    const rows = data.slice(0, 20);
    for (const [k, seed] of [[1, 0], [7, 3]] as const) {
      const w = await model.logWeights(rows, { k, seed, guide: 'exact' });
      const got = w.arraySync();
      w.dispose();
      rows.forEach((x, j) => {
        for (let i = 0; i < k; i++) expect(Math.abs(got[i]![j]! - logEvidence(x)), `row ${j}, particle ${i}`).toBeLessThan(2e-4 * Math.max(1, Math.abs(logEvidence(x))));
      });
    }
  });

  for (const guide of ['lognormal', 'gamma'] as const) {
    it(`trains the ${guide} guide with IWAE: the bound rises to within 0.1 nats of log p(x) and stays below it, with no tensors left behind`, async () => {
      const initial = mean(await model.bound(data, { k: 50, seed: 1, guide }));
      const options = { data, guide, objective: 'iwae', k: 5, batchSize: 50, learningRate: 2e-2 } as const;
      await infer(model, { ...options, epochs: 1, seed: 0 }); // gives Adam its slots for this guide's variables
      const before = tf.memory().numTensors;
      const { history } = await infer(model, { ...options, epochs: 14, seed: 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.bound) && h.gradNorm > 0)).toBe(true);
      const bound = await model.bound(data, { k: 50, seed: 1, guide });
      const final = mean(bound);
      expect(final).toBeGreaterThan(initial);
      expect(reference - final).toBeLessThan(0.1);
      // IWAE is a lower bound: per row, log p(x) - bound is >= 0 on average (to 4 standard errors).
      const gaps = data.map((x, j) => logEvidence(x) - bound[j]!);
      const { mean: gap, variance } = meanAndVariance(gaps);
      expect(gap).toBeGreaterThan(-4 * Math.sqrt(variance / gaps.length));
    });
  }
});

describe('StudentT observations with Beta and Exponential latents', () => {
  const source = `
data y: real[3]

model {
  net dec = linear(2 -> 3)
  p: real[2] ~ Beta(2, 2)
  r: real[1] ~ Exponential(rate: 1)
  y ~ StudentT(df: 4, loc: dec(p), scale: r + 0.1)
}

guide q {
  net e = linear(3 -> 5)
  h = e(y)
  p ~ Beta(softplus(h[0:2]) + 0.5, softplus(h[2:4]) + 0.5)
  r ~ Gamma(concentration: softplus(h[4:5]) + 1, rate: 2)
}
`;

  it('trains with the VAE objective (closed-form Beta KL, Monte Carlo for Gamma against Exponential) and the bound rises', async () => {
    const m = await compileModel(source, { backend: 'cpu', seed: 1 });
    const rows = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([120, 3], 0, 1, 'float32', 5), 0.5), tf.tensor1d([1, -1, 0.5])).arraySync() as number[][]);
    const initial = mean(await m.bound(rows, { k: 20, seed: 2 }));
    const options = { data: rows, objective: 'vae', analyticKl: true, k: 2, batchSize: 40, learningRate: 3e-2 } as const;
    await infer(m, { ...options, epochs: 1, seed: 0 });
    const before = tf.memory().numTensors;
    const { history } = await infer(m, { ...options, epochs: 9, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(Object.keys(history[0]!.terms).sort()).toEqual(['p', 'r']);
    expect(mean(await m.bound(rows, { k: 20, seed: 2 }))).toBeGreaterThan(initial + 1);
    m.dispose();
  });
});
