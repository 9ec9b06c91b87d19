/**
 * Learned priors in compiled models, against direct double-precision
 * computations: a VampPrior's log p(z) is the log-mean-exp over the K
 * pseudo-inputs of the guide's density at each (its encoder and definitions
 * re-run on the pseudo-inputs), and a MixtureNormal prior's is the mixture
 * density; both train, with gradients reaching the pseudo-inputs (parameters
 * of the model) and the guide's encoder through the prior; no tensor leaks;
 * DReG refused with a VampPrior.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel, createObjective, infer, type StrataModel } from '../../src/index.js';
import { estimatorGradients } from '../../src/inference/estimator-gradients.js';
import { TestRandom } from '../helpers/linear-gaussian.js';
import { rowsTensor } from '../helpers/models.js';

const [Z, X, H] = [3, 5, 4];

const vampModel = (K: number) => `Z = ${Z}
X = ${X}
data x: real[X]

model {
  net decoder = linear(Z -> X)
  z: real[Z] ~ VampPrior(q, ${K})
  x ~ Normal(decoder(z), 0.5)
}

guide q {
  net encoder = mlp(X -> ${H} -> 2 * Z, tanh)
  e = encoder(x)
  z ~ Normal(loc: e[0:Z], scale: softplus(e[Z:]) + 1e-3)
}
`;

const MIXTURE_MODEL = `Z = ${Z}
X = ${X}
K = 4
data x: real[X]

model {
  net decoder = linear(Z -> X)
  param mix_logits: real[K]
  param mix_locs: real[K * Z] = normal(0, 1)
  param mix_log_scales: real[K * Z]
  z: real[Z] ~ MixtureNormal(mix_logits, mix_locs, exp(mix_log_scales))
  x ~ Normal(decoder(z), 0.5)
}

guide q {
  net encoder = linear(X -> Z)
  param guide_log_scale: real[Z]
  z ~ Normal(encoder(x), exp(guide_log_scale))
}
`;

const models: StrataModel[] = [];
async function load(source: string, seed = 0): Promise<StrataModel> {
  const m = await compileModel(source, { backend: 'cpu', seed });
  models.push(m);
  return m;
}
afterAll(() => models.splice(0).forEach((m) => m.dispose()));

const normalLogPdf = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
const logSumExp = (a: readonly number[]) => {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
};
const softplus = (v: number) => Math.log1p(Math.exp(v));

/** Random values for every parameter of `m`, as float32 (the model's precision). */
function randomize(m: StrataModel, seed: number, scale = 0.8): Record<string, number[]> {
  const rng = new TestRandom(seed);
  const values = Object.fromEntries(Object.entries(m.getParameters()).map(([n, p]) => [n, rng.normals(p.values.length, scale).map(Math.fround)]));
  m.setParameters(values);
  return values;
}

/** The guide's encoder mlp(X -> H -> 2Z, tanh) in double precision: [loc, scale] of q(z | u). */
function encode(p: Record<string, number[]>, u: readonly number[]): { loc: number[]; scale: number[] } {
  const layer = (input: readonly number[], w: number[], b: number[], outs: number) =>
    Array.from({ length: outs }, (_, j) => b[j]! + input.reduce((s, v, i) => s + v * w[i * outs + j]!, 0));
  const hidden = layer(u, p['encoder.0.weight']!, p['encoder.0.bias']!, H).map(Math.tanh);
  const e = layer(hidden, p['encoder.1.weight']!, p['encoder.1.bias']!, 2 * Z);
  return { loc: e.slice(0, Z), scale: e.slice(Z).map((v) => softplus(v) + 1e-3) };
}

/** Samples z `[k][batch][Z]` and log p(z) `[k][batch]` from one trace. */
function traced(m: StrataModel, rows: number[][], k: number): { z: number[][][]; logP: number[][] } {
  const x = rowsTensor(rows);
  const out = tf.tidy(() => {
    const trace = m.compiled.trace({ x }, { k, seed: 3 });
    return { z: trace.samples.get('z')!.arraySync() as number[][][], logP: trace.latents.find((l) => l.name === 'z')!.logP.arraySync() as number[][] };
  });
  x.dispose();
  return out;
}

