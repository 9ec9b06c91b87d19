/**
 * The PyTorch reference of `npm run bench`: its options, the argv it gets,
 * its place in the side-by-side comparison, and (where a Python with torch
 * is installed; never on CI) that bench/pytorch/tdvae_bench.py computes the
 * same model as Strata: the same parameters give log-weights with the same
 * mean and spread.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, type BenchOptions } from '../../bench/options.js';
import { syntheticPatches } from '../../bench/patches.js';
import { findTorchPython, pytorchArgs, pytorchScript, pytorchVariants, PYTORCH, PYTORCH_SPLIT } from '../../bench/pytorch-reference.js';
import { compareBackends } from '../../bench/results.js';
import type { Measurement } from '../../bench/row.js';
import type { BackendRun } from '../../bench/worker.js';
import { readNpy } from '../../src/data/npy.js';
import { writeNpy } from '../../src/driver/checkpoint/npy.js';
import { logWeights } from '../../src/inference/objectives/log-weights.js';
import { loadModel } from '../../src/index.js';

const options = (argv: string[]) => parseBenchArgs(argv) as BenchOptions;

describe('--pytorch', () => {
  it('defaults to auto, and to off with --quick', () => {
    expect(options([]).pytorch).toBe('auto');
    expect(options(['--quick']).pytorch).toBe('off');
    expect(options(['--quick', '--pytorch', 'on']).pytorch).toBe('on');
  });

  it('names the modes when given another', () => {
    expect(() => parseBenchArgs(['--pytorch', 'yes'])).toThrow("--pytorch must be one of auto, on, off, but got 'yes'");
  });

  it('runs both columns (as written, and split like Strata) or none', () => {
    expect(pytorchVariants('auto')).toEqual([PYTORCH, PYTORCH_SPLIT]);
    expect(pytorchVariants('on')).toEqual([PYTORCH, PYTORCH_SPLIT]);
    expect(pytorchVariants('off')).toEqual([]);
  });

  it('passes the row sizes to the script', () => {
    const args = pytorchArgs(options(['--k', '1,50', '--reps', '2', '--bound-k', '300', '--chunk', '50']), PYTORCH_SPLIT, '/tmp/out.json');
    expect(args[0]).toBe(pytorchScript());
    expect(args).toEqual(expect.arrayContaining(['--name=pytorch-split', '--out=/tmp/out.json', '--k=1,50', '--reps=2', '--bound-k=300', '--chunk=50', '--split-head']));
  });

  it('reports why there is no column when the Python has no torch', () => {
    const found = findTorchPython(process.execPath);
    expect('reason' in found && found.reason).toMatch(/no Python with PyTorch .*apt-get install python3-torch/);
  });
});

describe('the comparison', () => {
  const row = (id: string, median: number): Measurement => ({
    id,
    group: 'train-step',
    label: id,
    unit: 'steps/s',
    params: {},
    timing: {
      kind: 'measured',
      rate: { min: median, median, max: median, samples: [median] },
      secondsPerCall: { min: 1 / median, median: 1 / median, max: 1 / median, samples: [1 / median] },
      cpuSecondsPerCall: { min: 1, median: 1, max: 1, samples: [1] },
      cpuPerWall: { min: 1, median: 1, max: 1, samples: [1] },
      reps: 1,
      callsPerRep: 1,
      warmupSeconds: [1],
      budgetCut: false,
      tensorLeak: 0,
    },
  });
  const run = (backend: string, measurements: Measurement[]): BackendRun => ({
    backend,
    tfjsBackend: backend,
    flags: {},
    strataGradients: { BatchMatMul: false, Tile: false },
    seconds: 1,
    measurements,
    profiles: [],
  });

  it('puts the PyTorch column beside the backends, relative to the fastest', () => {
    const comparisons = compareBackends([run('native', [row('train-step k=10', 15)]), run('pytorch', [row('train-step k=10', 12)])]);
    expect(comparisons).toEqual([{ id: 'train-step k=10', unit: 'steps/s', fastest: 'native', relative: { native: 1, pytorch: 0.8 } }]);
  });
});

const torch = findTorchPython();
const withTorch = 'python' in torch ? it : it.skip;

describe('bench/pytorch/tdvae_bench.py', () => {
  withTorch('scores the same latents as Strata does, as written and with head_z1 split (log-weights to float32 rounding)', async () => {
    if (!('python' in torch)) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-pytorch-'));
    const k = 20;
    const model = await loadModel(path.join(import.meta.dirname, '../../models/tdvae-bench.ppl'), { backend: 'cpu', seed: 4 });
    const x = syntheticPatches(5, 400, 12);
    try {
      const trace = model.compiled.trace({ x }, { k, seed: 9, guide: model.guide });
      const ours = tf.tidy(() => logWeights(trace));
      const mine = (await ours.array()) as number[][];
      for (const [name, value] of Object.entries(model.getParameters())) await writeNpy(path.join(dir, `${name}.npy`), value.values, value.shape);
      await writeNpy(path.join(dir, 'x.npy'), x.dataSync() as Float32Array, x.shape);
      for (const latent of ['z2', 'z1']) {
        const z = trace.samples.get(latent)!;
        await writeNpy(path.join(dir, `${latent}.npy`), z.dataSync() as Float32Array, z.shape);
      }
      tf.dispose([ours, ...trace.latents.flatMap((l) => [l.logP, l.logQ]), ...trace.observed.values(), ...trace.samples.values()]);
      for (const flags of [[], ['--split-head']]) {
        const out = path.join(dir, 'log-weights.npy');
        execFileSync(torch.python, [pytorchScript(), '--log-weights', dir, `--k=${k}`, `--out=${out}`, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
        const theirs = await readNpy(out);
        expect(theirs.shape).toEqual([k, 5]);
        mine.flat().forEach((w, i) => {
          // float32 sums of ~1300 terms in another order: about 16 ulp of |log w| (measured: at most 1.5 ulp).
          expect(Math.abs(theirs.data[i]! - w)).toBeLessThan(2e-6 * Math.max(1, Math.abs(w)));
        });
      }
    } finally {
      model.dispose();
      x.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withTorch('computes the log-weights of models/tdvae-bench.ppl (same parameters: same mean and spread)', async () => {
    if (!('python' in torch)) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-pytorch-'));
    const k = 300;
    const model = await loadModel(path.join(import.meta.dirname, '../../models/tdvae-bench.ppl'), { backend: 'cpu', seed: 3 });
    const x = syntheticPatches(3, 400, 11);
    try {
      for (const [name, value] of Object.entries(model.getParameters())) await writeNpy(path.join(dir, `${name}.npy`), value.values, value.shape);
      await writeNpy(path.join(dir, 'x.npy'), x.dataSync() as Float32Array, x.shape);
      const out = path.join(dir, 'log-weights.npy');
      execFileSync(torch.python, [pytorchScript(), '--log-weights', dir, `--k=${k}`, `--out=${out}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      const read = await readNpy(out);
      expect(read.shape).toEqual([k, 3]);
      const theirs = Array.from({ length: k }, (_, i) => Array.from(read.data.subarray(i * 3, i * 3 + 3)));
      const ours = await model.logWeights(x, { k, seed: 5 });
      const mine = (await ours.array()) as number[][];
      ours.dispose();
      for (let b = 0; b < 3; b++) {
        const a = moments(mine.map((r) => r[b]!));
        const t = moments(theirs.map((r) => r[b]!));
        const se = Math.sqrt((a.variance + t.variance) / k);
        expect(Math.abs(a.mean - t.mean)).toBeLessThan(5 * se);
        expect(Math.sqrt(t.variance / a.variance)).toBeGreaterThan(0.7);
        expect(Math.sqrt(t.variance / a.variance)).toBeLessThan(1.4);
      }
    } finally {
      model.dispose();
      x.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function moments(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, variance: values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) };
}
