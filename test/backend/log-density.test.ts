/**
 * normalLogDensity and laplaceLogDensity on the cpu backend: values and
 * gradients against a float64 reference and central finite differences,
 * under broadcasting (scalar scale, value [batch, d] against loc [k, batch, d],
 * size-1 axes); the composite path bit-identical to the expressions
 * Normal.logProb and Laplace.logProb used before the fused kernels; and the
 * fused path (custom gradient, reductions to the operands' shapes), driven by
 * float64 JavaScript kernels registered on cpu for the purpose, against the
 * composite path.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Laplace } from '../../src/backend/distributions/laplace.js';
import { Normal } from '../../src/backend/distributions/normal.js';
import { laplaceLogDensity, LAPLACE_LOG_DENSITY_KERNELS } from '../../src/backend/ops/laplace-log-density.js';
import { normalLogDensity, NORMAL_LOG_DENSITY_KERNELS } from '../../src/backend/ops/normal-log-density.js';
import type { LogDensityKernels } from '../../src/backend/ops/fused-log-density.js';
import { SeededRandom } from '../../src/backend/random.js';
import { useCpu, values } from './helpers.js';
import { broadcastShape, expandTo, logDensityReference, sizeOf, type Family, type Operand } from './log-density-reference.js';

beforeAll(useCpu);

type Op = (x: tf.Tensor, loc: tf.Tensor, scale: tf.Tensor) => tf.Tensor;

const OPS: readonly { family: Family; op: Op; kernels: LogDensityKernels }[] = [
  { family: 'Normal', op: normalLogDensity, kernels: NORMAL_LOG_DENSITY_KERNELS },
  { family: 'Laplace', op: laplaceLogDensity, kernels: LAPLACE_LOG_DENSITY_KERNELS },
];

const CASES: readonly { name: string; x: number[]; loc: number[]; scale: number[] }[] = [
  { name: 'equal shapes', x: [3, 4], loc: [3, 4], scale: [3, 4] },
  { name: 'a scalar scale', x: [2, 3, 5], loc: [2, 3, 5], scale: [] },
  { name: 'value [batch, d] against loc and scale [k, batch, d]', x: [3, 5], loc: [2, 3, 5], scale: [2, 3, 5] },
  { name: 'value [batch, d] against loc [k, batch, d] and a scalar scale', x: [3, 5], loc: [2, 3, 5], scale: [] },
  { name: 'loc [batch, d] and scale [d]', x: [2, 3, 5], loc: [3, 5], scale: [5] },
  { name: 'size-1 axes, scale constant along the summed axis', x: [2, 1, 5], loc: [1, 3, 5], scale: [2, 3, 1] },
  { name: 'rank 1 with scalar loc and scale', x: [6], loc: [], scale: [] },
];

/** Deterministic operands: x and loc ~ N(0, 1.5²), scale in [0.3, 1.8], dy in [-1, 1]. */
function operands(c: (typeof CASES)[number], seed: number): { x: Operand; loc: Operand; scale: Operand; dy: Float64Array } {
  const rng = new SeededRandom(seed);
  const normal = () => 1.5 * Math.sqrt(-2 * Math.log(rng.nextFloat() || 1e-12)) * Math.cos(2 * Math.PI * rng.nextFloat());
  const f32 = (shape: number[], draw: () => number): Operand => ({ shape, values: Float32Array.from({ length: sizeOf(shape) }, draw) });
  const loc = f32(c.loc, normal);
  const x = f32(c.x, normal);
  const scale = f32(c.scale, () => 0.3 + 1.5 * rng.nextFloat());
  const out = broadcastShape(c.x, c.loc, c.scale).slice(0, -1);
  return { x, loc, scale, dy: Float64Array.from({ length: sizeOf(out) }, () => rng.nextFloat() * 2 - 1) };
}

const tensor = (o: Operand) => tf.tensor(Array.from(o.values), [...o.shape]);

