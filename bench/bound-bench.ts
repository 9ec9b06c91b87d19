/**
 * Row 'bound k=K': the IWAE-k estimate of log p(x) for a batch of 100
 * patches, `model.bound(x, { k, chunk })`, streamed in chunks of samples
 * (only one chunk's trace is alive at a time). Reported as data points per
 * second; log-weights per second are k times that.
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../src/index.js';
import { syntheticPatches } from './patches.js';
import type { RepeatPlan } from './repeat.js';
import { measureRow, type Measurement } from './row.js';
import { BATCH, dataVariable } from './train-step-bench.js';

/**
 * Times one bound call with `k` samples in chunks of `chunk`. A full call can
 * take a minute (on the cpu backend, most of an hour), so the warm-up runs a
 * single chunk and scales its time by the number of chunks to size the
 * repetitions (or to skip the row when even one call is over the budget).
 */
export async function benchBound(model: StrataModel, k: number, chunk: number, plan: RepeatPlan, backend: string): Promise<Measurement> {
  const { width } = dataVariable(model);
  const x = syntheticPatches(BATCH, width, 7);
  const size = Math.min(chunk, k);
  let seed = 0;
  const warm = async () => {
    const start = performance.now();
    await model.bound(x, { k: size, chunk: size, seed: seed++ });
    return ((performance.now() - start) / 1000) * Math.ceil(k / size);
  };
  const call = async () => {
    await model.bound(x, { k, chunk, seed: seed++ });
  };
  try {
    const spec = {
      id: `bound k=${k}`,
      group: 'bound' as const,
      label: `bound, k=${k} in chunks of ${chunk}`,
      unit: 'points/s',
      params: { k, chunk, batch: BATCH },
    };
    return await measureRow(spec, { call, warm, workPerCall: BATCH }, plan, backend);
  } finally {
    tf.dispose(x);
  }
}
