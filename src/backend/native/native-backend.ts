/**
 * The 'native' tfjs backend: the cpu backend's storage (Float32Arrays in a
 * DataStorage) and kernels, with the hot kernels replaced by the OpenBLAS /
 * vectorized addon working on the same arrays without copies (see
 * register-native.ts), and kernel outputs drawn from a BufferPool.
 *
 * Every entry stored in or removed from the data storage is reported to the
 * pool, whichever kernel stored it (cpu fallbacks store views of pool
 * buffers), so a buffer is recycled only when nothing refers to it. Arrays
 * handed to callers (`dataSync`, `data`) are copies of pool buffers, so a
 * later kernel cannot overwrite what a caller holds.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { BufferPool } from './buffer-pool.js';

type DataId = object;
type TensorData = { values?: tf.backend_util.BackendValues; dtype: tf.DataType; refCount: number };

/** True when an environment flag is set to 1/true/yes. */
export function envFlag(name: string): boolean {
  return /^(1|true|yes)$/i.test(process.env[name] ?? '');
}

export interface NativeBackendOptions {
  /** Poison freed pool buffers with NaN and check them on reuse (default: STRATA_NATIVE_POISON). */
  readonly poison?: boolean;
}

export class NativeBackend extends tf.MathBackendCPU {
  readonly pool: BufferPool;

  constructor(
    readonly addon: NativeAddon,
    options: NativeBackendOptions = {},
  ) {
    super();
    // The cpu backend prints "install tfjs-node to speed things up" on first use; not apt here.
    (this as unknown as { firstUse: boolean }).firstUse = false;
    const pool = (this.pool = new BufferPool(options.poison ?? envFlag('STRATA_NATIVE_POISON')));
    const data = this.data as unknown as {
      has(id: DataId): boolean;
      get(id: DataId): TensorData;
      set(id: DataId, value: TensorData): void;
      delete(id: DataId): boolean;
    };
    const set = data.set.bind(data);
    const remove = data.delete.bind(data);
    data.set = (id, value) => {
      const previous = data.has(id) ? data.get(id) : undefined;
      pool.retain(value.values);
      set(id, value);
      if (previous !== undefined) pool.release(previous.values);
    };
    data.delete = (id) => {
      const previous = data.has(id) ? data.get(id) : undefined;
      const removed = remove(id);
      if (removed && previous !== undefined) pool.release(previous.values);
      return removed;
    };
  }

  /**
   * The float32 values of a live tensor, zero-copy. Data still held by
   * another backend (after a backend switch) is moved here first, as the cpu
   * kernels' `data.get` does; a disposed tensor is an error, not undefined.
   */
  float32Values(t: tf.TensorInfo, kernelName: string): Float32Array {
    let entry: TensorData | undefined;
    try {
      entry = this.data.get(t.dataId) as TensorData | undefined;
    } catch {
      entry = undefined; // tfjs's data mover throws for an id no backend holds
    }
    const values = entry?.values;
    if (!(values instanceof Float32Array)) {
      throw new Error(`native ${kernelName}: an input's data ${entry === undefined ? 'was disposed' : 'is not a Float32Array'}`);
    }
    return values;
  }

  /** A new float32 output of `shape` over `values` (usually from `pool.alloc`). */
  output(shape: readonly number[], values: Float32Array): tf.TensorInfo {
    return this.makeTensorInfo([...shape], 'float32', values);
  }

  override readSync(dataId: DataId): tf.backend_util.BackendValues {
    const values = super.readSync(dataId);
    return this.pool.owns(values) ? (values as Float32Array).slice() : values;
  }

  override dispose(): void {
    super.dispose();
    this.pool.clear();
  }
}