describe('VampPrior', () => {
  for (const K of [1, 6]) {
    it(`with K = ${K}, log p(z) = log (1/K) Σ_k q(z | u_k), computed directly`, async () => {
      const m = await load(vampModel(K));
      const p = randomize(m, 10 + K);
      const pseudo = p['z.pseudo_inputs.x']!;
      expect(m.getParameters()['z.pseudo_inputs.x']!.shape).toEqual([K, X]);
      const components = Array.from({ length: K }, (_, k) => encode(p, pseudo.slice(k * X, (k + 1) * X)));
      const rows = new TestRandom(1).matrix(4, X, 1).map((r) => r.map(Math.fround));
      const { z, logP } = traced(m, rows, 3);
      z.forEach((particles, i) =>
        particles.forEach((point, b) => {
          const want = logSumExp(components.map(({ loc, scale }) => point.reduce((s, v, d) => s + normalLogPdf(v, loc[d]!, scale[d]!), 0))) - Math.log(K);
          expect(Math.abs(logP[i]![b]! - want), `sample ${i}, row ${b}`).toBeLessThan(1e-4 * (1 + Math.abs(want)));
        }),
      );
    });
  }

  it('trains: the prior\'s gradient reaches the pseudo-inputs, parameters of the model; no tensor leaks', async () => {
    const m = await load(vampModel(5), 2);
    randomize(m, 3, 0.5);
    const rows = new TestRandom(4).matrix(40, X, 1);
    const batch = { x: rowsTensor(rows.slice(0, 8)) };
    const grads = estimatorGradients(m.compiled, createObjective('iwae', { k: 4 }), batch, { guide: 'q', seed: 0 });
    const norm = (name: string) => Math.hypot(...grads.get(name)!.dataSync());
    expect(norm('z.pseudo_inputs.x')).toBeGreaterThan(1e-4);
    expect(m.compiled.variablesOf('model').map((v) => v.name).some((n) => n.startsWith('z/pseudo_inputs/x'))).toBe(true);
    tf.dispose([...grads.values(), ...Object.values(batch)]);
    const options = { data: { x: rows }, objective: 'iwae' as const, k: 4, epochs: 2, batchSize: 20, learningRate: 1e-2 };
    const first = await infer(m, options);
    const before = tf.memory().numTensors;
    const second = await infer(m, { ...options, estimator: 'stl' });
    await infer(m, { ...options, objective: 'vae', k: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(first.history[0]!.bound) && Number.isFinite(second.history[1]!.bound)).toBe(true);
  });

  it('refuses DReG: the prior reads the guide\'s parameters', async () => {
    const m = await load(vampModel(3));
    await expect(infer(m, { data: { x: [[0, 0, 0, 0, 0]] }, objective: 'iwae', estimator: 'dreg', epochs: 1 })).rejects.toThrow(
      /VampPrior of 'z' reads guide 'q''s parameters.*use --estimator stl or reparam/,
    );
  });
});

describe('MixtureNormal prior', () => {
  it('log p(z) is the mixture density of the learned weights, means and scales, computed directly', async () => {
    const m = await load(MIXTURE_MODEL);
    const p = randomize(m, 21);
    const logits = p['mix_logits']!;
    const logZ = logSumExp(logits);
    const rows = new TestRandom(2).matrix(3, X, 1).map((r) => r.map(Math.fround));
    const { z, logP } = traced(m, rows, 2);
    z.forEach((particles, i) =>
      particles.forEach((point, b) => {
        const want = logSumExp(logits.map((l, j) => l - logZ + point.reduce((s, v, d) => s + normalLogPdf(v, p['mix_locs']![j * Z + d]!, Math.exp(p['mix_log_scales']![j * Z + d]!)), 0)));
        expect(Math.abs(logP[i]![b]! - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
      }),
    );
  });

  it('is also a likelihood: a network gives each point its K means; it trains and its bound is finite', async () => {
    const m = await load(`Z = 2
K = 3
data x: real[4]
model {
  net decoder = linear(Z -> K * 4)
  param mix_logits: real[K]
  z: real[Z] ~ Normal(0, 1)
  x ~ MixtureNormal(mix_logits, decoder(z), 0.5)
}
guide q {
  net encoder = linear(4 -> Z)
  z ~ Normal(encoder(x), 0.5)
}
`);
    const rows = new TestRandom(7).matrix(30, 4, 1);
    const { history } = await infer(m, { data: { x: rows }, objective: 'iwae', k: 4, epochs: 2, batchSize: 10, learningRate: 1e-2 });
    expect(history.every((h) => Number.isFinite(h.bound))).toBe(true);
    expect(Array.from(await m.bound({ x: rows.slice(0, 5) }, { k: 20 })).every(Number.isFinite)).toBe(true);
  });

  it('trains its weights, means and scales (vae with Monte Carlo KL, iwae), with no tensor leaks', async () => {
    const m = await load(MIXTURE_MODEL, 1);
    const rows = new TestRandom(6).matrix(40, X, 1);
    const before = m.getParameters();
    const options = { data: { x: rows }, objective: 'vae' as const, epochs: 1, batchSize: 20, learningRate: 1e-2 };
    await infer(m, options);
    const start = tf.memory().numTensors;
    await infer(m, options);
    await infer(m, { ...options, objective: 'iwae', k: 3 });
    expect(tf.memory().numTensors).toBe(start);
    const after = m.getParameters();
    for (const name of ['mix_logits', 'mix_locs', 'mix_log_scales']) expect(Array.from(after[name]!.values), name).not.toEqual(Array.from(before[name]!.values));
  });
});
