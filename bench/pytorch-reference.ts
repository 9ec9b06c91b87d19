/**
 * The PyTorch reference columns of `npm run bench`: bench/pytorch/tdvae_bench.py
 * runs the same rows (matmuls, training steps of the benchmark TDVAE, the
 * streamed bound) in PyTorch, timed by the same harness ported to Python, and
 * writes a BackendRun, so the table compares Strata's backends with PyTorch
 * on the same machine in the same run. PyTorch is never a dependency: the
 * columns appear where a Python with `torch` is found.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openBlasDefaults } from '../src/backend/native/index.js';
import { runJsonChild } from './child-run.js';
import { workerArgs, type BenchOptions } from './options.js';
import { repoRoot } from './paths.js';
import type { BackendFailure } from './results.js';
import type { BackendRun } from './worker.js';

/** A PyTorch column: its name and the script's extra flags. */
export interface PytorchVariant {
  readonly name: string;
  readonly flags: readonly string[];
}

/** As a PyTorch user writes the model (`head_z1(cat(h, l_z))`). */
export const PYTORCH: PytorchVariant = { name: 'pytorch', flags: [] };
/** With `head_z1` split over the concat by hand, as Strata's compiler does. */
export const PYTORCH_SPLIT: PytorchVariant = { name: 'pytorch-split', flags: ['--split-head'] };

/**
 * The variants `--pytorch MODE` asks for: both unless 'off'. The split one
 * does the same matmul work as Strata's compiled model (the concat version
 * about 40% more at k >= 10), so it is the like-for-like column; the other
 * is what a PyTorch user gets from the obvious code.
 */
export function pytorchVariants(mode: BenchOptions['pytorch']): PytorchVariant[] {
  return mode === 'off' ? [] : [PYTORCH, PYTORCH_SPLIT];
}

/** Pythons to try, in order: --python, $STRATA_BENCH_PYTHON, python3 on PATH, Debian's /usr/bin/python3. */
function candidatePythons(explicit: string | undefined): string[] {
  if (explicit !== undefined) return [explicit];
  const fromEnv = process.env['STRATA_BENCH_PYTHON'];
  if (fromEnv !== undefined && fromEnv !== '') return [fromEnv];
  return ['python3', '/usr/bin/python3'];
}

/**
 * The first Python that can `import torch`, with torch's version; or the
 * reason none can (shown by the bench, so a user knows how to get the column).
 */
export function findTorchPython(explicit?: string): { python: string; torch: string } | { reason: string } {
  const tried: string[] = [];
  for (const python of candidatePythons(explicit)) {
    try {
      const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
      return { python, torch: version };
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
      tried.push(`${python}: ${stderr || (error as Error).message}`);
    }
  }
  return { reason: `no Python with PyTorch (${tried.join('; ')}); on Debian: apt-get install python3-torch libopenblas0-pthread, or --python PATH` };
}

/** bench/pytorch/tdvae_bench.py. */
export function pytorchScript(): string {
  return path.join(repoRoot(), 'bench', 'pytorch', 'tdvae_bench.py');
}

/**
 * The script's argv (after the Python) for these options and variant, writing
 * its BackendRun to `out`: the tfjs workers' row options (the script takes the
 * same flags), without --profile, which only the tfjs workers have.
 */
export function pytorchArgs(options: BenchOptions, variant: PytorchVariant, out: string): string[] {
  const rows = workerArgs(options).filter((arg) => arg !== '--profile');
  return [pytorchScript(), `--name=${variant.name}`, `--out=${out}`, ...rows, ...variant.flags];
}

/**
 * Runs one PyTorch column in its own process, with the OpenBLAS settings the
 * native backend uses (the user's own environment wins), so that where torch
 * uses the system OpenBLAS (Debian's python3-torch does, through
 * libblas.so.3) both run the same sgemm kernel; and reads its BackendRun.
 * PyTorch keeps its default thread count (see docs/performance.md: on the
 * 2-vCPU development VM more intra-op threads fight OpenBLAS's and slow it).
 */
export function runPytorch(python: string, options: BenchOptions, variant: PytorchVariant, dir: string): Promise<BackendRun | BackendFailure> {
  const out = path.join(dir, `${variant.name}.json`);
  return runJsonChild(variant.name, python, pytorchArgs(options, variant, out), out, { ...openBlasDefaults(), ...process.env });
}
