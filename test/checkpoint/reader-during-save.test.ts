/**
 * A reader racing a writer: it read run.json of generation N, and before it
 * opened N's tensor files the writer saved N+1 and deleted N. The race is
 * made exact here by handing the reader the old run.json text once (a mock of
 * readFile), with the directory already at generation N+1.
 */
import { mkdtemp, readFile as realReadFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { infer, type StrataModel } from '../../src/index.js';
import { compile, INFO, trainOptions } from './fixture.js';

/** When set, the next read of a run.json returns this text instead of the file's. */
const stale: { text?: string } = {};

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = (async (...args: Parameters<typeof actual.readFile>) => {
    if (stale.text !== undefined && String(args[0]).endsWith('run.json')) {
      const text = stale.text;
      delete stale.text;
      return text;
    }
    return actual.readFile(...args);
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
});

let dir = '';
let model: StrataModel | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-race-'));
});
afterEach(async () => {
  model?.dispose();
  delete stale.text;
  await rm(dir, { recursive: true });
});

describe('loadCheckpoint while a writer saves', () => {
  it('follows run.json to the newer generation when the one it read was deleted under it', async () => {
    model = await compile(0);
    await infer(model, trainOptions(1));
    await saveCheckpoint(dir, model, INFO);
    const first = await realReadFile(join(dir, 'run.json'), 'utf8');
    await infer(model, trainOptions(1));
    await saveCheckpoint(dir, model, INFO); // generation 2; generation 1's files are gone

    stale.text = first;
    const loaded = await loadCheckpoint(dir);
    expect(stale.text).toBeUndefined(); // the stale text was read
    expect(loaded.runInfo.generation).toBe(2);
    expect(loaded.runInfo.position).toEqual(model.position);
    expect(Buffer.from(loaded.parameters['decoder.weight']!.values.buffer).toString('hex')).toBe(
      Buffer.from(model.getParameters()['decoder.weight']!.values.buffer).toString('hex'),
    );
  });

  it('still fails, naming the file, when run.json names a missing file and no writer moves it on', async () => {
    model = await compile(0);
    await saveCheckpoint(dir, model, INFO);
    await rm(join(dir, 'params-000001.safetensors'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/params-000001\.safetensors/);
  });
});
