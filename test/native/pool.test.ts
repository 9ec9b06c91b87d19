/**
 * The native backend's buffer pool: random programs of kernels, views,
 * reshapes, reads and disposals run in poison mode (freed buffers filled with
 * NaN and checked on reuse) must give the cpu backend's values; arrays
 * returned by dataSync stay valid after their tensor's buffer is recycled;
 * a view keeps its parent's buffer alive; disposed inputs are reported.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/backend/random.js';
import { nativeBackend, nativeBuilt, testValues } from './helpers.js';

type Op =
  | { kind: 'input'; rows: number; cols: number; seed: number }
  | { kind: 'binary'; op: 'add' | 'mul' | 'sub'; a: number; b: number }
  | { kind: 'unary'; op: 'neg' | 'sigmoid' | 'square'; a: number }
  | { kind: 'sliceRows' | 'sliceCols'; a: number }
  | { kind: 'reshape' | 'clone' | 'sum' | 'read' | 'dispose'; a: number }
  | { kind: 'concat'; a: number; b: number };

/** A random program over 2-D tensors; operands index earlier results (which may be disposed by then). */
function program(seed: number, length: number): Op[] {
  const rng = new SeededRandom(seed);
  const pick = (n: number) => rng.nextUint32() % n;
  const shapes: ([number, number] | undefined)[] = [];
  const ops: Op[] = [];
  const live = () => shapes.flatMap((s, i) => (s ? [i] : []));
  const emit = (op: Op, shape: [number, number] | undefined) => {
    ops.push(op);
    shapes.push(shape);
  };
  for (let i = 0; i < length; i++) {
    const alive = live();
    const kinds = alive.length < 3 ? ['input'] : ['input', 'binary', 'binary', 'unary', 'sliceRows', 'sliceCols', 'reshape', 'clone', 'sum', 'read', 'dispose', 'dispose', 'concat'];
    const kind = kinds[pick(kinds.length)]!;
    const a = alive[pick(Math.max(1, alive.length))]!;
    const sa = shapes[a]!;
    if (kind === 'input') {
      const rows = 1 + pick(4);
      const cols = [3, 17, 40][pick(3)]!;
      emit({ kind, rows, cols, seed: rng.nextUint32() }, [rows, cols]);
    } else if (kind === 'binary' || kind === 'concat') {
      const partners = alive.filter((b) => shapes[b]![0] === sa[0] && (kind === 'concat' || shapes[b]![1] === sa[1]));
      const b = partners[pick(partners.length)]!;
      if (kind === 'concat') emit({ kind, a, b }, [sa[0], sa[1] + shapes[b]![1]]);
      else emit({ kind, op: (['add', 'mul', 'sub'] as const)[pick(3)]!, a, b }, sa);
    } else if (kind === 'unary') emit({ kind, op: (['neg', 'sigmoid', 'square'] as const)[pick(3)]!, a }, sa);
    else if (kind === 'sliceRows') emit({ kind, a }, [Math.max(1, sa[0] - 1), sa[1]]);
    else if (kind === 'sliceCols') emit({ kind, a }, [sa[0], Math.max(1, sa[1] - 2)]);
    else if (kind === 'reshape') emit({ kind, a }, [1, sa[0] * sa[1]]);
    else if (kind === 'sum') emit({ kind, a }, [sa[0], 1]);
    else if (kind === 'clone') emit({ kind, a }, sa);
    else if (kind === 'read') emit({ kind, a }, undefined);
    else {
      emit({ kind: 'dispose', a }, undefined);
      shapes[a] = undefined;
    }
  }
  return ops;
}

