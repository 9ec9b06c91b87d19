/**
 * DReG (Tucker et al. 2019) and PIWAE (Rainforth et al. 2018) against IWAE on
 * the linear-Gaussian fixtures, where the truth is known:
 *   - identities on fixed noise: DReG's model gradient is IWAE's; PIWAE(M = 1, L)
 *     gives IWAE-L's gradient to both groups; CIWAE(β = 0) with DReG is IWAE with DReG;
 *   - with the exact posterior as (top-down, hierarchical) guide, the STL and DReG guide
 *     gradients are zero for every noise draw: the detached guide keeps z2's path through
 *     q(z1 | x, z2) (cutting it leaves a non-zero, biased STL/DReG gradient);
 *   - DReG's expected guide gradient is IWAE's (statistical, tolerance from standard errors);
 *   - training: two Adam states survive a checkpoint and resume bit-exactly; tensor counts flat.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimatorGradients } from '../../src/inference/estimator-gradients.js';
import { loadCheckpoint, restoreInto, saveCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { CiwaeObjective, compileModel, createObjective, infer, IwaeObjective, MiwaeObjective, PiwaeObjective, TdIwaeObjective, type Objective, type StrataModel } from '../../src/index.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../cli/run-cli.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fround, froundMatrix, identity, twoLevelLogPx, meanAndStandardError, oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, TestRandom, twoLevelGuideParameters, twoLevelModelParameters, twoLevelTopDownGuide } from '../helpers/linear-gaussian.js';
import { loadOneLevel, loadTwoLevel, rowsTensor } from '../helpers/models.js';
import { INFO, TWO_LEVEL_SOURCE } from '../checkpoint/fixture.js';

const MODEL = fileURLToPath(new URL('../../models/linear-gaussian-2level.ppl', import.meta.url));
const rng = new TestRandom(23);
const oneParams = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6, 0.5) };
const twoParams = { A: rng.matrix(3, 5, 0.8), a: rng.normals(5, 0.3), W: rng.matrix(5, 6, 0.7), b: rng.normals(6, 0.3) };
const xs = Array.from({ length: 3 }, () => rng.normals(6, 1.5));

let one: StrataModel;
let two: StrataModel;
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

/**
 * The estimator's gradient of every parameter, as arrays, on `xs` with noise `seed`, the objective validated
 * as training validates it (so DReG runs in one pass); `separate`: one pass per group instead.
 */
function gradients(model: StrataModel, objective: Objective, seed: number, separate = false): Record<string, number[]> {
  objective.validate(model.ir, model.guide);
  const x = rowsTensor(xs);
  try {
    const grads = estimatorGradients(model.compiled, objective, { x }, { guide: model.guide, seed, separatePasses: separate });
    const out = Object.fromEntries([...grads].map(([n, g]) => [n, Array.from(g.dataSync())]));
    tf.dispose([...grads.values()]);
    return out;
  } finally {
    x.dispose();
  }
}

const groupOf = (model: StrataModel, name: string) => model.ir.parameters.find((p) => p.name === name)!.owner.kind;
const pick = (model: StrataModel, grads: Record<string, number[]>, group: 'model' | 'guide') => Object.fromEntries(Object.entries(grads).filter(([n]) => groupOf(model, n) === group));

