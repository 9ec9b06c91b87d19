/**
 * `strata train`, `eval` and `sample` run in-process through `main(argv, io)`
 * on the cpu backend, on 300 rows drawn from models/linear-gaussian.ppl and
 * written as a raw .f32 file with its .json header: the run directory, exact
 * resumption (after `--resume`, after Ctrl-C mid-epoch and after a kill), the
 * evaluation against the closed-form log p(x), the sample files, and every
 * error path with its exit code and its one-line message.
 *
 * 300 rows split into 270 train / 30 test; batches of 50 make 6 steps an epoch.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { run, type Run } from './run-cli.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { readNpy } from '../../src/data/npy.js';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { readSafetensors } from '../../src/driver/checkpoint/safetensors.js';
import { readMetrics, runTraining, type TrainRunOptions } from '../../src/driver/training-run.js';
import { NonFiniteError } from '../../src/inference/train-step.js';
import { gaussianKl, meanAndStandardError, oneLevelGuideAt, oneLevelLogPx, oneLevelPosterior, sampleOneLevel, TestRandom, type Matrix } from '../helpers/linear-gaussian.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINEAR_GAUSSIAN = join(ROOT, 'models', 'linear-gaussian.ppl');
const VAE_MNIST = join(ROOT, 'models', 'vae-mnist.ppl');
const SOURCE = readFileSync(LINEAR_GAUSSIAN, 'utf8');


let tmp = '';
/** A fresh path inside the test's temporary directory. */
const path = (name: string) => join(tmp, name);

/** Writes `rows` as X.f32 (little-endian float32, C order) with its X.f32.json header; returns X.f32's path. */
function writeF32(name: string, rows: Matrix): string {
  const file = path(name);
  const values = Float32Array.from(rows.flat());
  writeFileSync(file, Buffer.from(values.buffer));
  writeFileSync(`${file}.json`, JSON.stringify({ shape: [rows.length, rows[0]!.length], dtype: 'float32' }));
  return file;
}

let X = ''; // 300 x 6 from the model itself
const SEED = 7;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-train-'));
  const rng = new TestRandom(3);
  X = writeF32('x.f32', sampleOneLevel({ W: rng.matrix(4, 6, 0.8), b: rng.normals(6) }, 300, rng));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `strata train` on X with small, fixed options; β of z anneals from 0.5 over 2 epochs so `betas` has something in it. */
function trainArgs(out: string, ...more: string[]): string[] {
  return ['train', LINEAR_GAUSSIAN, '--data', `file:${X}`, '--out', out, '--backend', 'cpu', '--batch', '50', '--k', '3', '--lr', '0.01', '--seed', String(SEED), '--anneal', 'z:0.5@2ep', ...more];
}

/** The same run for the driver, `runTraining`. */
function driverOptions(out: string, epochs: number): TrainRunOptions {
  return {
    modelPath: LINEAR_GAUSSIAN, out, data: { spec: `file:${X}`, seed: SEED }, objective: 'iwae', k: 3, estimator: 'reparam',
    epochs, batchSize: 50, learningRate: 0.01, anneal: { z: { from: 0.5, epochs: 2 } }, seed: SEED, backend: 'cpu', checkpointEvery: 1, resume: false,
  };
}

const hex = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** A checkpoint's position, parameters and Adam state, read with the checkpoint loader, arrays as hex so `toEqual` compares bits. */
async function checkpointState(dir: string) {
  const { runInfo, parameters, optimizerState } = await loadCheckpoint(dir);
  return {
    position: runInfo.position,
    parameters: Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, { shape: p.shape, bits: hex(p.values) }])),
    adam: optimizerState && {
      iterations: optimizerState.iterations,
      slots: Object.fromEntries([...optimizerState.slots].map(([name, s]) => [name, { m: hex(s.m), v: hex(s.v) }])),
    },
  };
}

/** metrics.jsonl without the timings. */
async function metricsOf(dir: string) {
  return (await readMetrics(dir)).map(({ seconds: _, ...rest }) => rest);
}

const generationFiles = (dir: string) => readdirSync(dir).filter((f) => /^(params|optimizer)-\d+\.safetensors$/.test(f)).sort();

