/**
 * The normalizing-flow layers' log-determinants against the Jacobian computed
 * numerically, over random parameters and points (fast-check): the full d×d
 * Jacobian of f at z, by tfjs's gradients (one backward pass per output) and by
 * central finite differences (no gradient code at all), then log |det J| by
 * LU in double precision. Also: the planar constraint w·û > −1 for any u and
 * w, the MADE masks' triangular Jacobian, a whole flow's log-det as the sum of
 * its layers', and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CouplingLayer } from '../../src/backend/flows/coupling.js';
import type { FlowLayer } from '../../src/backend/flows/flow-layer.js';
import { IafLayer } from '../../src/backend/flows/iaf.js';
import { madeMasks } from '../../src/backend/flows/made-masks.js';
import { PlanarLayer } from '../../src/backend/flows/planar.js';
import { applyFlow } from '../../src/backend/compile/apply-flow.js';
import type { IrFlowLayer } from '../../src/ir/flows.js';
import { TestRandom } from '../helpers/linear-gaussian.js';
import { useCpu, values } from './helpers.js';

beforeAll(useCpu);

/** log |det A| by Gaussian elimination with partial pivoting, in double precision. */
function logAbsDet(a: number[][]): number {
  const m = a.map((row) => [...row]);
  const n = m.length;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    sum += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot;
      for (let k = c; k < n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return sum;
}

/** J[i][j] = ∂f_i/∂z_j at one point z `[d]`, by one tf.grad per output coordinate. */
function jacobianByGradients(layer: FlowLayer, z: number[]): number[][] {
  const d = z.length;
  return Array.from({ length: d }, (_, i) =>
    tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.slice(layer.forward(x).value, [0, i], [1, 1]).sum())(tf.tensor2d([z], [1, d])))),
  );
}

/** J[i][j] by central differences (f(z + h e_j) − f(z − h e_j)) / 2h, all 2d points in one batch. */
function jacobianByDifferences(layer: FlowLayer, z: number[], h: number): number[][] {
  const d = z.length;
  const points = Array.from({ length: 2 * d }, (_, r) => z.map((v, j) => (j === r % d ? v + (r < d ? h : -h) : v)));
  const out = tf.tidy(() => layer.forward(tf.tensor2d(points, [2 * d, d])).value.arraySync() as number[][]);
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (out[j]![i]! - out[d + j]![i]!) / (2 * h)));
}

/** The layer's own log-determinant at z. */
function layerLogDet(layer: FlowLayer, z: number[]): number {
  return tf.tidy(() => values(layer.forward(tf.tensor2d([z], [1, z.length])).logDet)[0]!);
}

type Kind = 'planar' | 'iaf' | 'iaf-context' | 'coupling';

/** A layer of `kind` on d coordinates with random parameters (scaled by `scale`) from `seed`. */
function randomLayer(kind: Kind, d: number, hidden: number, seed: number, scale: number, flag: boolean): FlowLayer {
  const rng = new TestRandom(seed);
  const t = (shape: number[], s = scale) => tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1), s), shape);
  switch (kind) {
    case 'planar':
      return new PlanarLayer(t([d]), t([d]), t([1]));
    case 'iaf':
    case 'iaf-context': {
      const weights = { hiddenWeight: t([d, hidden]), hiddenBias: t([hidden]), outputWeight: t([hidden, 2 * d]), outputBias: t([2 * d]) };
      if (kind === 'iaf') return new IafLayer(weights, { reverse: flag, activation: 'tanh' });
      return new IafLayer({ ...weights, contextWeight: t([3, hidden]) }, { reverse: flag, activation: 'relu', context: t([1, 3], 1) });
    }
    case 'coupling': {
      const first = Math.ceil(d / 2);
      const [kept, changed] = flag ? [d - first, first] : [first, d - first];
      return new CouplingLayer({ hiddenWeight: t([kept, hidden]), hiddenBias: t([hidden]), outputWeight: t([hidden, 2 * changed]), outputBias: t([2 * changed]) }, { flip: flag, activation: 'tanh' });
    }
  }
}