describe('identities on fixed noise', () => {
  it("DReG's model gradient is IWAE's; PIWAE(1, L) gives IWAE-L's gradient to both groups; CIWAE(0) with DReG is IWAE with DReG", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 10 }), (s, k) => {
        for (const model of [one, two]) {
          const iwae = gradients(model, new IwaeObjective({ k }), s);
          const dreg = gradients(model, new IwaeObjective({ k, estimator: 'dreg' }), s, true);
          expect(pick(model, dreg, 'model')).toEqual(pick(model, iwae, 'model'));
          expect(gradients(model, new PiwaeObjective({ m: 1, k }), s)).toEqual(iwae);
          expect(gradients(model, new PiwaeObjective({ m: 1, k, estimator: 'dreg' }), s)).toEqual(dreg);
          expect(gradients(model, new CiwaeObjective({ beta: 0, k, estimator: 'dreg' }), s, true)).toEqual(dreg);
          expect(gradients(model, new MiwaeObjective({ m: 1, k, estimator: 'dreg' }), s, true)).toEqual(dreg);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('DReG in one backward pass (the sample gradient scale) gives the two-pass gradients of every objective, to float32 rounding', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (s, k, beta) => {
        const objectives = (): Objective[] => [
          new IwaeObjective({ k, estimator: 'dreg' }),
          new MiwaeObjective({ m: 3, k, estimator: 'dreg' }),
          new CiwaeObjective({ beta, k, estimator: 'dreg' }),
        ];
        for (const model of [one, two]) {
          const list = model === two ? [...objectives(), new TdIwaeObjective({ k: k + 1, estimator: 'dreg' })] : objectives();
          for (const objective of list) {
            const joint = gradients(model, objective, s);
            expect(objective.jointGroups, objective.name).toBe(true);
            const separate = gradients(model, objective, s, true);
            for (const [name, g] of Object.entries(separate)) {
              const scale = Math.max(1e-3, ...g.map(Math.abs));
              g.forEach((v, j) => expect(Math.abs(joint[name]![j]! - v) / scale, `${objective.name} ${name}[${j}]`).toBeLessThan(2e-5));
            }
          }
        }
      }),
      { numRuns: 6 },
    );
  });

  it('PIWAE keeps two passes; so does DReG on a guide with a discrete latent (sbn-mnist.ppl)', async () => {
    const piwae = new PiwaeObjective({ m: 2, k: 2, estimator: 'dreg' });
    piwae.validate(two.ir, two.guide);
    expect([piwae.separateGroups, piwae.jointGroups]).toEqual([true, false]);
    const sbnPath = fileURLToPath(new URL('../../models/sbn-mnist.ppl', import.meta.url));
    const sbn = await compileModel(readFileSync(sbnPath, 'utf8'), { backend: 'cpu', fileName: 'models/sbn-mnist.ppl' });
    try {
      const iwae = new IwaeObjective({ k: 3, estimator: 'dreg' });
      iwae.validate(sbn.ir, sbn.guide);
      expect([iwae.separateGroups, iwae.jointGroups]).toEqual([true, false]);
    } finally {
      sbn.dispose();
    }
  });

  it("PIWAE(M, L): the model gets IWAE-(M·L)'s gradient, the guide MIWAE(M, L)'s, from the same samples", () => {
    const [m, k, s] = [3, 2, 11];
    const piwae = gradients(two, new PiwaeObjective({ m, k }), s);
    expect(pick(two, piwae, 'model')).toEqual(pick(two, gradients(two, new IwaeObjective({ k: m * k }), s), 'model'));
    expect(pick(two, piwae, 'guide')).toEqual(pick(two, gradients(two, new MiwaeObjective({ m, k }), s), 'guide'));
  });
});

/**
 * A two-level model whose top-down posterior factors have diagonal covariances, so the mean-field
 * top-down guide can be exact: W = diag(s)·(5 orthonormal rows) makes Cov(z1 | x, z2) diagonal, and
 * A with disjoint column supports makes Cov(z2 | x) = (I + A·diag(s²/(0.49 s² + 0.25))·Aᵀ)⁻¹ diagonal.
 */
