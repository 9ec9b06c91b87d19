/**
 * `--profile`: where one training step spends its time. Times the forward
 * pass alone (trace and loss, no gradients) against the whole step, and
 * lists the kernels that dominate the step by total time (`tf.profile`).
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from '../src/index.js';
import { createObjective } from '../src/index.js';
import { syntheticPatches } from './patches.js';
import { progress } from './row.js';
import { formatSeconds } from './stats.js';
import { BATCH, createStepper, dataVariable } from './train-step-bench.js';

export interface KernelShare {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
  /** Fraction of all kernel time in the step. */
  readonly share: number;
}

export interface StepProfile {
  readonly k: number;
  /** Wall seconds of the profiled step and of a forward pass alone (best of 3 each). */
  readonly stepSeconds: number;
  readonly forwardSeconds: number;
  readonly kernelMs: number;
  /** Kernels by name, most time first. */
  readonly kernels: readonly KernelShare[];
  /** The slowest single kernel calls with their input shapes. */
  readonly slowest: readonly { readonly name: string; readonly ms: number; readonly inputShapes: readonly (readonly number[])[] }[];
}

/** A kernel's time; tfjs reports `{ error }` where the backend cannot time it (and resolves promises before returning). */
const kernelMsOf = (time: unknown): number => (typeof time === 'number' ? time : 0);

async function bestOf(times: number, run: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

/** Profiles the k-sample training step (after one warm-up step). */
export async function profileStep(model: StrataModel, k: number): Promise<StepProfile> {
  const initial = model.getParameters();
  const stepper = createStepper(model, k);
  const { name, width } = dataVariable(model);
  const x = syntheticPatches(BATCH, width, 100);
  const objective = createObjective('iwae', { k });
  try {
    const forward = async () => {
      const loss = tf.tidy(() => objective.estimate(model.compiled.trace({ [name]: x }, objective.traceOptions(model.guide, 0)), new Map()).loss);
      await loss.data();
      loss.dispose();
    };
    await stepper.step();
    const stepSeconds = await bestOf(3, stepper.step);
    const forwardSeconds = await bestOf(3, forward);
    const info = await tf.profile(stepper.step);
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const kernel of info.kernels) {
      const entry = byName.get(kernel.name) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += kernelMsOf(kernel.kernelTimeMs);
      byName.set(kernel.name, entry);
    }
    const kernelMs = [...byName.values()].reduce((s, e) => s + e.ms, 0);
    const kernels = [...byName].map(([kernel, e]) => ({ name: kernel, calls: e.calls, ms: e.ms, share: e.ms / kernelMs })).sort((a, b) => b.ms - a.ms);
    const slowest = [...info.kernels]
      .sort((a, b) => kernelMsOf(b.kernelTimeMs) - kernelMsOf(a.kernelTimeMs))
      .slice(0, 12)
      .map((kernel) => ({ name: kernel.name, ms: kernelMsOf(kernel.kernelTimeMs), inputShapes: kernel.inputShapes.map((s) => [...s]) }));
    return { k, stepSeconds, forwardSeconds, kernelMs, kernels, slowest };
  } finally {
    stepper.dispose();
    x.dispose();
    model.setParameters(initial);
  }
}

/** Prints a profile on stderr: forward/backward split and the top kernels. */
export function printProfile(profile: StepProfile, backend: string): void {
  progress(
    `[${backend}] profile of the training step, k=${profile.k}: step ${formatSeconds(profile.stepSeconds)}, ` +
      `forward alone ${formatSeconds(profile.forwardSeconds)} (backward + update ≈ ${formatSeconds(profile.stepSeconds - profile.forwardSeconds)})`,
  );
  for (const kernel of profile.kernels.slice(0, 10)) {
    progress(`    ${kernel.name.padEnd(16)} ${String(kernel.calls).padStart(5)} calls ${formatSeconds(kernel.ms / 1000).padStart(8)} ${(100 * kernel.share).toFixed(1).padStart(5)}%`);
  }
  progress('    slowest calls:');
  for (const call of profile.slowest.slice(0, 8)) {
    progress(`    ${call.name.padEnd(16)} ${formatSeconds(call.ms / 1000).padStart(8)}  inputs ${call.inputShapes.map((s) => `[${s.join(',')}]`).join(' ')}`);
  }
}
