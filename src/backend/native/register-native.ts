/**
 * Registers the 'native' tfjs backend: every cpu kernel is registered again
 * under 'native' (they run unchanged on the shared Float32Array storage),
 * then the kernels in kernels/ replace their cpu versions. Each kernel is
 * wrapped with a counter, so STRATA_NATIVE_STATS=1 shows which calls ran
 * natively and which fell back to JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon } from './addon.js';
import { installFusedAdam, nativeAdamKernel } from './fused-adam.js';
import { logDensityKernels } from './log-density.js';
import { softplusGradKernel } from './kernels/binary.js';
import { nativeUniformKernel } from './random-uniform.js';
import { NATIVE_KERNELS } from './kernels/index.js';
import type { NativeKernelArgs } from './kernels/kernel.js';
import { NativeBackend } from './native-backend.js';
import { installStatsReport, kernelCounter, statsRequested, type KernelCount } from './stats.js';

/** The tfjs backend name. */
export const NATIVE_BACKEND_NAME = 'native';

/**
 * Below wasm (2) and cpu (1), so tfjs never picks it on its own; Strata's
 * selectBackend sets it explicitly.
 */
const PRIORITY = 0;

let registered = false;

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** With STRATA_NATIVE_STATS=1, times each call into count.ms. */
function timed(kernelFunc: KernelFunc, count: KernelCount): KernelFunc {
  if (!statsRequested()) return kernelFunc;
  count.ms = 0;
  return (args) => {
    const start = performance.now();
    const result = kernelFunc(args);
    count.ms! += performance.now() - start;
    return result;
  };
}

function registerKernels(): void {
  const overrides = new Map(NATIVE_KERNELS.map((k) => [k.kernelName, k]));
  for (const config of tf.getKernelsForBackend('cpu')) {
    const cpu = config.kernelFunc;
    const count = kernelCounter(config.kernelName);
    const native = overrides.get(config.kernelName);
    const kernelFunc: KernelFunc =
      native === undefined
        ? (args) => {
            count.fallback++;
            return cpu(args);
          }
        : (args) => {
            const result = native.run(args as unknown as NativeKernelArgs);
            if (result !== undefined) {
              count.native++;
              return result;
            }
            count.fallback++;
            return cpu(args);
          };
    tf.registerKernel({ ...config, backendName: NATIVE_BACKEND_NAME, kernelFunc: timed(kernelFunc, count) });
  }
  const missing = [...overrides.keys()].filter((name) => tf.getKernel(name, 'cpu') === undefined);
  if (missing.length > 0) throw new Error(`native kernels without a cpu counterpart: ${missing.join(', ')}`);
  // Kernels of our own (no cpu version to fall back to): the fused Adam update, uniform noise, the
  // softplus gradient and the fused log-densities. Their callers only pass inputs they handle; anything else is an error.
  for (const own of [nativeAdamKernel, nativeUniformKernel, softplusGradKernel, ...logDensityKernels]) {
    const count = kernelCounter(own.kernelName);
    tf.registerKernel({
      kernelName: own.kernelName,
      backendName: NATIVE_BACKEND_NAME,
      kernelFunc: timed((args) => {
        const result = own.run(args as unknown as NativeKernelArgs);
        if (result === undefined) {
          count.fallback++;
          const shapes = Object.entries(args.inputs).map(([name, t]) => `${name} ${t?.dtype} [${t?.shape.join(', ')}]`);
          throw new Error(`native ${own.kernelName} has no fallback for these inputs: ${shapes.join(', ')}`);
        }
        count.native++;
        return result;
      }, count),
    });
  }
}

/**
 * Makes the 'native' backend available to `tf.setBackend('native')`.
 * Idempotent.
 *
 * @throws Error saying why when the addon is not built or does not load
 * @example registerNativeBackend(); await tf.setBackend('native');
 */
export function registerNativeBackend(): void {
  if (registered) return;
  const load = loadNativeAddon();
  if (!load.ok) throw new Error(load.reason);
  registerKernels();
  const addon = load.addon;
  tf.registerBackend(NATIVE_BACKEND_NAME, () => new NativeBackend(addon), PRIORITY);
  installFusedAdam(NATIVE_BACKEND_NAME);
  installStatsReport();
  registered = true;
}