function diagonalPosteriorParams() {
  const v = [0.3, -0.8, 0.5, 0.1, 0.6, -0.2];
  const n2 = v.reduce((t, x) => t + x * x, 0);
  const q = identity(6).map((row, i) => row.map((e, j) => e - (2 * v[i]! * v[j]!) / n2));
  const s = [1.4, 0.9, 1.8, 0.7, 1.2];
  const W = froundMatrix(s.map((si, i) => q[i]!.map((x) => si * x)));
  const A = froundMatrix([
    [0.9, -0.6, 0, 0, 0],
    [0, 0, 1.1, 0.4, 0],
    [0, 0, 0, 0, -0.8],
  ]);
  return { A, a: fround([0.2, -0.1, 0.3, 0, 0.1]), W, b: fround([0.1, 0.2, -0.3, 0, 0.4, -0.1]) };
}

describe('with the exact posterior as guide', () => {
  let exact: StrataModel;
  const params = diagonalPosteriorParams();
  beforeAll(async () => {
    exact = await loadTwoLevel();
    exact.setParameters({ ...twoLevelModelParameters(params), ...twoLevelGuideParameters(twoLevelTopDownGuide(params, 1)) });
  });

  it('the guide is exact: every log-weight is the closed-form log p(x)', () => {
    const x = rowsTensor(xs);
    try {
      const logW = tf.tidy(() => Array.from(new IwaeObjective({ k: 7 }).estimate(exact.compiled.trace({ x }, { k: 7, seed: 3 }), new Map()).bound.dataSync()));
      logW.forEach((v, j) => expect(v).toBeCloseTo(twoLevelLogPx(params, xs[j]!), 3));
    } finally {
      x.dispose();
    }
  });
  afterAll(() => exact.dispose());

  it('STL and DReG guide gradients are zero for every noise draw on the two-level top-down guide; reparam is not', () => {
    const largest = (g: Record<string, number[]>) => Math.max(...Object.values(pick(exact, g, 'guide')).flat().map(Math.abs));
    let reparam = 0;
    for (let s = 0; s < 6; s++) {
      for (const objective of [new IwaeObjective({ k: 5, estimator: 'stl' }), new TdIwaeObjective({ k: 5, estimator: 'dreg' }), new PiwaeObjective({ m: 2, k: 3, estimator: 'dreg' })]) {
        expect(largest(gradients(exact, objective, s))).toBeLessThan(2e-4);
      }
      reparam = Math.max(reparam, largest(gradients(exact, new IwaeObjective({ k: 5 }), s)));
    }
    expect(reparam).toBeGreaterThan(0.05);
  });
});

describe('DReG in expectation', () => {
  it("its expected guide gradient is IWAE's (every coordinate within 4.5 standard errors), with a smaller spread", () => {
    const S = 400;
    const k = 5;
    const draws = (estimator: 'reparam' | 'dreg', offset: number) => Array.from({ length: S }, (_, s) => pick(one, gradients(one, new IwaeObjective({ k, estimator }), offset + s), 'guide'));
    const reparam = draws('reparam', 0);
    const dreg = draws('dreg', 100_000);
    let sdRatio = 0;
    let count = 0;
    for (const name of Object.keys(reparam[0]!)) {
      reparam[0]![name]!.forEach((_, j) => {
        const a = meanAndStandardError(reparam.map((g) => g[name]![j]!));
        const b = meanAndStandardError(dreg.map((g) => g[name]![j]!));
        expect(Math.abs(a.mean - b.mean), `${name}[${j}]`).toBeLessThan(4.5 * Math.hypot(a.se, b.se) + 1e-6);
        sdRatio += b.sd / Math.max(a.sd, 1e-9);
        count++;
      });
    }
    expect(sdRatio / count).toBeLessThan(1);
  });
});