/** The op's value and its gradients of Σ dy · value for x, loc and scale. */
function valueAndGrads(op: Op, x: Operand, loc: Operand, scale: Operand, dy: Float64Array): Float32Array[] {
  return tf.tidy(() => {
    const [tx, tl, ts] = [tensor(x), tensor(loc), tensor(scale)];
    const value = op(tx, tl, ts);
    const weight = tf.tensor(Array.from(dy), value.shape);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(op(a, b, c), weight)))([tx, tl, ts]);
    grads.forEach((g, i) => expect(g.shape).toEqual([tx, tl, ts][i]!.shape));
    return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

/** |got - want| <= rtol · magnitude + atol elementwise. */
function expectWithin(got: ArrayLike<number>, want: ArrayLike<number>, magnitude: ArrayLike<number>, rtol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= rtol * magnitude[i]! + 1e-6)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (magnitude ${magnitude[i]})`);
  }
}

/** Central differences of Σ dy · value in float64, for every element of every operand. */
function finiteDifferences(family: Family, ops: Operand[], dy: Float64Array): Float64Array[] {
  const total = (o: Operand[]) => logDensityReference(family, o[0]!, o[1]!, o[2]!, dy).value.reduce((s, v, r) => s + v * dy[r]!, 0);
  return ops.map((o, k) =>
    Float64Array.from({ length: o.values.length }, (_, i) => {
      const h = 1e-6 * Math.max(1, Math.abs(o.values[i]!));
      const shifted = (delta: number) => ops.map((p, j) => (j !== k ? p : { shape: p.shape, values: Float64Array.from(p.values, (v, m) => (m === i ? v + delta : v)) }));
      return (total(shifted(h)) - total(shifted(-h))) / (2 * h);
    }),
  );
}

let referenceCalls = 0;

/** Registers float64 JavaScript versions of `kernels` on cpu, so the ops take their fused path there. */
function registerReferenceKernels(family: Family, kernels: LogDensityKernels): void {
  const read = (backend: tf.MathBackendCPU, t: tf.TensorInfo): Operand => ({ shape: t.shape, values: backend.readSync(t.dataId) as Float32Array });
  tf.registerKernel({
    kernelName: kernels.forward,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      referenceCalls++;
      const cpu = backend as tf.MathBackendCPU;
      const [x, loc, scale] = [inputs['x']!, inputs['loc']!, inputs['scale']!].map((t) => read(cpu, t)) as [Operand, Operand, Operand];
      const shape = broadcastShape(x.shape, loc.shape, scale.shape);
      const ref = logDensityReference(family, x, loc, scale, new Float64Array(sizeOf(shape.slice(0, -1))));
      return cpu.makeTensorInfo(shape.slice(0, -1), 'float32', Float32Array.from(ref.value));
    },
  });
  tf.registerKernel({
    kernelName: kernels.grad,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      referenceCalls++;
      const cpu = backend as tf.MathBackendCPU;
      const [dy, x, loc, scale] = [inputs['dy']!, inputs['x']!, inputs['loc']!, inputs['scale']!].map((t) => read(cpu, t)) as [Operand, Operand, Operand, Operand];
      const shape = broadcastShape(x.shape, loc.shape, scale.shape);
      const full = [x, loc, scale].map((o) => ({ shape, values: expandTo(o, shape) }));
      const ref = logDensityReference(family, full[0]!, full[1]!, full[2]!, dy.values);
      return ref.grads.map((g) => cpu.makeTensorInfo(shape, 'float32', Float32Array.from(g)));
    },
  });
}

afterEach(() => {
  for (const { kernels } of OPS) {
    for (const name of [kernels.forward, kernels.grad]) if (tf.getKernel(name, 'cpu') !== undefined) tf.unregisterKernel(name, 'cpu');
  }
});

describe.each(OPS)('$family log-density', ({ family, op, kernels }) => {
  it.each(CASES)('matches the float64 reference and finite differences with $name', (c) => {
    const { x, loc, scale, dy } = operands(c, 1);
    const [value, ...grads] = valueAndGrads(op, x, loc, scale, dy);
    const ref = logDensityReference(family, x, loc, scale, dy);
    expectWithin(value!, ref.value, ref.valueMagnitude, 1e-6, 'value');
    const fd = finiteDifferences(family, [x, loc, scale], dy);
    ['x', 'loc', 'scale'].forEach((name, k) => {
      expectWithin(ref.grads[k]!, fd[k]!, ref.gradMagnitudes[k]!, 1e-7, `float64 gradient for ${name} against finite differences`);
      expectWithin(grads[k]!, fd[k]!, ref.gradMagnitudes[k]!, 1e-6, `gradient for ${name} against finite differences`);
    });
  });

  it.each(CASES)('takes the fused path where the backend has the kernels and agrees with the composite one with $name', (c) => {
    const { x, loc, scale, dy } = operands(c, 2);
    const composite = valueAndGrads(op, x, loc, scale, dy);
    registerReferenceKernels(family, kernels);
    const calls = referenceCalls;
    const before = tf.memory().numTensors;
    const fused = valueAndGrads(op, x, loc, scale, dy);
    expect(tf.memory().numTensors).toBe(before);
    expect(referenceCalls - calls, 'forward twice (value, then under tf.grads) and the gradient once').toBe(3);
    const ref = logDensityReference(family, x, loc, scale, dy);
    const magnitudes = [ref.valueMagnitude, ...ref.gradMagnitudes];
    fused.forEach((got, i) => expectWithin(got, composite[i]!, magnitudes[i]!, 1e-6, ['value', 'x', 'loc', 'scale'][i]!));
  });

  it('uses the composite path for int32 operands even where the kernels exist', () => {
    registerReferenceKernels(family, kernels);
    const calls = referenceCalls;
    tf.tidy(() => {
      const got = op(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor1d([0.5, 1]), tf.scalar(2));
      expect(got.shape).toEqual([1]);
      expect(Number.isFinite(got.dataSync()[0]!)).toBe(true);
    });
    expect(referenceCalls).toBe(calls);
  });

  it('names the argument that is not a tensor', () => {
    const t = tf.scalar(1);
    const name = family === 'Normal' ? 'normalLogDensity' : 'laplaceLogDensity';
    expect(() => op([1, 2] as unknown as tf.Tensor, t, t)).toThrow(`Argument 'x' passed to '${name}' must be a Tensor, but got an array`);
    expect(() => op(t, null as unknown as tf.Tensor, t)).toThrow(`Argument 'loc' passed to '${name}'`);
    expect(() => op(t, t, 2 as unknown as tf.Tensor)).toThrow(`Argument 'scale' passed to '${name}'`);
    t.dispose();
  });
});

describe('the composite path', () => {
  /** The expressions of Normal.logProb and Laplace.logProb before the fused kernels, verbatim. */
  const BEFORE: Record<Family, Op> = {
    Normal: (value, loc, scale) => {
      const z = tf.div(tf.sub(value, loc), scale);
      const elementwise = tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(scale), 0.5 * Math.log(2 * Math.PI)));
      return tf.sum(elementwise, -1);
    },
    Laplace: (value, loc, scale) => {
      const dist = tf.div(tf.abs(tf.sub(value, loc)), scale);
      return tf.sum(tf.neg(tf.add(dist, tf.log(tf.mul(2, scale)))), -1);
    },
  };

  it.each(OPS.flatMap(({ family, op }) => CASES.map((c) => [family, c.name, op, c] as const)))('%s with %s is bit-identical to the old expression, gradients included', (family, _, op, c) => {
    const { x, loc, scale, dy } = operands(c, 3);
    const now = valueAndGrads(op, x, loc, scale, dy);
    const before = valueAndGrads(BEFORE[family], x, loc, scale, dy);
    now.forEach((got, i) => expect(Array.from(got)).toEqual(Array.from(before[i]!)));
  });

  it('gives the Laplace gradient at x = loc the sign of tfjs\'s Abs gradient, fused or not', () => {
    const x: Operand = { shape: [2, 3], values: Float32Array.of(0.5, -1, 2, 0.25, 0.25, -3) };
    const loc: Operand = { shape: [2, 3], values: Float32Array.of(0.5, -1, 1, 0.25, 0.5, -3) };
    const scale: Operand = { shape: [], values: Float32Array.of(0.5) };
    const dy = Float64Array.of(1, -2);
    const composite = valueAndGrads(laplaceLogDensity, x, loc, scale, dy);
    // At r = 0, ∂|r|/∂r is taken as -1: ∂/∂x = dy/scale, ∂/∂loc = -dy/scale.
    expect(Array.from(composite[1]!)).toEqual([2, 2, -2, -4, -4, -4]);
    registerReferenceKernels('Laplace', LAPLACE_LOG_DENSITY_KERNELS);
    const fused = valueAndGrads(laplaceLogDensity, x, loc, scale, dy);
    fused.forEach((got, i) => expect(Array.from(got)).toEqual(Array.from(composite[i]!)));
  });
});

describe('the distributions', () => {
  it('compute logProb with the ops', () => {
    tf.tidy(() => {
      const loc = tf.tensor2d([[0.5, -1, 2]]);
      const scale = tf.tensor2d([[1.5, 0.5, 2]]);
      const x = tf.tensor3d([[[0, 0, 0]], [[1, -1, 3]]]);
      expect(values(new Normal(loc, scale).logProb(x))).toEqual(values(normalLogDensity(x, loc, scale)));
      expect(values(new Laplace(loc, scale).logProb(x))).toEqual(values(laplaceLogDensity(x, loc, scale)));
    });
  });
});