const caseArb = (kind: Kind) =>
  fc.record({
    d: fc.integer({ min: kind === 'coupling' ? 2 : 1, max: 5 }),
    hidden: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    scale: fc.constantFrom(0.3, 1, 2),
    flag: fc.boolean(),
  });

describe('flow layers: log |det ∂f/∂z| equals the log-determinant of the numerical Jacobian', () => {
  for (const kind of ['planar', 'iaf', 'iaf-context', 'coupling'] as const) {
    it(kind, () => {
      fc.assert(
        fc.property(caseArb(kind), ({ d, hidden, seed, scale, flag }) => {
          const layer = randomLayer(kind, d, hidden, seed, scale, flag);
          const z = new TestRandom(seed + 1).normals(d, 1.5);
          const own = layerLogDet(layer, z);
          // Gradients: exact up to float32 rounding in f's own arithmetic.
          expect(Math.abs(own - logAbsDet(jacobianByGradients(layer, z)))).toBeLessThan(1e-3 * (1 + Math.abs(own)));
          // Differences with h = 1e-2: truncation O(h²·f''') plus rounding O(ε·|f|/h), both near 1e-4 per entry here.
          const fd = logAbsDet(jacobianByDifferences(layer, z, 1e-2));
          fc.pre(Number.isFinite(fd));
          expect(Math.abs(own - fd)).toBeLessThan(0.05 * (1 + Math.abs(own)));
        }),
        { numRuns: 60, seed: 20261203 },
      );
    });
  }
});

