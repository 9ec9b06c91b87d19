/**
 * What a run directory promises (docs/cli.md, "Run directories"): a new run
 * never overwrites one (refused, or moved aside with --force), a directory of
 * other files is never written into, one writer at a time (a lock that a
 * second real process is refused by and that a kill -9 leaves stale, to be
 * taken over), readers see complete checkpoints while a writer saves, and
 * the temporary files of a save killed with -9 go at the next --resume.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { readMetrics } from '../../src/driver/training-run.js';
import { sampleOneLevel, TestRandom, type Matrix } from '../helpers/linear-gaussian.js';
import { spawnStrata } from '../helpers/strata-process.js';
import { run, type Run } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINEAR_GAUSSIAN = join(ROOT, 'models', 'linear-gaussian.ppl');

let tmp = '';
const path = (name: string) => join(tmp, name);
let X = '';

function writeF32(name: string, rows: Matrix): string {
  const file = path(name);
  writeFileSync(file, Buffer.from(Float32Array.from(rows.flat()).buffer));
  writeFileSync(`${file}.json`, JSON.stringify({ shape: [rows.length, rows[0]!.length], dtype: 'float32' }));
  return file;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-rundir-'));
  const rng = new TestRandom(5);
  X = writeF32('x.f32', sampleOneLevel({ W: rng.matrix(4, 6, 0.8), b: rng.normals(6) }, 300, rng));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function trainArgs(out: string, ...more: string[]): string[] {
  return ['train', LINEAR_GAUSSIAN, '--data', `file:${X}`, '--out', out, '--backend', 'cpu', '--batch', '50', '--k', '2', '--lr', '0.01', ...more];
}

/** Every file under `dir` with the SHA-256 of its bytes. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(join(dir, name)).isFile())
      .sort()
      .map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]),
  );
}

/** The one line of a refusal: exit 1, nothing on stdout, `strata: ...` alone on stderr. */
function refusalLine(r: Run): string {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines.at(-1)).toBe('');
  expect(lines.filter((l) => l.startsWith('strata: '))).toHaveLength(1);
  return lines.at(-2)!;
}

const tempFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('a new run into a directory that holds one', () => {
  it('is refused with one line naming the run (model, epochs, last bound) and the ways on; no file of it changes', async () => {
    const out = path('kept');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    const before = snapshot(out);
    const { bound } = (await readMetrics(out)).at(-1)!;

    const line = refusalLine(await run(...trainArgs(out, '--epochs', '1', '--seed', '3')));
    expect(line).toBe(
      `strata: train: '${out}' already holds a run (model ${LINEAR_GAUSSIAN}, epoch 2 of 2, last bound ${bound.toFixed(3)}); ` +
        `continue it with --resume ${out}, or give a new --out (--force moves this run aside to ${out}.old-<time>)`,
    );
    expect(snapshot(out)).toEqual(before);
    expect(existsSync(join(out, 'train.lock'))).toBe(false);
  });

  it('that saved no checkpoint yet (killed in its first epoch) is refused too', async () => {
    const out = path('no-checkpoint');
    mkdirSync(out);
    writeFileSync(join(out, 'model.ppl'), readFileSync(LINEAR_GAUSSIAN));
    writeFileSync(join(out, 'metrics.jsonl'), '');
    const before = snapshot(out);
    expect(refusalLine(await run(...trainArgs(out, '--epochs', '1')))).toMatch(
      new RegExp(`^strata: train: '${out}' already holds a run \\(no checkpoint yet, 0 epochs in metrics.jsonl, no epoch finished\\); continue it with --resume`),
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('--force and --overwrite move the earlier run aside to DIR.old-<time>, bitwise, and start afresh', async () => {
    const out = path('forced');
    expect((await run(...trainArgs(out, '--epochs', '2'))).code).toBe(0);
    const first = snapshot(out);
    const forced = await run(...trainArgs(out, '--epochs', '1', '--seed', '3', '--force'));
    expect(forced.code).toBe(0);
    const aside = readdirSync(tmp).filter((n) => n.startsWith('forced.old-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^forced\.old-\d{8}T\d{6}Z$/);
    expect(forced.stderr).toContain(`moved the earlier run in ${out} (model ${LINEAR_GAUSSIAN}, epoch 2 of 2, last bound `);
    expect(forced.stderr).toContain(`to ${path(aside[0]!)}\n`);
    expect(snapshot(path(aside[0]!))).toEqual(first);
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual([1]);
    expect((await loadCheckpoint(out)).runInfo.options.seed).toBe(3);

    // Twice in the same second: the second aside gets a suffix, nothing is lost.
    const second = snapshot(out);
    expect((await run(...trainArgs(out, '--epochs', '1', '--overwrite'))).code).toBe(0);
    const asides = readdirSync(tmp).filter((n) => n.startsWith('forced.old-')).sort();
    expect(asides).toHaveLength(2);
    expect(asides.map((n) => snapshot(path(n)))).toContainEqual(second);
    expect(asides.map((n) => snapshot(path(n)))).toContainEqual(first);
  });

  it('a directory of other files is refused, --force or not, and nothing is written into it; so is a file', async () => {
    const out = path('photos');
    mkdirSync(out);
    writeFileSync(join(out, 'holiday.jpg'), 'not a run');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    for (const more of [[], ['--force']]) {
      expect(refusalLine(await run(...trainArgs(out, '--epochs', '1', ...more)))).toBe(
        `strata: train: '${out}' holds files that are not a Strata run (holiday.jpg, notes.txt); nothing was written there; give a new or empty --out`,
      );
      expect(readdirSync(out).sort()).toEqual(['holiday.jpg', 'notes.txt']);
    }
    expect(refusalLine(await run(...trainArgs(X, '--epochs', '1')))).toBe(`strata: train: --out '${X}' is a file, not a directory; give a directory for the run`);
  });

  it('an empty directory is used as it is', async () => {
    const out = path('empty');
    mkdirSync(out);
    expect((await run(...trainArgs(out, '--epochs', '1'))).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['metrics.jsonl', 'model.ppl', 'optimizer-000001.safetensors', 'params-000001.safetensors', 'run.json']);
  });

  it('--force means nothing with --resume and is refused', async () => {
    const out = path('kept');
    expect(refusalLine(await run('train', '--resume', out, '--force', '--backend', 'cpu'))).toBe('strata: train: --force applies to a new run, not to --resume');
  });
});

describe('one writer per run directory (real processes)', () => {
  it('a second train or --resume is refused with the writer\'s pid; readers see complete checkpoints; a kill -9 leaves a stale lock, taken over with a warning', async () => {
    const out = path('busy');
    const writer = spawnStrata(trainArgs(out, '--epochs', '100000', '--seed', '1'));
    try {
      await writer.waitForStderr(/^checkpoint: .* \(epoch 2\)$/);
      const pid = writer.child.pid!;
      const lock = JSON.parse(readFileSync(join(out, 'train.lock'), 'utf8')) as Record<string, unknown>;
      expect(lock).toMatchObject({ pid, host: hostname() });
      expect(new Date(lock['started'] as string).toISOString()).toBe(lock['started']);

      const held = new RegExp(`^strata: run directory '${out}' is being written by process ${pid} on ${hostname()} \\(since .*: strata train .*\\); wait for it to finish or stop it; or train into another --out$`);
      for (const more of [[], ['--force']]) expect(refusalLine(await run(...trainArgs(out, '--epochs', '3', '--seed', '3', ...more)))).toMatch(held);
      expect(refusalLine(await run('train', '--resume', out, '--backend', 'cpu'))).toMatch(held);
      // The refused writer started nothing: the first run's history goes on growing, one line per epoch.
      expect(readdirSync(tmp).filter((n) => n.startsWith('busy.old-'))).toEqual([]);

      // Readers while the writer saves every epoch: always a complete generation, never going back.
      // Read until the writer has saved at least three more generations (however slow the machine), 30 reads at least.
      const first = (await loadCheckpoint(out)).runInfo.position.epoch;
      let last = first;
      const deadline = Date.now() + 60_000;
      for (let reads = 0; (reads < 30 || last < first + 3) && Date.now() < deadline; reads++) {
        const { runInfo, parameters } = await loadCheckpoint(out);
        expect(runInfo.position.epoch).toBeGreaterThanOrEqual(last);
        expect(Object.keys(parameters).sort()).toEqual(['decoder.bias', 'decoder.weight', 'encoder.bias', 'encoder.weight', 'guide_log_scale']);
        last = runInfo.position.epoch;
      }
      expect(last).toBeGreaterThanOrEqual(first + 3);
      expect((await run('eval', out, '--k', '4', '--backend', 'cpu')).code).toBe(0);
    } finally {
      writer.child.kill('SIGKILL');
    }
    expect((await writer.exited).signal).toBe('SIGKILL');

    const pid = writer.child.pid!;
    expect(JSON.parse(readFileSync(join(out, 'train.lock'), 'utf8'))).toMatchObject({ pid }); // left by the kill
    const { position } = (await loadCheckpoint(out)).runInfo;
    const epochs = (await readMetrics(out)).map((m) => m.epoch);
    expect(epochs.slice(0, position.epoch)).toEqual(Array.from({ length: position.epoch }, (_, i) => i + 1));

    const resumed = await run('train', '--resume', out, '--epochs', String(position.epoch + 1), '--backend', 'cpu');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr.split('\n')[0]).toMatch(new RegExp(`^warning: took over the stale lock of process ${pid} on ${hostname()} \\(since .*\\) in '${out}': that process is gone$`));
    expect((await readMetrics(out)).map((m) => m.epoch)).toEqual(Array.from({ length: position.epoch + 1 }, (_, i) => i + 1));
    expect(existsSync(join(out, 'train.lock'))).toBe(false);
  });
});

describe('a kill -9 during a save (real process)', () => {
  /** A wider linear-Gaussian model, so that a save takes long enough to be caught in. */
  const WIDE = (source: string) => source.replace('Z = 4', 'Z = 96').replace('X = 6', 'X = 256');

  it('leaves its temporary files, which the next --resume removes; the checkpoint stays intact', async () => {
    const model = path('wide.ppl');
    writeFileSync(model, WIDE(readFileSync(LINEAR_GAUSSIAN, 'utf8')));
    const rng = new TestRandom(9);
    const data = writeF32('wide.f32', rng.matrix(120, 256));
    const out = path('killed-in-save');
    const writer = spawnStrata(['train', model, '--data', `file:${data}`, '--out', out, '--backend', 'cpu', '--batch', '60', '--k', '1', '--epochs', '100000']);
    let caught: string[] = [];
    try {
      await writer.waitForStderr(/^checkpoint: /);
      // Poll; stop the writer the moment a temporary file exists, then kill it there (or let it go on and try the next save).
      const deadline = Date.now() + 60_000;
      while (caught.length === 0 && Date.now() < deadline) {
        if (tempFiles(out).length === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        writer.child.kill('SIGSTOP');
        const now = tempFiles(out);
        if (now.length > 0) {
          writer.child.kill('SIGKILL');
          caught = now.sort();
        } else {
          writer.child.kill('SIGCONT');
        }
      }
    } finally {
      writer.child.kill('SIGKILL');
    }
    await writer.exited;
    expect(caught.length, 'a kill landed inside a save').toBeGreaterThan(0);
    const pid = writer.child.pid!;
    for (const name of caught) expect(name).toMatch(new RegExp(`^\\.(params-\\d{6}\\.safetensors|optimizer-\\d{6}\\.safetensors|run\\.json)\\.${pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(tempFiles(out).sort()).toEqual(caught);

    const { position } = (await loadCheckpoint(out)).runInfo; // intact: the generation run.json names is complete
    const resumed = await run('train', '--resume', out, '--epochs', String(position.epoch + 1), '--backend', 'cpu');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`removed ${caught.length} temporary file${caught.length === 1 ? '' : 's'} of an interrupted save in ${out}: ${caught.join(', ')}\n`);
    expect(tempFiles(out)).toEqual([]);
    expect((await loadCheckpoint(out)).runInfo.position.epoch).toBe(position.epoch + 1);
  });
});

describe('readMetrics while a writer appends', () => {
  it('leaves out a last line still being written, and names a bad line before it', async () => {
    const dir = path('metrics-reader');
    mkdirSync(dir);
    const line = (epoch: number) => JSON.stringify({ epoch, bound: -epoch });
    writeFileSync(join(dir, 'metrics.jsonl'), `${line(1)}\n${line(2)}\n{"epoch":3,"bou`);
    expect((await readMetrics(dir)).map((m) => m.epoch)).toEqual([1, 2]);
    writeFileSync(join(dir, 'metrics.jsonl'), `${line(1)}\n{"epoch":2,"bou\n${line(3)}\n`);
    await expect(readMetrics(dir)).rejects.toThrow(`cannot read '${join(dir, 'metrics.jsonl')}' line 2: not a JSON metrics record`);
  });
});
