/**
 * Trains one configuration into its run directory with `strata train`'s
 * runner (src/driver/training-run.ts: run.json, metrics.jsonl, a checkpoint
 * after every epoch and on a stop), resuming it when the directory holds a
 * checkpoint. The training wall time is summed over invocations in
 * state.json, so a resumed run reports the time of all its parts.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochRecord } from '../../src/index.js';
import { readMetrics, runTraining } from '../../src/driver/training-run.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import type { Budget, Configuration, ModelSize } from './budgets.js';

const STATE = 'state.json';

export interface TrainHooks {
  readonly onStart?: (startEpoch: number, epochs: number, stepsPerEpoch: number) => void;
  readonly onStep?: (step: number, bound: number) => void;
  readonly onEpoch?: (record: EpochRecord) => void;
  readonly shouldStop?: () => boolean;
}

export interface TrainOutcome {
  readonly interrupted: boolean;
  readonly epochsDone: number;
  /** Training wall time up to now, summed over every invocation. */
  readonly trainSeconds: number;
  readonly lastEpoch: EpochRecord | undefined;
}

/** The TDVAE source (experiments/thesis-ch5/tdvae.ppl) with its sizes set. */
export function sizedModel(source: string, size: ModelSize): string {
  return source.replace(/^Z1 = \d+/m, `Z1 = ${size.z1}`).replace(/^Z2 = \d+/m, `Z2 = ${size.z2}`).replace(/^H = \d+/m, `H = ${size.hidden}`);
}

/** The model file of a budget: tdvae.ppl itself, or a resized copy written under `out`. */
export async function modelFileFor(budget: Budget, modelPath: string, out: string): Promise<string> {
  const source = await readFile(modelPath, 'utf8');
  const sized = sizedModel(source, budget.model);
  if (sized === source) return modelPath;
  const path = join(out, `tdvae-z1-${budget.model.z1}-z2-${budget.model.z2}-h${budget.model.hidden}.ppl`);
  await writeFile(path, sized);
  return path;
}

/**
 * Trains `c` for the budget's epochs in `dir`, β of z2 annealed and the
 * gradient clipped as the budget says.
 *
 * @param modelPath the (sized) TDVAE .ppl file
 */
export async function trainConfiguration(c: Configuration, budget: Budget, dir: string, modelPath: string, dataDir: string, backend: string | undefined, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const resume = existsSync(join(dir, 'run.json'));
  const state = resume ? (JSON.parse(await readFile(join(dir, STATE), 'utf8').catch(() => '{}')) as { trainSeconds?: number }) : {};
  const began = performance.now();
  const result = await runTraining({
    modelPath, out: dir, resume, force: !resume && existsSync(dir),
    data: { spec: `natural:${budget.source}`, dataDir, train: budget.trainPatches, test: budget.testPatches, seed: budget.seed },
    objective: c.objective, k: c.k, estimator: 'reparam', epochs: budget.epochs, batchSize: budget.batchSize, learningRate: budget.learningRate,
    clipNorm: budget.clipNorm, anneal: { z2: { from: budget.anneal.from, epochs: budget.anneal.epochs } },
    seed: budget.seed, ...(backend === undefined ? {} : { backend }), checkpointEvery: 1,
  }, {
    onStart: ({ startEpoch, totalEpochs, stepsPerEpoch }) => hooks.onStart?.(startEpoch, totalEpochs, stepsPerEpoch),
    onStep: ({ step, bound }) => hooks.onStep?.(step + 1, bound),
    onEpoch: (record) => hooks.onEpoch?.(record),
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
  });
  const trainSeconds = (state.trainSeconds ?? 0) + (performance.now() - began) / 1000;
  await writeFileAtomic(join(dir, STATE), `${JSON.stringify({ trainSeconds })}\n`);
  const metrics = await readMetrics(dir);
  return { interrupted: result.interrupted, epochsDone: result.position.epoch, trainSeconds, lastEpoch: metrics.at(-1) };
}
