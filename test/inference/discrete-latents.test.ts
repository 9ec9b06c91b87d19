/**
 * Discrete latents against truth by exact enumeration (seed 004 ch. 5), on
 * three small models (two Bernoulli bits, a OneHotCategorical of 3 states, a
 * Categorical index of 3 categories; x | z Normal):
 *   - enumeration gives log p(x) exactly (checked against a hand-written sum);
 *     the exact IWAE-K bounds rise with K towards it, Monte Carlo IWAE-K
 *     bounds match the exact ones, and IWAE-5000 is log p(x) − χ²/(2K) within
 *     4 of its standard deviations √(χ²/K), χ² enumerated;
 *   - VIMCO's gradient is unbiased for the IWAE-K gradient, REINFORCE's for
 *     the ELBO gradient (means of seeded draws within 4.5 standard errors of
 *     the enumerated gradients); dropping the score term is biased;
 *   - relaxed training scores q and p with the Concrete densities, not the
 *     discrete ones; straight-through keeps discrete values and densities;
 *   - training steps keep tf.memory().numTensors flat; bad combinations of
 *     objective, estimator and mode are refused with what to use instead.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli, RelaxedBernoulli, RelaxedOneHotCategorical } from '../../src/backend/distributions/index.js';
import { enumerateJoint, enumerateStates, exactLogMarginal } from '../../src/inference/enumerate.js';
import { estimatorGradients } from '../../src/inference/estimator-gradients.js';
import { exactElbo, exactIwaeBound } from '../../src/inference/exact-bounds.js';
import { logWeights } from '../../src/inference/objectives/log-weights.js';
import { vimcoSignals } from '../../src/inference/objectives/vimco.js';
import { temperaturesAt } from '../../src/inference/temperature.js';
import { compileModel, infer, IwaeObjective, VaeObjective, VimcoObjective, type InferOptions, type Objective, type StrataModel } from '../../src/index.js';
import { meanAndStandardError } from '../helpers/linear-gaussian.js';
import { loadOneLevel, rowsTensor } from '../helpers/models.js';

const model = (prior: string, guide: string, decoderIn: number) => `
data x: real[2]
model {
  param prior_logits: real[${prior === 'bits' ? 2 : 3}] = normal(0, 1)
  net decoder = linear(${decoderIn} -> 2)
  ${prior === 'bits' ? 'z: binary[2] ~ Bernoulli(logits: prior_logits)' : prior === 'onehot' ? 'z: binary[3] ~ OneHotCategorical(logits: prior_logits)' : 'z: int[1] ~ Categorical(logits: prior_logits)'}
  x ~ Normal(decoder(z), 0.6)
}
guide q {
  net encoder = linear(2 -> ${prior === 'bits' ? 2 : 3})
  z ~ ${guide}(logits: encoder(x))
}
`;
const SOURCES = {
  bits: model('bits', 'Bernoulli', 2),
  onehot: model('onehot', 'OneHotCategorical', 3),
  categorical: model('categorical', 'Categorical', 1),
} as const;
type Name = keyof typeof SOURCES;
const XS = [
  [1.2, -0.4],
  [-0.5, 1.0],
  [2.1, 1.3],
];
/** Decoder weights that separate the states' means, so the posteriors are far from the priors. */
const DECODERS: Record<Name, { weight: number[]; bias: number[] }> = {
  bits: { weight: [2, -1, 0.5, 1.5], bias: [0.2, -0.3] },
  onehot: { weight: [1.5, -1, -1, 1, 2, 1.5], bias: [0, 0] },
  categorical: { weight: [1, 0.7], bias: [-0.2, 0.1] },
};

const models = {} as Record<Name, StrataModel>;
beforeAll(async () => {
  for (const name of Object.keys(SOURCES) as Name[]) {
    models[name] = await compileModel(SOURCES[name], { backend: 'cpu', seed: 5, fileName: `${name}.ppl` });
    models[name].setParameters({ 'decoder.weight': DECODERS[name].weight, 'decoder.bias': DECODERS[name].bias });
  }
});
afterAll(() => Object.values(models).forEach((m) => m.dispose()));

/** Runs `f` with the data as a tensor. */
function withX<T>(f: (x: Tensor) => T): T {
  const x = rowsTensor(XS);
  try {
    return f(x);
  } finally {
    x.dispose();
  }
}

