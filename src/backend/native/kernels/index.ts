/** Every kernel the native backend overrides. */
import { batchMatMulKernel } from './batch-mat-mul.js';
import { binaryKernels } from './binary.js';
import { concatKernel } from './concat.js';
import { convKernels } from './conv2d.js';
import { addNKernel, fillKernels } from './fill.js';
import { padKernel } from './pad.js';
import { passthroughKernels } from './passthrough.js';
import type { NativeKernel } from './kernel.js';
import { reduceKernels } from './reduce.js';
import { sliceKernel, splitVKernel } from './slice.js';
import { tileKernel, transposeKernel } from './tile.js';
import { unaryKernels } from './unary.js';

export type { NativeKernel } from './kernel.js';

export const NATIVE_KERNELS: readonly NativeKernel[] = [
  batchMatMulKernel,
  ...binaryKernels,
  ...unaryKernels,
  ...reduceKernels,
  sliceKernel,
  splitVKernel,
  concatKernel,
  tileKernel,
  transposeKernel,
  padKernel,
  ...fillKernels,
  addNKernel,
  ...passthroughKernels,
  ...convKernels,
];
