/**
 * Runs every benchmark row on one backend, in a process of its own, and
 * writes the results as JSON. `run.ts` starts one per backend:
 *
 *   node dist-bench/bench/worker.js BACKEND RESULT_FILE [bench options]
 *
 * Why a process per backend: tfjs's gradient registry is global, and
 * selecting wasm installs Strata's fast gradients for every backend after
 * it; a fresh process measures each backend as a user who picks only it
 * gets it, with a fresh heap.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel, selectBackend } from '../src/index.js';
import { fastBatchMatMulGradConfig, fastTileGradConfig } from '../src/backend/fast-gradients.js';
import { loadNativeAddon, NATIVE_BACKEND_NAME } from '../src/backend/native/index.js';
import { benchBound } from './bound-bench.js';
import { benchConvVae } from './conv-vae-bench.js';
import { benchMatMuls, FULL_SHAPES, QUICK_SHAPES } from './matmul-bench.js';
import { parseBenchArgs, type BenchOptions } from './options.js';
import { BENCH_MODEL, repoRoot } from './paths.js';
import { printProfile, profileStep, type StepProfile } from './profile-step.js';
import type { RepeatPlan } from './repeat.js';
import type { Measurement } from './row.js';
import { benchObjectiveSteps, benchTrainSteps, OBJECTIVE_VARIANTS } from './train-step-bench.js';

/** What one backend's process reports. */
export interface BackendRun {
  /** The name asked for ('wasm', 'cpu', 'node', 'node-gpu'). */
  readonly backend: string;
  /** The tfjs backend that ran ('wasm', 'cpu', 'tensorflow'). */
  readonly tfjsBackend: string;
  /** What changes speed: wasm's SIMD and thread flags; native's kernel variant and BLAS build and threads. */
  readonly flags: Readonly<Record<string, boolean | number | string>>;
  /** Per kernel, true when Strata's replacement gradient (src/backend/gradients/) was in use rather than tfjs's. */
  readonly strataGradients: { readonly BatchMatMul: boolean; readonly Tile: boolean };
  /** Wall seconds of this backend's whole run. */
  readonly seconds: number;
  readonly measurements: readonly Measurement[];
  readonly profiles: readonly StepProfile[];
}

async function speedFlags(tfjsBackend: string): Promise<Record<string, boolean | number | string>> {
  if (tfjsBackend === NATIVE_BACKEND_NAME) {
    const load = loadNativeAddon();
    return load.ok ? { ...load.info } : {};
  }
  if (tfjsBackend !== 'wasm') return {};
  // Under Node tfjs reports no thread support, so the single-threaded SIMD binary runs.
  return {
    WASM_HAS_SIMD_SUPPORT: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    WASM_HAS_MULTITHREAD_SUPPORT: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

/** All rows on `backend`, in the order matmul, training steps, bound, then profiles with --profile; then the conv VAE rows (`--conv`). */
export async function runBackend(backend: string, options: BenchOptions): Promise<BackendRun> {
  const start = performance.now();
  const tfjsBackend = await selectBackend(backend);
  const plan: RepeatPlan = { warmup: options.warmup, reps: options.reps, minRepSeconds: options.minRepSeconds, budgetSeconds: options.budgetSeconds };
  const measurements: Measurement[] = [];
  const profiles: StepProfile[] = [];
  if (options.conv !== 'only') await runTdvaeRows(backend, options, plan, measurements, profiles);
  if (options.conv !== 'off') measurements.push(...(await benchConvVae(plan, backend)));
  return {
    backend,
    tfjsBackend,
    flags: await speedFlags(tfjsBackend),
    strataGradients: {
      BatchMatMul: tf.getGradient(tf.BatchMatMul) === fastBatchMatMulGradConfig,
      Tile: tf.getGradient(tf.Tile) === fastTileGradConfig,
    },
    seconds: (performance.now() - start) / 1000,
    measurements,
    profiles,
  };
}

/** The matmul rows, then the benchmark TDVAE's step, objective and bound rows (and profiles with --profile). */
async function runTdvaeRows(backend: string, options: BenchOptions, plan: RepeatPlan, measurements: Measurement[], profiles: StepProfile[]): Promise<void> {
  measurements.push(...(await benchMatMuls(options.quick ? QUICK_SHAPES : FULL_SHAPES, plan, backend)));
  const model = await loadModel(path.join(repoRoot(), BENCH_MODEL), { backend, seed: 0 });
  try {
    measurements.push(...(await benchTrainSteps(model, options.ks, plan, backend)));
    if (options.objectives) measurements.push(...(await benchObjectiveSteps(model, OBJECTIVE_VARIANTS, plan, backend)));
    measurements.push(await benchBound(model, options.boundK, options.chunk, plan, backend));
    if (options.profile) {
      // Profiling runs five more steps per k: only where the step row was not skipped as too slow.
      const measured = new Set(measurements.filter((m) => m.group === 'train-step' && m.timing.kind === 'measured').map((m) => m.params['k']));
      for (const k of options.ks.filter((k) => measured.has(k))) {
        const profile = await profileStep(model, k);
        printProfile(profile, backend);
        profiles.push(profile);
      }
    }
  } finally {
    model.dispose();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [backend, resultFile, ...rest] = argv;
  if (backend === undefined || resultFile === undefined) throw new Error('usage: worker.js BACKEND RESULT_FILE [bench options]');
  const options = parseBenchArgs(rest);
  if (options === 'help') throw new Error('worker.js takes no --help; run `npm run bench -- --help`');
  const result = await runBackend(backend, options);
  writeFileSync(resultFile, JSON.stringify(result));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
