/**
 * Rows 'matmul ...': one large float32 matmul C = op(A)·op(B), timed until
 * one element of C is read back, in GFLOP/s = 2·m·n·k / seconds. The
 * untransposed shapes are the ceiling for the dense layers of a training
 * step ([5000x450]·[450x400] is the decoder at k = 50, batch 100); the
 * transposed rows show what tfjs's stock matmul gradient would cost on wasm
 * (see docs/performance.md).
 */
import * as tf from '@tensorflow/tfjs';
import { seededNormal } from '../src/backend/random.js';
import type { RepeatPlan } from './repeat.js';
import { measureRow, type Measurement } from './row.js';

export interface MatMulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

const SQUARE_1024: MatMulShape = { m: 1024, k: 1024, n: 1024 };
const DECODER_K50: MatMulShape = { m: 5000, k: 450, n: 400 };

/** Shapes of a full run; the transposed ones at 1024 take seconds per call on wasm. */
export const FULL_SHAPES: readonly MatMulShape[] = [SQUARE_1024, DECODER_K50, { ...SQUARE_1024, transposeB: true }, { ...SQUARE_1024, transposeA: true }];
/** Shapes of a --quick run. */
export const QUICK_SHAPES: readonly MatMulShape[] = [SQUARE_1024, DECODER_K50, { m: 512, k: 512, n: 512, transposeB: true }];

/** '[1024x1024]·[1024x1024]ᵀ' for the flags as given (operands shown as stored). */
export function describeShape(s: MatMulShape): string {
  const a = s.transposeA ? `[${s.k}x${s.m}]ᵀ` : `[${s.m}x${s.k}]`;
  const b = s.transposeB ? `[${s.n}x${s.k}]ᵀ` : `[${s.k}x${s.n}]`;
  return `${a}·${b}`;
}

/** Times each shape; operands are seeded N(0, 1) and stay the same across calls. */
export async function benchMatMuls(shapes: readonly MatMulShape[], plan: RepeatPlan, backend: string): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  for (const shape of shapes) {
    const { m, k, n } = shape;
    const transposeA = shape.transposeA === true;
    const transposeB = shape.transposeB === true;
    const a = seededNormal(transposeA ? [k, m] : [m, k], 1);
    const b = seededNormal(transposeB ? [n, k] : [k, n], 2);
    // Reading one element waits for the product (on every backend) without
    // timing a copy of the whole result, as the PyTorch reference's c[0, 0].
    const call = async () => {
      const c = tf.matMul(a, b, transposeA, transposeB);
      const corner = tf.slice(c, [0, 0], [1, 1]);
      await corner.data();
      tf.dispose([c, corner]);
    };
    try {
      const spec = {
        id: `matmul ${describeShape(shape)}`,
        group: 'matmul' as const,
        label: `matmul ${describeShape(shape)}`,
        unit: 'GFLOP/s',
        params: { m, k, n, transposeA, transposeB },
      };
      rows.push(await measureRow(spec, { call, workPerCall: (2 * m * n * k) / 1e9 }, plan, backend));
    } finally {
      tf.dispose([a, b]);
    }
  }
  return rows;
}
