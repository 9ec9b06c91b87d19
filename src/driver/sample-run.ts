/**
 * `strata sample`: SIR samples of chosen latents for test rows of a run's
 * data, written as safetensors (one tensor per latent plus `ess`) or .npy.
 */
import { basename, dirname, extname, join } from 'node:path';
import { writeNpy } from './checkpoint/npy.js';
import { writeSafetensors, type SafeTensor } from './checkpoint/safetensors.js';
import { openRun } from './open-run.js';
import { checkModelFitsData, loadRunData, rowsOf, type DataSpec } from './run-data.js';
import { UserError } from '../util/user-error.js';

export interface SampleRunOptions {
  readonly data?: Partial<DataSpec>;
  readonly k: number;
  readonly n: number;
  readonly latents?: readonly string[];
  /** How many test rows (default 10). */
  readonly count?: number;
  readonly seed?: number;
  readonly out: string;
  readonly backend?: string;
}

export interface SampleRunResult {
  /** Files written. */
  readonly files: string[];
  readonly ess: Float32Array;
  /** PSIS k̂ per data point, fitted to its pooled SIR weights (see SirResult.psisK). */
  readonly psisK: Float64Array;
  readonly psisThreshold: number;
  readonly psisSamples: number;
  readonly shapes: Record<string, readonly number[]>;
}

/** Draws SIR samples and writes them to `options.out`. */
export async function sampleRun(dir: string, options: SampleRunOptions): Promise<SampleRunResult> {
  const format = extname(options.out).toLowerCase();
  if (format !== '.safetensors' && format !== '.npy') throw new UserError(`sample: --out must end in .safetensors or .npy, but is '${options.out}'`);
  const run = await openRun(dir, options.backend ? { backend: options.backend } : {});
  try {
    const dataset = await loadRunData({ ...run.data, ...options.data });
    checkModelFitsData(run.model.ir, dir, dataset);
    const rows = rowsOf(dataset.test, options.count ?? 10);
    const result = await run.model.sample(rows, { k: options.k, n: options.n, ...(options.latents ? { latents: options.latents } : {}), seed: options.seed ?? 0 });
    const shapes = Object.fromEntries(Object.entries(result.samples).map(([name, s]) => [name, s.shape]));
    const psisK = Float32Array.from(result.psisK);
    const psis = { psisK: result.psisK, psisThreshold: result.psisThreshold, psisSamples: result.psisSamples };
    if (format === '.safetensors') {
      const tensors = new Map<string, SafeTensor>(Object.entries(result.samples).map(([name, s]) => [name, { dtype: 'F32', shape: [...s.shape], data: s.values }]));
      tensors.set('ess', { dtype: 'F32', shape: [result.ess.length], data: result.ess });
      tensors.set('psis_k', { dtype: 'F32', shape: [psisK.length], data: psisK });
      await writeSafetensors(options.out, tensors, { run: dir, k: String(options.k), n: String(options.n), psis_samples: String(result.psisSamples), psis_threshold: String(result.psisThreshold) });
      return { files: [options.out], ess: result.ess, ...psis, shapes };
    }
    const stem = join(dirname(options.out), basename(options.out, extname(options.out)));
    const files: string[] = [];
    for (const [name, s] of Object.entries(result.samples)) {
      const file = `${stem}.${name}.npy`;
      await writeNpy(file, s.values, [...s.shape]);
      files.push(file);
    }
    await writeNpy(`${stem}.ess.npy`, result.ess, [result.ess.length]);
    await writeNpy(`${stem}.psis_k.npy`, psisK, [psisK.length]);
    files.push(`${stem}.ess.npy`, `${stem}.psis_k.npy`);
    return { files, ess: result.ess, ...psis, shapes };
  } finally {
    run.model.dispose();
  }
}