describe('planar layer', () => {
  it('keeps w·û = −1 + softplus(w·u) >= −1 for any u and w, so its determinant is positive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.constantFrom(0.1, 1, 5), (d, seed, scale) => {
        const rng = new TestRandom(seed);
        const [u, w] = [rng.normals(d, scale), rng.normals(d, scale)];
        const wu = u.reduce((s, v, i) => s + v * w[i]!, 0);
        const got = tf.tidy(() => {
          const layer = new PlanarLayer(tf.tensor1d(u), tf.tensor1d(w), tf.tensor1d([0]));
          return values(tf.sum(tf.mul(tf.tensor1d(w), layer.constrainedU())))[0]!;
        });
        const want = -1 + Math.log1p(Math.exp(wu));
        expect(Math.abs(got - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
        expect(got).toBeGreaterThan(-1 - 1e-5); // float32 rounding of −1 + softplus(very negative)
        // The log-determinant stays finite even where tanh' = 1 and w·û is within rounding of −1.
        const logDet = tf.tidy(() => values(new PlanarLayer(tf.tensor1d(u), tf.tensor1d(w), tf.tensor1d([0])).forward(tf.zeros([1, d])).logDet)[0]!);
        expect(Number.isFinite(logDet) || wu < -80).toBe(true);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('computes f(z) = z + û·tanh(w·z + b) on [k, batch, d] with a log-det per point', () => {
    tf.tidy(() => {
      const layer = new PlanarLayer(tf.tensor1d([0.5, -1]), tf.tensor1d([1, 2]), tf.tensor1d([0.1]));
      const { value, logDet } = layer.forward(tf.ones([3, 4, 2]));
      expect(value.shape).toEqual([3, 4, 2]);
      expect(logDet.shape).toEqual([3, 4]);
      const uHat = values(layer.constrainedU());
      const h = Math.tanh(1 + 2 + 0.1);
      expect(values(value).slice(0, 2).map((v, i) => v - (1 + uHat[i]! * h)).every((e) => Math.abs(e) < 1e-6)).toBe(true);
    });
  });
});

describe('MADE masks', () => {
  it('make output i depend only on inputs before it in the order (the Jacobian of [m, s] is strictly triangular)', () => {
    for (const [d, hidden, reverse, context] of [[1, 3, false, false], [4, 7, false, false], [4, 7, true, false], [5, 2, true, true], [3, 8, false, true]] as const) {
      const { input, output } = madeMasks(d, hidden, reverse, context);
      const order = (i: number) => (reverse ? d - i : i + 1);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < 2 * d; j++) {
          // Some path input i -> hidden h -> output j exists only if i comes strictly before j.
          let path = false;
          for (let h = 0; h < hidden; h++) path ||= input[i * hidden + h] === 1 && output[h * 2 * d + j] === 1;
          if (path) expect(order(i), `d ${d}, input ${i}, output ${j}`).toBeLessThan(order(j % d));
        }
      }
    }
  });

  it('with a context, every output (the first included) is reached by some hidden unit', () => {
    const { output } = madeMasks(3, 6, false, true);
    for (let j = 0; j < 6; j++) expect(Array.from({ length: 6 }, (_, h) => output[h * 6 + j]).some((v) => v === 1), `output ${j}`).toBe(true);
  });
});

describe('applyFlow', () => {
  it('chains IR layers: the value is the composition and the log-det the sum of the layers\'', () => {
    const d = 3;
    const rng = new TestRandom(5);
    const names = ['u', 'w', 'b', 'hw', 'hb', 'ow', 'ob', 'chw', 'chb', 'cow', 'cob'];
    const shapes: Record<string, number[]> = { u: [d], w: [d], b: [1], hw: [d, 4], hb: [4], ow: [4, 2 * d], ob: [2 * d], chw: [2, 4], chb: [4], cow: [4, 2], cob: [2] };
    const variables = new Map(names.map((n) => [n, tf.tensor(rng.normals(shapes[n]!.reduce((a, b) => a * b, 1), 0.7), shapes[n]!)]));
    const layers: IrFlowLayer[] = [
      { kind: 'planar', u: 'u', w: 'w', b: 'b' },
      { kind: 'iaf', reverse: true, activation: 'relu', hidden: { inputs: d, outputs: 4, weight: 'hw', bias: 'hb' }, output: { inputs: 4, outputs: 2 * d, weight: 'ow', bias: 'ob' } },
      { kind: 'coupling', flip: false, activation: 'tanh', hidden: { inputs: 2, outputs: 4, weight: 'chw', bias: 'chb' }, output: { inputs: 4, outputs: 2, weight: 'cow', bias: 'cob' } },
    ];
    const env = { values: new Map<string, tf.Tensor>(), variables, nets: new Map() };
    const z0 = tf.tensor3d(rng.normals(2 * 5 * d), [2, 5, d]);
    const before = tf.memory().numTensors;
    const [flowed, logDet] = tf.tidy(() => {
      const { value, logDet } = applyFlow(layers, z0, env);
      return [value, logDet];
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    const planar = new PlanarLayer(variables.get('u')!, variables.get('w')!, variables.get('b')!);
    const iaf = new IafLayer({ hiddenWeight: variables.get('hw')!, hiddenBias: variables.get('hb')!, outputWeight: variables.get('ow')!, outputBias: variables.get('ob')! }, { reverse: true, activation: 'relu' });
    const coupling = new CouplingLayer({ hiddenWeight: variables.get('chw')!, hiddenBias: variables.get('chb')!, outputWeight: variables.get('cow')!, outputBias: variables.get('cob')! }, { flip: false, activation: 'tanh' });
    tf.tidy(() => {
      const a = planar.forward(z0);
      const b = iaf.forward(a.value);
      const c = coupling.forward(b.value);
      expect(values(flowed)).toEqual(values(c.value));
      const sum = values(tf.addN([a.logDet, b.logDet, c.logDet]));
      values(logDet).forEach((v, i) => expect(Math.abs(v - sum[i]!)).toBeLessThan(1e-5));
    });
    tf.dispose([flowed, logDet, z0, ...variables.values()]);
  });
});