/** The gradient of a scalar loss of the model's variables, by Strata parameter name. */
function exactGradient(m: StrataModel, loss: () => tf.Scalar): Record<string, number[]> {
  const strataName = new Map([...m.compiled.variables].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(loss, [...m.compiled.variables.values()]);
  const out = Object.fromEntries(Object.entries(grads).map(([n, g]) => [strataName.get(n)!, Array.from(g.dataSync())]));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** Mean and standard error over `draws` seeded draws of the objective's gradient estimate. */
function estimatorMoments(m: StrataModel, objective: Objective, draws: number): Record<string, { mean: number[]; se: number[] }> {
  const samples: Record<string, number[][]> = {};
  withX((x) => {
    for (let seed = 0; seed < draws; seed++) {
      const grads = estimatorGradients(m.compiled, objective, { x }, { guide: 'q', seed: 1000 + seed });
      for (const [name, g] of grads) (samples[name] ??= []).push(Array.from(g.dataSync()));
      tf.dispose([...grads.values()]);
    }
  });
  return Object.fromEntries(Object.entries(samples).map(([name, rows]) => {
    const stats = rows[0]!.map((_, j) => meanAndStandardError(rows.map((r) => r[j]!)));
    return [name, { mean: stats.map((s) => s.mean), se: stats.map((s) => s.se) }];
  }));
}

/** Every coordinate within 4.5 standard errors (+ float32 slack) of the exact gradient. */
function expectUnbiased(moments: Record<string, { mean: number[]; se: number[] }>, exact: Record<string, number[]>): void {
  for (const [name, want] of Object.entries(exact)) {
    const { mean, se } = moments[name]!;
    want.forEach((w, j) => {
      expect(Math.abs(mean[j]! - w), `${name}[${j}]: mean ${mean[j]} ± ${se[j]} vs exact ${w}`).toBeLessThanOrEqual(4.5 * se[j]! + 1e-5);
    });
  }
}

/** The largest |mean − exact| / se over the guide's coordinates. */
function largestGuideDeviation(moments: Record<string, { mean: number[]; se: number[] }>, exact: Record<string, number[]>): number {
  return Math.max(...Object.entries(exact).filter(([n]) => n.startsWith('encoder')).flatMap(([n, want]) => want.map((w, j) => Math.abs(moments[n]!.mean[j]! - w) / moments[n]!.se[j]!)));
}

describe('exact enumeration', () => {
  it('enumerates the joint states in mixed radix', () => {
    const states = enumerateStates(models.bits.ir);
    expect(states.count).toBe(4);
    expect(Array.from(states.values.get('z')!)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(enumerateStates(models.categorical.ir).values.get('z')).toEqual(Float32Array.of(0, 1, 2));
    expect(() => enumerateStates(models.bits.ir, { maxStates: 3 })).toThrow(/4 joint states .* more than maxStates = 3/);
  });

  it('gives log p(x) = log Σ_c softmax(l)_c N(x; W c + b, 0.6²) for the Categorical model', async () => {
    const params = models.categorical.getParameters();
    const l = Array.from(params['prior_logits']!.values);
    const [w, b] = [Array.from(params['decoder.weight']!.values), Array.from(params['decoder.bias']!.values)];
    const lse = Math.log(l.reduce((s, v) => s + Math.exp(v), 0));
    const want = XS.map((x) => Math.log([0, 1, 2].reduce((s, c) => s + Math.exp(l[c]! - lse) * x.reduce((p, xi, i) => p * Math.exp(-0.5 * ((xi - (w[i]! * c + b[i]!)) / 0.6) ** 2) / (0.6 * Math.sqrt(2 * Math.PI)), 1), 0)));
    const got = await withX((x) => exactLogMarginal(models.categorical.compiled, { x }));
    Array.from(got).forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
  });

  it('refuses a model with a continuous latent', async () => {
    const lg = await loadOneLevel();
    expect(() => enumerateStates(lg.ir)).toThrow(/latent 'z' is Normal, which is continuous/);
    lg.dispose();
  });

  it.each(Object.keys(SOURCES) as Name[])('%s: exact IWAE-K rises with K to log p(x); Monte Carlo IWAE-K matches it', async (name) => {
    const m = models[name];
    const logPx = Array.from(await withX((x) => exactLogMarginal(m.compiled, { x })));
    const exact = tf.tidy(() => withX((x) => {
      const { logJoint, logQ } = enumerateJoint(m.compiled, { x });
      return [1, 2, 4].map((k) => Array.from(exactIwaeBound(logJoint, logQ, k).dataSync()));
    }));
    XS.forEach((_, i) => {
      expect(exact[0]![i]!).toBeLessThan(exact[1]![i]!);
      expect(exact[1]![i]!).toBeLessThan(exact[2]![i]!);
      expect(exact[2]![i]!).toBeLessThan(logPx[i]!);
    });
    // R independent IWAE-K estimates from one trace of R·K samples, grouped.
    const R = 4000;
    [1, 2, 4].forEach((k, j) => {
      const perRow = tf.tidy(() => withX((x) => {
        const logW = tf.reshape(logWeights(m.compiled.trace({ x }, { k: R * k, seed: 17 + k })), [R, k, XS.length]);
        return tf.transpose(tf.sub(tf.logSumExp(logW, 1), Math.log(k))).arraySync() as number[][];
      }));
      perRow.forEach((estimates, i) => {
        const { mean, se } = meanAndStandardError(estimates);
        expect(Math.abs(mean - exact[j]![i]!), `K = ${k}, row ${i}`).toBeLessThan(4 * se + 1e-4);
      });
    });
    // For large K, IWAE-K ≈ log p(x) − χ²/(2K) with standard deviation √(χ²/K) (delta method), where
    // χ² = E_q[(w/p(x))²] − 1 is exact by enumeration.
    const K = 5000;
    const chi2 = tf.tidy(() => withX((x) => {
      const { logJoint, logQ } = enumerateJoint(m.compiled, { x });
      const logPxT = tf.logSumExp(logJoint, 0);
      return Array.from(tf.sub(tf.sum(tf.exp(tf.sub(tf.sub(tf.mul(logJoint, 2), logQ), tf.mul(logPxT, 2))), 0), 1).dataSync());
    }));
    const large = await withX((x) => m.bound(x, { k: K, seed: 3 }));
    Array.from(large).forEach((b, i) => {
      expect(Math.abs(b - (logPx[i]! - chi2[i]! / (2 * K))), `row ${i}`).toBeLessThan(4 * Math.sqrt(chi2[i]! / K) + 1e-4);
    });
  });
});

describe('VIMCO (Mnih and Rezende 2016)', () => {
  it('computes L̂ − L̂_{−i} with the geometric mean of the others in place of w_i', () => {
    const logW = [[0.3, -2], [1.1, -1], [-0.4, 0.5]];
    const got = tf.tidy(() => vimcoSignals(tf.tensor2d(logW)).arraySync() as number[][]);
    const K = 3;
    for (let b = 0; b < 2; b++) {
      const col = logW.map((r) => r[b]!);
      const lme = (v: number[]) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0) / v.length);
      col.forEach((_, i) => {
        const others = col.filter((__, j) => j !== i);
        const replaced = col.map((x, j) => (j === i ? others.reduce((s, o) => s + o, 0) / (K - 1) : x));
        expect(got[i]![b]!).toBeCloseTo(lme(col) - lme(replaced), 5);
      });
    }
  });

  it.each(['bits', 'categorical'] as const)('%s: its gradient is unbiased for the IWAE-3 gradient; without the score term it is biased', (name) => {
    const m = models[name];
    const exact = withX((x) => exactGradient(m, () => tf.tidy(() => {
      const { logJoint, logQ } = enumerateJoint(m.compiled, { x });
      return tf.neg(tf.mean(exactIwaeBound(logJoint, logQ, 3))) as tf.Scalar;
    })));
    const draws = 600;
    expectUnbiased(estimatorMoments(m, new VimcoObjective({ k: 3 }), draws), exact);
    // IWAE's pathwise gradient alone (what autodiff gives with no score term) misses the guide's signal.
    expect(largestGuideDeviation(estimatorMoments(m, new IwaeObjective({ k: 3 }), draws), exact)).toBeGreaterThan(8);
  });

  it('is IWAE exactly on a model without discrete latents (same seed, same gradients)', async () => {
    const lg = await loadOneLevel();
    const x = rowsTensor([[0.1, 0.2, -0.3, 1, 0, 0.5], [1, -1, 0.2, 0.3, 0.4, -2]]);
    const [a, b] = [new VimcoObjective({ k: 4 }), new IwaeObjective({ k: 4 })].map((o) => {
      const grads = estimatorGradients(lg.compiled, o, { x }, { guide: lg.guide, seed: 8 });
      const out = Object.fromEntries([...grads].map(([n, g]) => [n, Array.from(g.dataSync())]));
      tf.dispose([...grads.values()]);
      return out;
    });
    expect(a).toEqual(b);
    x.dispose();
    lg.dispose();
  });
});

describe('REINFORCE on the ELBO (vae)', () => {
  const elboGradient = (m: StrataModel) => withX((x) => exactGradient(m, () => tf.tidy(() => {
    const { logJoint, logQ } = enumerateJoint(m.compiled, { x });
    return tf.neg(tf.mean(exactElbo(logJoint, logQ))) as tf.Scalar;
  })));

  it.each([
    ['onehot', 1, true, -4],
    ['onehot', 2, false, undefined],
    ['bits', 1, false, -3.5],
    ['bits', 1, true, undefined],
  ] as const)('%s, k = %i, analytic KL %s, baseline %s: unbiased for the exact ELBO gradient', (name, k, analyticKl, baseline) => {
    const m = models[name];
    const objective = new VaeObjective({ k, analyticKl });
    if (baseline !== undefined) objective.afterStep(baseline); // a fixed moving average; undefined: the leave-one-out batch mean
    expectUnbiased(estimatorMoments(m, objective, 1500), elboGradient(m));
  });

  it('updates its moving-average baseline after each step', () => {
    const objective = new VaeObjective();
    expect(objective.baseline.value).toBeUndefined();
    objective.afterStep(-10);
    objective.afterStep(-20);
    expect(objective.baseline.value).toBeCloseTo(0.9 * -10 + 0.1 * -20, 10);
  });
});

describe('relaxed and straight-through latents', () => {
  it('relaxed: q and p are binary Concrete densities at the relaxed sample, not Bernoulli ones', () => {
    tf.tidy(() => withX((x) => {
      const trace = models.bits.compiled.trace({ x }, { k: 4, seed: 2, discrete: { z: 'relaxed' }, temperatures: { z: 2 }, analyticKl: true });
      const z = trace.samples.get('z')!;
      const term = trace.latents[0]!;
      const guideLogits = trace.guideParams.get('z')!['logits']!;
      const priorLogits = tf.broadcastTo(models.bits.compiled.variables.get('prior_logits')!, z.shape);
      expect(term.scoreFunction).toBeUndefined();
      expect(term.kl).toBeUndefined();
      const ys = Array.from(z.dataSync());
      expect(ys.every((y) => y > 0 && y < 1) && ys.some((y) => y !== 0 && y !== 1)).toBe(true);
      const close = (a: Tensor, b: Tensor) => Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i]!, 3));
      close(term.logQ, new RelaxedBernoulli(guideLogits, 2).logProb(z));
      close(term.logP, new RelaxedBernoulli(priorLogits, 2).logProb(z));
      const discrete = Array.from(new Bernoulli(guideLogits).logProb(z).dataSync());
      expect(Array.from(term.logQ.dataSync()).some((v, i) => Math.abs(v - discrete[i]!) > 0.1)).toBe(true);
    }));
  });

  it('relaxed: a OneHotCategorical is scored with the Concrete density', () => {
    tf.tidy(() => withX((x) => {
      const trace = models.onehot.compiled.trace({ x }, { k: 3, seed: 4, discrete: { z: 'relaxed' }, temperatures: { z: 1.5 } });
      const z = trace.samples.get('z')!;
      const want = new RelaxedOneHotCategorical(trace.guideParams.get('z')!['logits']!, 1.5).logProb(z);
      Array.from(trace.latents[0]!.logQ.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want.dataSync()[i]!, 3));
    }));
  });

  it('straight-through: discrete values and densities forward, a (biased) gradient to the guide backward', () => {
    const m = models.bits;
    withX((x) => {
      const values = tf.tidy(() => {
        const trace = m.compiled.trace({ x }, { k: 5, seed: 6, discrete: { z: 'straight-through' }, temperatures: { z: 0.5 } });
        const z = trace.samples.get('z')!;
        const logQ = Array.from(trace.latents[0]!.logQ.dataSync());
        const want = Array.from(new Bernoulli(trace.guideParams.get('z')!['logits']!).logProb(z).dataSync());
        logQ.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
        return Array.from(z.dataSync());
      });
      expect(values.every((v) => v === 0 || v === 1)).toBe(true);
      const encoder = m.compiled.variables.get('encoder.weight')!;
      const grad = tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.neg(tf.mean(logWeights(m.compiled.trace({ x }, { k: 5, seed: 6, discrete: { z: 'straight-through' } })))) as tf.Scalar, [encoder]);
        return Array.from(grads[encoder.name]!.dataSync());
      });
      expect(grad.every(Number.isFinite) && grad.some((g) => g !== 0)).toBe(true);
    });
  });

  it('lowers the temperature geometrically from `from` to `to`, then keeps it', () => {
    const schedule = { z: { from: 1, to: 0.5, steps: 4 }, c: { from: 0.7 } };
    const at = [0, 1, 2, 4, 10].map((step) => temperaturesAt(schedule, step, 0));
    expect(at.map((t) => t['z'])).toEqual([1, 0.5 ** 0.25, 0.5 ** 0.5, 0.5, 0.5]);
    expect(at.every((t) => t['c'] === 0.7)).toBe(true);
    expect(temperaturesAt({ z: { from: 2, to: 0.5, epochs: 2 } }, 0, 1)['z']).toBeCloseTo(1, 12);
  });
});