/** Exactly one line on stderr, `strata: ...`, and no stack trace. */
function expectOneLineError(r: Run, message: RegExp): void {
  expect(r.stderr).toMatch(/^strata: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('internal error');
}

describe('strata train', () => {
  it('writes run.json, one generation of parameters and Adam state, model.ppl and one metrics line per epoch', async () => {
    const out = path('basic');
    const r = await run(...trainArgs(out, '--epochs', '3'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^done: ${out} {2}\\(epoch 3, bound -?\\d+\\.\\d{3}\\)\\n$`));
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(`data: file ${X} (float32 [300, 6], real), seeded row split: 270 train / 30 test rows of 6`);
    expect(lines[1]).toBe('backend: cpu');
    expect(lines.filter((l) => /^epoch \d\/3 {2}loss -?\d+\.\d{3} {2}bound -?\d+\.\d{3} {2}z -?\d+\.\d{2} {2}\(\d+\.\d s\)$/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('checkpoint: '))).toEqual([1, 2, 3].map((e) => `checkpoint: ${out} (epoch ${e})`));

    expect(readdirSync(out).sort()).toEqual(['metrics.jsonl', 'model.ppl', 'optimizer-000003.safetensors', 'params-000003.safetensors', 'run.json']);
    expect(readFileSync(join(out, 'model.ppl'), 'utf8')).toBe(SOURCE);

    const metrics = await readMetrics(out);
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
    for (const m of metrics) {
      expect(Object.keys(m).sort()).toEqual(['betas', 'bound', 'epoch', 'gradNorm', 'loss', 'observed', 'seconds', 'steps', 'terms']);
      expect(m.steps).toBe(6);
      for (const v of [m.loss, m.bound, m.gradNorm, m.terms['z'], m.observed['x']]) expect(Number.isFinite(v)).toBe(true);
      expect(m.seconds).toBeGreaterThanOrEqual(0);
    }
    // β(z) at an epoch's last step (5 of 6): 0.5 + 0.5 · min(1, (epoch + 5/6) / 2).
    expect(metrics.map((m) => m.betas['z'])).toEqual([0, 1, 2].map((e) => expect.closeTo(0.5 + 0.5 * Math.min(1, (e + 5 / 6) / 2), 12)));

    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(runJson).toMatchObject({
      format: 1,
      generation: 3,
      files: { params: 'params-000003.safetensors', optimizer: 'optimizer-000003.safetensors' },
      model: { path: LINEAR_GAUSSIAN, sha256: createHash('sha256').update(SOURCE).digest('hex'), guide: 'q' },
      options: {
        objective: 'iwae', k: 3, estimator: 'reparam', batchSize: 50, learningRate: 0.01, seed: SEED, epochs: 3,
        anneal: { z: { from: 0.5, epochs: 2 } }, data: { spec: `file:${X}`, seed: SEED },
      },
      position: { epoch: 3, step: 0 },
      rng: { seed: SEED },
      backend: 'cpu',
      metrics: metrics[2],
    });
    for (const key of ['created', 'updated'] as const) expect(new Date(runJson[key] as string).toISOString()).toBe(runJson[key]);

    const params = await readSafetensors(join(out, 'params-000003.safetensors'));
    expect(params.metadata).toMatchObject({ format: 'strata-params-1', generation: '3' });
    expect(Object.fromEntries([...params.tensors].map(([name, t]) => [name, [t.dtype, t.shape]]))).toEqual({
      'decoder.weight': ['F32', [4, 6]],
      'decoder.bias': ['F32', [6]],
      'encoder.weight': ['F32', [6, 4]],
      'encoder.bias': ['F32', [4]],
      guide_log_scale: ['F32', [4]],
    });
    const adam = await readSafetensors(join(out, 'optimizer-000003.safetensors'));
    expect(adam.metadata['generation']).toBe('3');
    expect(adam.tensors.get('decoder.weight/m')?.shape).toEqual([4, 6]);
  });

  it('--checkpoint-every 2 saves at epoch 2 and at the end', async () => {
    const out = path('every2');
    const r = await run(...trainArgs(out, '--epochs', '3', '--checkpoint-every', '2'));
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('checkpoint: '))).toEqual([`checkpoint: ${out} (epoch 2)`, `checkpoint: ${out} (epoch 3)`]);
  });

  it('a new run into an existing run directory is refused; with --force it starts afresh beside the old run, moved aside', async () => {
    const out = path('again');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    expect((await run(...trainArgs(out, '--epochs', '1'))).code).toBe(1);
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual([1, 2]);
    expect((await run(...trainArgs(out, '--epochs', '1', '--force'))).code).toBe(0);
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual([1]);
    expect(generationFiles(out)).toEqual(['optimizer-000001.safetensors', 'params-000001.safetensors']);
  });
});

describe('resuming', () => {
  const reference = () => path('reference'); // 4 epochs, uninterrupted
  beforeAll(async () => {
    expect((await run(...trainArgs(reference(), '--epochs', '4'))).code).toBe(0);
  });

  it('2 epochs and then --resume --epochs 4 give bitwise the parameters, Adam state and metrics of 4 epochs', async () => {
    const out = path('two-then-four');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    const r = await run('train', '--resume', out, '--epochs', '4', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('resuming at epoch 3 of 4\n');
    expect(r.stdout).toMatch(/^done: .* {2}\(epoch 4, bound /);
    expect(await checkpointState(out)).toEqual(await checkpointState(reference()));
    expect(await metricsOf(out)).toEqual(await metricsOf(reference()));
  });

  it('a stop mid-epoch (Ctrl-C) checkpoints the position; resuming without --epochs finishes the run like an uninterrupted one', async () => {
    const out = path('stopped');
    let steps = 0;
    const result = await runTraining(driverOptions(out, 4), { onStep: () => void steps++, shouldStop: () => steps >= 9 });
    expect(result).toMatchObject({ interrupted: true, position: { epoch: 1, step: 3 } });
    expect((await loadCheckpoint(out)).runInfo.position).toEqual({ epoch: 1, step: 3 });
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual([1]);

    const r = await run('train', '--resume', out, '--backend', 'cpu'); // the run's own 4 epochs
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('resuming at epoch 2 of 4\n');
    expect(await checkpointState(out)).toEqual(await checkpointState(reference()));
    // Epoch 2's line averages the 3 steps taken after the resume; the others are the reference's.
    const [one, two, ...rest] = await metricsOf(out);
    const ref = await metricsOf(reference());
    expect([one, ...rest]).toEqual([ref[0], ref[2], ref[3]]);
    expect(two).toMatchObject({ epoch: 2, steps: 3 });
  });

  it('Ctrl-C in `strata train` stops after the step, saves a checkpoint and exits 0; --resume then equals the uninterrupted run', async () => {
    const out = path('sigint');
    const before = process.listeners('SIGINT');
    let stdout = '';
    let stderr = '';
    const code = await main(trainArgs(out, '--epochs', '4'), {
      stdout: (s) => void (stdout += s),
      stderr: (s) => {
        stderr += s;
        // The first epoch's line: press Ctrl-C once, through the handler train installed.
        if (s.startsWith('epoch 1/4')) process.listeners('SIGINT').filter((l) => !before.includes(l)).forEach((l) => l('SIGINT'));
      },
    });
    expect(code).toBe(0);
    expect(stderr).toContain('stopping after this step and saving a checkpoint (Ctrl-C again to quit now)');
    expect(stdout).toMatch(new RegExp(`^stopped: ${out} {2}\\(epoch 1, bound `));
    expect(process.listeners('SIGINT')).toEqual(before);
    expect((await loadCheckpoint(out)).runInfo.position).toEqual({ epoch: 1, step: 0 });

    expect((await run('train', '--resume', out, '--epochs', '4', '--backend', 'cpu')).code).toBe(0);
    expect(await checkpointState(out)).toEqual(await checkpointState(reference()));
    expect(await metricsOf(out)).toEqual(await metricsOf(reference()));
  });

  it('after a kill, resuming from what is on disk equals the uninterrupted run', async () => {
    const out = path('killed');
    const afterSave = path('killed-after-save'); // killed just after epoch 2's checkpoint
    const beforeSave = path('killed-before-save'); // killed after epoch 3's metrics line, while writing its checkpoint
    await runTraining(driverOptions(out, 4), {
      onCheckpoint: (dir, epoch) => {
        if (epoch === 2) cpSync(dir, afterSave, { recursive: true });
      },
      onEpoch: (record) => {
        if (record.epoch !== 3) return;
        cpSync(out, beforeSave, { recursive: true });
        writeFileSync(join(beforeSave, 'params-000003.safetensors'), 'torn'); // the next generation, half written
      },
    });
    // The driver and the CLI train the same run.
    expect(await checkpointState(out)).toEqual(await checkpointState(reference()));
    expect((await readMetrics(beforeSave)).map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect((await loadCheckpoint(beforeSave)).runInfo.position).toEqual({ epoch: 2, step: 0 });

    for (const dir of [afterSave, beforeSave]) {
      const r = await run('train', '--resume', dir, '--epochs', '4', '--backend', 'cpu');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('resuming at epoch 3 of 4\n');
      expect(await checkpointState(dir)).toEqual(await checkpointState(reference()));
      expect(await metricsOf(dir)).toEqual(await metricsOf(reference())); // epoch 3 once, not twice
      expect(generationFiles(dir)).toHaveLength(2); // the torn file is gone with the older generations
    }
  });

  it('a torn last line of metrics.jsonl is dropped on resume', async () => {
    const out = path('torn-metrics');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    appendFileSync(join(out, 'metrics.jsonl'), '{"epoch":3,"steps":6,"lo');
    expect((await run('train', '--resume', out, '--epochs', '4', '--backend', 'cpu')).code).toBe(0);
    expect(await metricsOf(out)).toEqual(await metricsOf(reference()));
  });

  it('a blow-up (non-finite loss) stops with the step and the last good checkpoint, which stays intact and loadable', async () => {
    const out = path('blow-up');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    const good = await checkpointState(out);
    // Resume at a learning rate of 1e30: the first step moves every parameter by ~1e30 and the next loss is not finite.
    const runJsonPath = join(out, 'run.json');
    const runJson = JSON.parse(readFileSync(runJsonPath, 'utf8')) as { options: { learningRate: number } };
    runJson.options.learningRate = 1e30;
    writeFileSync(runJsonPath, JSON.stringify(runJson));

    const r = await run('train', '--resume', out, '--epochs', '4', '--backend', 'cpu');
    expect(r.code).toBe(1);
    const line = r.stderr.split('\n').at(-2)!;
    expect(r.stderr.endsWith(`${line}\n`)).toBe(true);
    const match = /^strata: training stopped at step (\d+): the (loss|gradient norm) is (NaN|-?Infinity); lower the learning rate, clip gradients or check the data; the last good checkpoint is in (.*) \(epoch 2\)$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(12); // step 12 (epoch 3's first) applied the jump
    expect(match![4]).toBe(out);
    expect(await checkpointState(out)).toEqual(good);
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual([1, 2]);
    expect((await run('eval', out, '--k', '5', '--backend', 'cpu')).code).toBe(0);
  });

  it('a blow-up before any checkpoint says none was saved (driver: NonFiniteError with the step)', async () => {
    const out = path('blow-up-at-once');
    const r = await run(...trainArgs(out, '--lr', '1e30'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`\\nstrata: training stopped at step 1: .*; no checkpoint was saved in ${out}\\n$`));
    expect(existsSync(join(out, 'run.json'))).toBe(false);

    const error = await runTraining({ ...driverOptions(path('blow-up-driver'), 2), learningRate: 1e30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error).toMatchObject({ step: 1, message: expect.stringMatching(/^training stopped at step 1: the (loss|gradient norm) is /) });
  });
});

describe('strata eval and strata sample', () => {
  const trained = () => path('trained');
  beforeAll(async () => {
    expect((await run(...trainArgs(trained(), '--epochs', '30', '--lr', '0.03'))).code).toBe(0);
  });

  it('eval prints the bound and per-term averages as a table', async () => {
    const r = await run('eval', trained(), '--k', '50', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('evaluated 30/30\n'); // stderr is not a TTY here: plain lines, no '\r'
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([`run: ${trained()}`, `data: file ${X} (float32 [300, 6], real), seeded row split: 270 train / 30 test rows of 6; evaluated: the test split (30 rows)`, '']);
    const cells = lines.slice(3).filter((l) => l !== '').map((l) => l.trim().split(/\s{2,}/));
    expect(cells[0]).toEqual(['quantity', 'mean', 'std. error', 'n']);
    expect(cells.slice(1).map((c) => c[0])).toEqual(['IWAE bound (k=50)', 'log p(x|·)', 'z: log p - log q']);
    for (const c of cells.slice(1)) {
      expect(c[1]).toMatch(/^-?\d+\.\d{3}$/);
      expect(c[2]).toMatch(/^\d+\.\d{3}$/);
      expect(c[3]).toBe('30');
    }
  });

  it('eval --json: bound mean, se and n, the terms, and per-point values below the closed-form log p(x)', async () => {
    const r = await run('eval', trained(), '--k', '1000', '--backend', 'cpu', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    interface Summary { mean: number; se: number; n: number }
    const json = JSON.parse(r.stdout) as { run: string; dataset: string; k: number; bound: Summary; terms: Record<string, Summary>; perPoint: number[] };
    expect(json).toMatchObject({ run: trained(), k: 1000, bound: { n: 30 } });
    expect(Object.keys(json.terms)).toEqual(['log p(x|·)', 'z: log p - log q']);
    for (const s of [json.bound, ...Object.values(json.terms)]) {
      expect(s.n).toBe(30);
      expect(Number.isFinite(s.mean)).toBe(true);
      expect(s.se).toBeGreaterThan(0);
    }
    expect(json.perPoint).toHaveLength(30);
    const stats = meanAndStandardError(json.perPoint);
    expect(json.bound.mean).toBeCloseTo(stats.mean, 4);
    expect(json.bound.se).toBeCloseTo(stats.se, 4);

    // Closed forms for the trained parameters on the same test rows: log p(x) with x ~ N(b, 0.25 I + WᵀW), and
    // KL(q(z | x) ‖ p(z | x)), the ELBO's gap, which bounds the IWAE-k gap from above (Burda et al. 2016, Thm 1).
    const { parameters } = await loadCheckpoint(trained());
    const values = (name: string) => Array.from(parameters[name]!.values);
    const rows = (flat: number[], cols: number) => Array.from({ length: flat.length / cols }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
    const model = { W: rows(values('decoder.weight'), 6), b: values('decoder.bias') };
    const guide = { weight: rows(values('encoder.weight'), 4), bias: values('encoder.bias'), scale: values('guide_log_scale').map(Math.exp) };
    const { test } = await loadDataset(`file:${X}`, { seed: SEED });
    const xs = rows(Array.from(test.values), 6);
    const logPx = xs.map((x) => oneLevelLogPx(model, x));
    const kl = xs.map((x) => gaussianKl(oneLevelGuideAt(guide, x), oneLevelPosterior(model, x)));
    // Tolerances are 3 standard errors across the test rows (which include the rows' spread: conservative for paired differences).
    const gap = meanAndStandardError(json.perPoint.map((bound, i) => logPx[i]! - bound));
    expect(gap.mean).toBeGreaterThan(-3 * gap.se); // a lower bound in expectation
    expect(gap.mean).toBeLessThan(meanAndStandardError(kl).mean + 3 * gap.se); // and at least as tight as the ELBO
    // The terms' averages add up to the ELBO, log p(x) − KL.
    const [observed, latent] = [json.terms['log p(x|·)']!, json.terms['z: log p - log q']!];
    const elbo = meanAndStandardError(logPx.map((l, i) => l - kl[i]!)).mean;
    expect(Math.abs(observed.mean + latent.mean - elbo)).toBeLessThan(3 * (observed.se + latent.se));

    const few = JSON.parse((await run('eval', trained(), '--k', '2', '--count', '5', '--backend', 'cpu', '--json')).stdout) as { bound: Summary; perPoint: number[] };
    expect(few.bound.n).toBe(5);
    expect(few.perPoint).toHaveLength(5);
  });

  it('sample writes a .safetensors file: one [count, n, d] tensor per latent and the ESS', async () => {
    const out = path('samples.safetensors');
    const r = await run('sample', trained(), '--k', '5', '--n', '7', '--count', '3', '--backend', 'cpu', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: z \\[3, 7, 4\\]\\nESS per data point: (\\d+\\.\\d ){3}\\(mean \\d+\\.\\d{2} of k = 5\\)\\nPSIS k̂ per data point \\(S = 35 pooled weights\\): (-?\\d+\\.\\d\\d |inf ){2}(-?\\d+\\.\\d\\d|inf); \\d of 3 above 0\\.35`));
    // The header as any safetensors reader sees it: an 8-byte little-endian length, then JSON.
    const bytes = readFileSync(out);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
    expect(header['z']).toMatchObject({ dtype: 'F32', shape: [3, 7, 4] });
    expect(header['ess']).toMatchObject({ dtype: 'F32', shape: [3] });
    expect(header['psis_k']).toMatchObject({ dtype: 'F32', shape: [3] });
    const contents = await readSafetensors(out);
    expect(contents.metadata).toMatchObject({ run: trained(), k: '5', n: '7' });
    expect([...contents.tensors.get('z')!.data].every(Number.isFinite)).toBe(true);
    for (const e of contents.tensors.get('ess')!.data) {
      expect(e).toBeGreaterThanOrEqual(1 - 1e-5);
      expect(e).toBeLessThanOrEqual(5 + 1e-5);
    }
  });

  it('sample writes .npy files: STEM.z.npy and STEM.ess.npy', async () => {
    const stem = path('samples');
    const r = await run('sample', trained(), '--k', '5', '--n', '7', '--count', '3', '--latents', 'z', '--backend', 'cpu', '--out', `${stem}.npy`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${stem}.z.npy, ${stem}.ess.npy, ${stem}.psis_k.npy: z [3, 7, 4]\n`);
    expect(existsSync(`${stem}.npy`)).toBe(false);
    const z = await readNpy(`${stem}.z.npy`);
    expect([z.dtype, z.shape]).toEqual(['float32', [3, 7, 4]]);
    const ess = await readNpy(`${stem}.ess.npy`);
    expect([ess.dtype, ess.shape]).toEqual(['float32', [3]]);
    const bytes = readFileSync(`${stem}.z.npy`);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])); // \x93NUMPY v1.0
    expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
    expect(bytes.subarray(10, 10 + bytes.readUInt16LE(8)).toString('latin1')).toMatch(/'descr': '<f4', 'fortran_order': False, 'shape': \(3, 7, 4\)/);
  });
});

describe('errors', () => {
  /** A trained run for the eval and sample errors. */
  const runDir = () => path('errors-run');
  beforeAll(async () => {
    const rng = new TestRandom(5);
    writeF32('x5.f32', rng.matrix(300, 5));
    writeF32('real784.f32', rng.matrix(20, 784));
    writeF32('nan.f32', rng.matrix(300, 6).map((row, i) => (i === 40 ? row.map((v, j) => (j === 2 ? NaN : v)) : row)));
    expect((await run(...trainArgs(runDir(), '--epochs', '1'))).code).toBe(0);
  });

  // [what, argv, message]; each exits 1 with one line on stderr and, for train, writes nothing.
  const cases: [string, () => string[], RegExp][] = [
    ['data narrower than the model (5 columns for real[6])', () => trainArgs(path('e-width'), '--data', `file:${path('x5.f32')}`),
      /^strata: .*linear-gaussian\.ppl observes x: real\[6\] but dataset 'file:.*x5\.f32' has rows of 5 values$/m],
    ['real data for a binary model', () => ['train', VAE_MNIST, '--data', `file:${path('real784.f32')}`, '--out', path('e-binary'), '--backend', 'cpu'],
      /observes x as binary\[784\] but dataset 'file:.*real784\.f32' is real-valued; use a binarized dataset \(e\.g\. mnist:binarized\) or declare x: real\[784\]/],
    ['a missing data file', () => trainArgs(path('e-missing'), '--data', `file:${path('nope.f32')}`), /nope\.f32\.json: missing header \(the JSON header of nope\.f32\)/],
    ['a missing .npy data file', () => trainArgs(path('e-missing-npy'), '--data', `file:${path('nope.npy')}`), /nope\.npy: /],
    ['an unknown dataset', () => trainArgs(path('e-dataset'), '--data', 'mnist:binarised'), /unknown dataset 'mnist:binarised'; known: .*\(did you mean 'mnist:binarized'\?\)/],
    ['NaN in the data', () => trainArgs(path('e-nan'), '--data', `file:${path('nan.f32')}`), /nan\.f32: non-finite value NaN at flat index 242$/m],
    ['a bad --anneal spec', () => trainArgs(path('e-anneal'), '--anneal', 'z:0.1'), /--anneal: cannot read 'z:0\.1'; write LATENT:FROM@STEPS or LATENT:FROM@EPOCHSep/],
    ['--anneal of an unknown latent', () => trainArgs(path('e-anneal-latent'), '--anneal', 'w:0.1@2'), /anneal: 'w' is not a latent variable of the model \(latents: z\)/],
    ['tdiwae on a one-level model', () => trainArgs(path('e-tdiwae'), '--objective', 'tdiwae'),
      /tdiwae: needs a hierarchy of at least two latent levels, but this model has 1; use the 'iwae' objective/],
    ['an unknown backend', () => trainArgs(path('e-backend'), '--backend', 'gpu'), /Unknown backend 'gpu' \(from the argument\); expected one of node-gpu, node, native, wasm, cpu/],
    ['train with neither a model nor --resume', () => ['train', '--data', `file:${X}`], /train: give a model file, or --resume runs\/NAME/],
    ['--resume of a directory that is not a run', () => ['train', '--resume', path('e-not-a-run')], /no checkpoint in '.*e-not-a-run': the directory does not exist/],
    ['eval of a directory that is not a run', () => ['eval', tmp, '--backend', 'cpu'], /^strata: no checkpoint in '.*': run\.json is missing$/m],
    ['sample of a directory that is not a run', () => ['sample', tmp, '--backend', 'cpu', '--out', path('s.npy')], /^strata: no checkpoint in '.*': run\.json is missing$/m],
    ['sample --out with a bad extension', () => ['sample', runDir(), '--out', path('s.csv')], /sample: --out must end in \.safetensors or \.npy, but is '.*s\.csv'/],
    ['sample --latents naming an unknown latent', () => ['sample', runDir(), '--latents', 'z,w', '--backend', 'cpu', '--out', path('s.npy')],
      /sample: unknown latent 'w'; the model has z/],
  ];

  it.each(cases)('%s: exit 1, one line', async (_, argv, message) => {
    const args = argv();
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLineError(r, message);
    const out = args[args.indexOf('--out') + 1];
    if (args[0] === 'train' && args.includes('--out')) expect(existsSync(out!)).toBe(false); // reported before training starts
  });

  it('the errors do not change the run they name', async () => {
    expect(readdirSync(runDir()).sort()).toEqual(['metrics.jsonl', 'model.ppl', 'optimizer-000001.safetensors', 'params-000001.safetensors', 'run.json']);
    expect(existsSync(path('s.npy')) || existsSync(path('s.z.npy')) || existsSync(path('s.csv'))).toBe(false);
  });

  it.each([
    ['an unknown objective', ['--objective', 'elbo'], "option '--objective <name>' argument 'elbo' is invalid. Allowed choices are vae, iwae, tdiwae, miwae, ciwae, piwae, vimco."],
    ['an unknown estimator', ['--estimator', 'score'], "argument 'score' is invalid. Allowed choices are reparam, stl, dreg."],
    ['--k 0', ['--k', '0'], "option '--k <n>' argument '0' is invalid. expected a positive integer, got '0'"],
    ['a negative --k', ['--k', '-3'], "expected a positive integer, got '-3'"],
    ['a fractional --k', ['--k', '2.5'], "expected a positive integer, got '2.5'"],
    ['--lr 0', ['--lr', '0'], "expected a positive number, got '0'"],
    ['a non-integer --seed', ['--seed', 'x'], "expected an integer, got 'x'"],
  ])('train with %s: exit 2 (usage), said once', async (_, more, message) => {
    const r = await run(...trainArgs(path('e-usage'), ...more));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split(message).length - 1).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path('e-usage'))).toBe(false);
  });

  it.each([
    ['eval --k 0', ['eval', 'runs/x', '--k', '0'], "expected a positive integer, got '0'"],
    ['sample without --out', ['sample', 'runs/x'], "required option '--out <file>' not specified"],
    ['eval without a run', ['eval'], "missing required argument 'run'"],
  ])('%s: exit 2 (usage)', async (_, argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('an internal error prints one line with a hint; --verbose adds the stack trace', async () => {
    vi.doMock('../../src/driver/evaluate-run.js', () => ({
      evaluateRun: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    }));
    try {
      const plain = await run('eval', runDir(), '--backend', 'cpu');
      expect(plain.code).toBe(1);
      expect(plain.stderr).toBe('strata: internal error: cannot read properties of undefined (run with --verbose for the stack trace)\n');
      const verbose = await run('--verbose', 'eval', runDir(), '--backend', 'cpu');
      expect(verbose.code).toBe(1);
      expect(verbose.stderr.split('\n')[0]).toBe('strata: internal error: cannot read properties of undefined');
      expect(verbose.stderr).toMatch(/\n\s+at /);
    } finally {
      vi.doUnmock('../../src/driver/evaluate-run.js');
    }
  });
});
