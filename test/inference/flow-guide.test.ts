/**
 * Normalizing-flow guides end to end, against the closed forms of the
 * one-level linear-Gaussian model (test/helpers/linear-gaussian.ts) with a
 * decoder whose rows share a direction, so the exact posterior is correlated.
 * With the decoder held at the truth, a mean-field guide's ELBO is at best
 * log p(x) − ½(Σ_i log Λ_ii − log det Λ) (Λ the posterior precision), and a
 * flow guide, trained the same way, must beat that floor and come close to
 * log p(x); its ELBO and IWAE bounds stay below log p(x). Also: sticking the
 * landing on a flow guide is unbiased (its mean gradient equals the
 * reparameterization gradient's; the flow's parameters get identical ones),
 * no closed-form KL for a flow, DReG refused, no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, createObjective, infer, type StrataModel } from '../../src/index.js';
import { estimatorGradients } from '../../src/inference/estimator-gradients.js';
import {
  addMatrices,
  flatten,
  fround,
  identity,
  logDet,
  matMul,
  meanAndStandardError,
  ONE_LEVEL,
  oneLevelLogPx,
  sampleOneLevel,
  scaleMatrix,
  TestRandom,
  transpose,
  type OneLevelParams,
} from '../helpers/linear-gaussian.js';
import { rowsTensor } from '../helpers/models.js';

const rng = new TestRandom(11);
const shared = rng.normals(6, 1);
/** decoder.weight [4, 6]: independent rows plus 0.7 of one shared row, so the posterior's coordinates correlate. */
const W = rng.matrix(4, 6, 0.5).map((row) => fround(row.map((v, j) => v + 0.7 * shared[j]!)));
const truth: OneLevelParams = { W, b: fround(rng.normals(6, 0.5)) };
const data = sampleOneLevel(truth, 300, rng).map(fround);
const logPx = data.map((x) => oneLevelLogPx(truth, x));

/** The best mean-field gap, KL(q* ‖ p(z | x)) for q* = N(μ, diag(1/Λ_ii)): ½(Σ log Λ_ii − log det Λ), the same for every x. */
const precision = addMatrices(identity(4), scaleMatrix(matMul(W, transpose(W)), 1 / ONE_LEVEL.noise ** 2));
const meanFieldFloor = 0.5 * (precision.reduce((s, row, i) => s + Math.log(row[i]!), 0) - logDet(precision));

const MODEL = `Z = 4
X = 6
data x: real[X]

model {
  net decoder = linear(Z -> X)
  z: real[Z] ~ Normal(0, 1)
  x ~ Normal(decoder(z), 0.5)
}
`;
const guide = (distribution: string) => `guide q {
  net encoder = linear(X -> Z)
  param guide_log_scale: real[Z]
  z ~ ${distribution}
}
`;
const MEAN_FIELD = guide('Normal(encoder(x), exp(guide_log_scale))');
const IAF = guide('Flow(Normal(encoder(x), exp(guide_log_scale)), iaf(2, 16))');
const PLANAR = guide('Flow(Normal(encoder(x), exp(guide_log_scale)), planar(2))');
const DECODER = { 'decoder.weight': flatten(W), 'decoder.bias': truth.b };

const models: StrataModel[] = [];
async function load(guideText: string, seed = 3): Promise<StrataModel> {
  const m = await compileModel(MODEL + guideText, { backend: 'cpu', seed });
  models.push(m);
  m.setParameters(DECODER);
  return m;
}
afterAll(() => models.splice(0).forEach((m) => m.dispose()));

/** Trains the guide only: the decoder is put back at the truth after every step, so each step's trace sees the true model. */
async function trainGuide(m: StrataModel, epochs: number): Promise<void> {
  await infer(m, { data: { x: data }, objective: 'vae', k: 1, epochs, batchSize: 100, learningRate: 2e-2, seed: 1, onStep: () => m.setParameters(DECODER) });
}

/** Per row, log p(x) − ELBO estimated by the mean of `seeds` single-sample bounds: the row's KL(q ‖ p(z | x)) plus noise. */
async function gaps(m: StrataModel, seeds: number): Promise<number[]> {
  const sum = new Array<number>(data.length).fill(0);
  for (let s = 0; s < seeds; s++) (await m.bound({ x: data }, { k: 1, seed: 1000 + s })).forEach((v, i) => (sum[i]! += v / seeds));
  return sum.map((elbo, i) => logPx[i]! - elbo);
}