/** Runs a program on the active backend: the final values of live tensors and every mid-program read. */
function execute(ops: Op[]): { live: number[][]; reads: Float32Array[] } {
  const slots: (tf.Tensor | undefined)[] = [];
  const reads: Float32Array[] = [];
  for (const op of ops) {
    const a = 'a' in op ? slots[op.a]! : undefined;
    switch (op.kind) {
      case 'input':
        slots.push(tf.tensor2d(testValues(op.rows * op.cols, op.seed), [op.rows, op.cols]));
        break;
      case 'binary':
        slots.push(op.op === 'add' ? tf.add(a!, slots[op.b]!) : op.op === 'mul' ? tf.mul(a!, slots[op.b]!) : tf.sub(a!, slots[op.b]!));
        break;
      case 'unary':
        slots.push(op.op === 'neg' ? tf.neg(a!) : op.op === 'sigmoid' ? tf.sigmoid(a!) : tf.square(a!));
        break;
      case 'sliceRows': // contiguous: a view of a's buffer
        slots.push(tf.slice(a!, [a!.shape[0]! > 1 ? 1 : 0, 0], [Math.max(1, a!.shape[0]! - 1), -1]));
        break;
      case 'sliceCols': // strided: a copy
        slots.push(tf.slice(a!, [0, a!.shape[1]! > 2 ? 1 : 0], [-1, Math.max(1, a!.shape[1]! - 2)]));
        break;
      case 'reshape':
        slots.push(tf.reshape(a!, [1, a!.size]));
        break;
      case 'clone':
        slots.push(tf.clone(a!));
        break;
      case 'sum':
        slots.push(tf.sum(a!, 1, true));
        break;
      case 'concat':
        slots.push(tf.concat([a!, slots[op.b]!], 1));
        break;
      case 'read':
        reads.push(a!.dataSync() as Float32Array); // kept: must not change when buffers are recycled
        slots.push(undefined);
        break;
      case 'dispose':
        a!.dispose();
        slots[op.a] = undefined;
        slots.push(undefined);
        break;
    }
  }
  const live = slots.flatMap((t) => (t ? [Array.from(t.dataSync())] : []));
  tf.dispose(slots.filter((t): t is tf.Tensor => t !== undefined));
  return { live, reads: reads.map((r) => r) };
}

function expectClose(got: number[][], want: number[][]): void {
  expect(got.map((g) => g.length)).toEqual(want.map((w) => w.length));
  got.forEach((g, i) =>
    g.forEach((v, j) => {
      const w = want[i]![j]!;
      if (!(Object.is(v, w) || Math.abs(v - w) <= 1e-6 + 1e-5 * Math.abs(w))) throw new Error(`tensor ${i} element ${j}: native ${v}, cpu ${w}`);
    }),
  );
}

describe.skipIf(!nativeBuilt)('native buffer pool', () => {
  beforeAll(async () => {
    nativeBackend().pool.setPoison(true);
    await tf.setBackend('native');
  });

  afterAll(async () => {
    nativeBackend().pool.setPoison(false);
    await tf.setBackend('cpu');
  });

  it('runs random programs in poison mode exactly as the cpu backend, leaking no tensors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const ops = program(seed, 150);
        await tf.setBackend('native');
        const before = tf.memory().numTensors;
        const native = execute(ops);
        const nativeReads = native.reads.map((r) => Array.from(r)); // after the whole program ran
        expect(tf.memory().numTensors).toBe(before);
        await tf.setBackend('cpu');
        const cpu = execute(ops);
        // Sigmoid is within a few ulp of the cpu kernel, and later ops carry that along;
        // a stale read of a poisoned or recycled buffer is NaN or an unrelated number.
        expectClose(native.live, cpu.live);
        expectClose(nativeReads, cpu.reads.map((r) => Array.from(r)));
      }),
      { numRuns: 25 },
    );
    expect(nativeBackend().pool.stats().reused).toBeGreaterThan(0);
  });

  it('gives dataSync a copy, so recycling the buffer cannot change what the caller holds', async () => {
    await tf.setBackend('native');
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = tf.add(x, 1);
    const held = y.dataSync();
    y.dispose();
    const others = Array.from({ length: 4 }, () => tf.mul(x, -7));
    expect(Array.from(held)).toEqual([2, 3, 4, 5]);
    tf.dispose([x, ...others]);
  });

  it('keeps a buffer alive while a view of it (a contiguous slice) lives', async () => {
    await tf.setBackend('native');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const parent = tf.mul(x, 10);
    const view = tf.slice(parent, [1, 0], [2, 2]);
    parent.dispose();
    const churn = Array.from({ length: 8 }, () => tf.neg(x));
    expect(Array.from(view.dataSync())).toEqual([30, 40, 50, 60]);
    tf.dispose([x, view, ...churn]);
  });

  it('reports a disposed input by name instead of reading freed memory', () => {
    const backend = nativeBackend();
    expect(() => backend.float32Values({ dataId: {}, shape: [1], dtype: 'float32' }, 'Add')).toThrow(/native Add: an input's data was disposed/);
  });

  it('in poison mode, catches a write to a freed buffer when it is handed out again', () => {
    const pool = nativeBackend().pool;
    const a = pool.alloc(5);
    pool.retain(a);
    pool.release(a); // freed: poisoned with NaN
    expect(Number.isNaN(a[0]!)).toBe(true);
    a[2] = 1; // a stale writer
    expect(() => pool.alloc(5)).toThrow(/written at index 2 after it was freed/);
  });
});