describe('training with two optimizers', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'strata-piwae-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const data = Array.from({ length: 12 }, () => rng.normals(6, 1.5));

  it('PIWAE with DReG: two Adam states survive a checkpoint and resume, bit-exactly', async () => {
    const options = { data, objective: 'piwae' as const, m: 2, k: 2, estimator: 'dreg' as const, batchSize: 4, learningRate: 0.01, seed: 5 };
    const straight = await loadTwoLevel(1);
    const resumed = await loadTwoLevel(1);
    const fresh = await loadTwoLevel(1);
    try {
      await infer(straight, { ...options, epochs: 3 });
      expect(straight.groupOptimizers).toBeDefined();
      expect(straight.optimizer).toBeUndefined();
      await infer(resumed, { ...options, epochs: 1 });
      await saveCheckpoint(tmp, resumed, { ...INFO, source: TWO_LEVEL_SOURCE });
      await restoreInto(fresh, await loadCheckpoint(tmp), { allowSourceChange: true });
      await infer(fresh, { ...options, epochs: 2 });
      for (const name of straight.parameterNames()) {
        expect(Array.from(fresh.compiled.variables.get(name)!.dataSync()), name).toEqual(Array.from(straight.compiled.variables.get(name)!.dataSync()));
      }
    } finally {
      [straight, resumed, fresh].forEach((m) => m.dispose());
    }
  });

  it('switching between one and two optimizers keeps Adam exact: iwae+dreg then iwae equals iwae throughout on the model', async () => {
    // DReG's model gradient is IWAE's, so the model's parameters follow the same path whichever the layout.
    const a = await loadOneLevel(4);
    const b = await loadOneLevel(4);
    try {
      const options = { data, objective: 'iwae' as const, k: 3, batchSize: 6, learningRate: 0.01, seed: 2 };
      await infer(a, { ...options, epochs: 2 });
      await infer(b, { ...options, epochs: 1, estimator: 'dreg' });
      expect(b.groupOptimizers).toBeDefined();
      // One more epoch with one optimizer: b's Adam state is merged back.
      await infer(b, { ...options, epochs: 1 });
      expect(b.optimizer).toBeDefined();
      expect(b.groupOptimizers).toBeUndefined();
      expect(b.position).toEqual(a.position);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('keeps the tensor count flat across steps for every IWAE-family objective × estimator', async () => {
    const model = await loadTwoLevel(2);
    try {
      for (const estimator of ['reparam', 'stl', 'dreg'] as const) {
        for (const objective of [{ objective: 'iwae' as const }, { objective: 'tdiwae' as const }, { objective: 'miwae' as const, m: 2 }, { objective: 'ciwae' as const, beta: 0.3 }, { objective: 'piwae' as const, m: 2 }]) {
          createObjective(objective.objective, { ...objective, k: 2, estimator }); // each combination is accepted
          await infer(model, { data, ...objective, k: 2, estimator, epochs: 1, batchSize: 6 });
          const before = tf.memory().numTensors;
          await infer(model, { data, ...objective, k: 2, estimator, epochs: 2, batchSize: 6 });
          expect(tf.memory().numTensors, `${objective.objective} ${estimator}`).toBe(before);
        }
      }
    } finally {
      model.dispose();
    }
  });

  it('strata train --objective piwae --m 2 --k 2 --estimator dreg trains, checkpoints and resumes', async () => {
    const X = join(tmp, 'x.f32');
    writeFileSync(X, Buffer.from(Float32Array.from(data.flat()).buffer));
    writeFileSync(`${X}.json`, JSON.stringify({ shape: [data.length, 6], dtype: 'float32' }));
    const out = join(tmp, 'cli-run');
    const first = await run('train', MODEL, '--data', `file:${X}`, '--out', out, '--backend', 'cpu', '--batch', '6', '--objective', 'piwae', '--m', '2', '--k', '2', '--estimator', 'dreg', '--epochs', '1');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('objective: piwae, k = 2, m = 2, estimator dreg');
    const resumed = await run('train', '--resume', out, '--epochs', '2', '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await loadCheckpoint(out)).runInfo).toMatchObject({ options: { objective: 'piwae', m: 2, k: 2, estimator: 'dreg' }, position: { epoch: 2, step: 0 } });
  });

  it('refuses dreg on vae, naming stl', () => {
    expect(() => createObjective('vae', { estimator: 'dreg' })).toThrow(/use --estimator stl/);
  });
});