describe('training with discrete latents', () => {
  const data = { x: XS };
  it.each<[string, Partial<InferOptions>]>([
    ['vimco (score function)', { objective: 'vimco', k: 3 }],
    ['vae (REINFORCE)', { objective: 'vae', k: 1 }],
    ['iwae, relaxed with an annealed temperature', { objective: 'iwae', k: 3, discrete: { z: 'relaxed' }, temperature: { z: { from: 1, to: 0.5, steps: 3 } } }],
    ['vae, straight-through', { objective: 'vae', k: 2, discrete: { z: 'straight-through' } }],
  ])('%s: steps keep tf.memory().numTensors flat', async (_, options) => {
    const m = await compileModel(SOURCES.onehot, { backend: 'cpu', seed: 1 });
    await infer(m, { data, epochs: 1, batchSize: 3, ...options }); // creates the optimizer's state
    const before = tf.memory().numTensors;
    const { history } = await infer(m, { data, epochs: 3, batchSize: 2, ...options });
    expect(tf.memory().numTensors).toBe(before);
    expect(history.every((h) => Number.isFinite(h.bound) && Number.isFinite(h.loss))).toBe(true);
    m.dispose();
  });

  it('reports the bound as the loss (the score terms enter with zero value)', async () => {
    const m = await compileModel(SOURCES.bits, { backend: 'cpu', seed: 1 });
    const { history } = await infer(m, { data, objective: 'vimco', k: 4, epochs: 2, batchSize: 3 });
    history.forEach((h) => expect(h.loss).toBeCloseTo(-h.bound, 4));
    m.dispose();
  });

  it.each<[string, Partial<InferOptions>, RegExp]>([
    ['iwae on a score-function latent', { objective: 'iwae' }, /iwae: the discrete latent 'z' would need the score function, which iwae does not estimate: use --objective vimco .* or vae \(REINFORCE\), or relax it with --discrete z:relaxed/],
    ['vimco with k = 1', { objective: 'vimco', k: 1 }, /vimco: k must be at least 2/],
    ['stl on a score-function latent', { objective: 'vae', estimator: 'stl' }, /the estimator stl detaches the guide's parameters in log q, which cuts the score-function term of 'z'/],
    ['a mode for an unknown latent', { objective: 'vimco', discrete: { w: 'relaxed' } }, /discrete: 'w' is not a latent of the model; the discrete latents are z/],
    ['an unknown mode', { objective: 'vimco', discrete: { z: 'gumbel' as 'relaxed' } }, /unknown mode 'gumbel' for 'z'; use one of score, relaxed, straight-through/],
    ['a temperature for a score-function latent', { objective: 'vimco', temperature: { z: { from: 0.5 } } }, /temperature: 'z' is not a relaxed latent; relax it first with --discrete z:relaxed/],
  ])('refuses %s', async (_, options, message) => {
    const m = await compileModel(SOURCES.bits, { backend: 'cpu', seed: 1 });
    await expect(infer(m, { data, epochs: 1, ...options })).rejects.toThrow(message);
    m.dispose();
  });

  it('observes int data with a Categorical likelihood, and refuses values that are not indices', async () => {
    const source = `data y: int[1]\nmodel {\n  net decoder = linear(2 -> 3)\n  z: real[2] ~ Normal(0, 1)\n  y ~ Categorical(logits: decoder(z))\n}\nguide q {\n  net encoder = linear(1 -> 2)\n  z ~ Normal(encoder(y), 1)\n}\n`;
    const m = await compileModel(source, { backend: 'cpu', seed: 2 });
    const { history } = await infer(m, { data: { y: [[0], [2], [1], [2]] }, objective: 'iwae', k: 3, epochs: 2, batchSize: 2 });
    expect(history.every((h) => Number.isFinite(h.bound))).toBe(true);
    await expect(infer(m, { data: { y: [[0], [1.5]] }, epochs: 1 })).rejects.toThrow(/data 'y' is declared int but holds values that are not category indices/);
    m.dispose();
  });

  it('refuses to relax a Categorical index', async () => {
    const m = await compileModel(SOURCES.categorical, { backend: 'cpu', seed: 1 });
    await expect(infer(m, { data, objective: 'iwae', epochs: 1, discrete: { z: 'relaxed' } })).rejects.toThrow(/'z' is a Categorical index, which has no continuous relaxation; use --discrete z:score, or declare it binary\[K\] ~ OneHotCategorical/);
    m.dispose();
  });
});