describe('a flow guide on a correlated linear-Gaussian posterior', () => {
  let meanField: { mean: number; se: number };
  let flow: { mean: number; se: number };
  let flowModel: StrataModel;

  beforeAll(async () => {
    expect(meanFieldFloor).toBeGreaterThan(1); // the posterior is far from factorial: there is something to gain
    const mf = await load(MEAN_FIELD);
    flowModel = await load(IAF);
    await trainGuide(mf, 150);
    await trainGuide(flowModel, 150);
    meanField = meanAndStandardError(await gaps(mf, 8));
    flow = meanAndStandardError(await gaps(flowModel, 8));
  });

  it('the mean-field guide stays above its closed-form floor (so the floor is the right yardstick)', () => {
    expect(meanField.mean).toBeGreaterThan(meanFieldFloor - 4 * meanField.se);
  });

  it('the flow guide beats every mean-field guide: its gap to log p(x) is below the mean-field floor', () => {
    expect(flow.mean + 4 * flow.se).toBeLessThan(meanFieldFloor);
    expect(flow.mean + 4 * flow.se).toBeLessThan(meanField.mean - 4 * meanField.se);
  });

  it('and approaches log p(x): within a quarter of the mean-field floor, never above it', () => {
    expect(flow.mean).toBeLessThan(0.25 * meanFieldFloor);
    expect(flow.mean).toBeGreaterThan(-4 * flow.se); // a valid bound: E[ELBO] <= log p(x)
  });

  it('its IWAE bounds rise with k and stay below log p(x) (log q includes the log-determinant)', async () => {
    const rows = data.slice(0, 100);
    const exact = logPx.slice(0, 100).reduce((a, b) => a + b, 0) / rows.length;
    const bound = async (k: number) => (await flowModel.bound({ x: rows }, { k, seed: 5 })).reduce((a, b) => a + b, 0) / rows.length;
    const [b1, b50] = [await bound(1), await bound(50)];
    expect(b50).toBeGreaterThan(b1);
    expect(b50).toBeLessThan(exact + 0.01);
    expect(exact - b50).toBeLessThan(exact - b1);
  });
});

describe('estimators on a flow guide', () => {
  it('sticking the landing is unbiased: the mean STL gradient equals the reparameterization gradient\'s, and the flow\'s parameters get the same', async () => {
    const m = await load(PLANAR, 4);
    const rand = new TestRandom(8);
    // Somewhere off the optimum: a random encoder, scales and flow.
    m.setParameters({ 'encoder.weight': rand.normals(24, 0.3), 'guide_log_scale': rand.normals(4, 0.3), 'q.z.flow.0.u': rand.normals(4), 'q.z.flow.1.w': rand.normals(4) });
    const batch = { x: rowsTensor(data.slice(0, 8)) };
    const reparam = createObjective('vae', { k: 1, analyticKl: false });
    const stl = createObjective('vae', { k: 1, estimator: 'stl' });
    const names = m.parameterNames().filter((n) => !n.startsWith('decoder.'));
    const draws = 400;
    const diffs = new Map(names.map((n) => [n, [] as number[][]]));
    for (let seed = 0; seed < draws; seed++) {
      const [a, b] = [estimatorGradients(m.compiled, stl, batch, { guide: 'q', seed }), estimatorGradients(m.compiled, reparam, batch, { guide: 'q', seed })];
      for (const n of names) diffs.get(n)!.push(Array.from(a.get(n)!.dataSync()).map((v, i) => v - b.get(n)!.dataSync()[i]!));
      tf.dispose([...a.values(), ...b.values()]);
    }
    tf.dispose(Object.values(batch));
    // Per coordinate, the paired difference (the dropped score term) has mean 0: within 4.5 standard errors for each of ~50 coordinates.
    let nonzero = 0;
    for (const n of names) {
      const rows = diffs.get(n)!;
      for (let i = 0; i < rows[0]!.length; i++) {
        const column = rows.map((r) => r[i]!);
        if (n.startsWith('q.z.flow.')) {
          expect(Math.max(...column.map(Math.abs)), `${n}[${i}]`).toBeLessThan(1e-5); // live in both: the same gradient
          continue;
        }
        const { mean, se } = meanAndStandardError(column);
        if (se > 0) nonzero++;
        expect(Math.abs(mean), `${n}[${i}]: mean ${mean}, se ${se}`).toBeLessThan(4.5 * se + 1e-7);
      }
    }
    expect(nonzero).toBeGreaterThan(10); // STL does drop a (noisy) term for the base's parameters
  });

  it('takes no closed-form KL for a flow latent, even with analyticKl', async () => {
    const m = await load(PLANAR);
    const x = rowsTensor(data.slice(0, 4));
    const kl = tf.tidy(() => m.compiled.trace({ x }, { k: 2, seed: 0, analyticKl: true }).latents[0]!.kl);
    expect(kl).toBeUndefined();
    x.dispose();
  });

  it('refuses DReG, naming the flow and what to use instead', async () => {
    const m = await load(IAF);
    await expect(infer(m, { data: { x: data.slice(0, 10) }, objective: 'iwae', k: 4, estimator: 'dreg', epochs: 1 })).rejects.toThrow(
      /dreg estimator does not apply to guide 'q', which samples 'z' through a normalizing flow.*use --estimator stl or reparam/,
    );
  });

  it('a training step leaves no tensors behind (iwae and stl, planar and iaf)', async () => {
    for (const text of [PLANAR, IAF, guide('Flow(Normal(encoder(x), exp(guide_log_scale)), coupling(2, 8), iaf(1, 8, context: encoder(x)))')]) {
      const m = await load(text);
      const options = { data: { x: data.slice(0, 40) }, objective: 'iwae' as const, k: 3, epochs: 1, batchSize: 20 };
      await infer(m, options); // creates Adam's slots
      const before = tf.memory().numTensors;
      await infer(m, { ...options, estimator: 'stl' });
      await infer(m, options);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
