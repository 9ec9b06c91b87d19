/**
 * Training yields to the event loop after every step, on every backend
 * (regression: on cpu and native, where tensor reads resolve at once, a whole
 * epoch ran inside the microtask queue, so Ctrl-C, timers and the progress
 * bar waited for the epoch's end). A timer set before training must fire
 * within the first steps and stop training mid-epoch; a real SIGINT to a
 * real `strata train` must stop it mid-epoch too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel, infer } from '../../src/index.js';
import { nativeBuilt } from '../native/helpers.js';
import { spawnStrata } from '../helpers/strata-process.js';
import { TestRandom } from '../helpers/linear-gaussian.js';

const MODEL = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
const SOURCE = `X = 6\nZ = 4\ndata x: real[X]\nmodel {\n  net decoder = linear(Z -> X)\n  z: real[Z] ~ Normal(0, 1)\n  x ~ Normal(decoder(z), 0.5)\n}\nguide q {\n  net encoder = linear(X -> Z)\n  z ~ Normal(encoder(x), 0.5)\n}\n`;
const rows = new TestRandom(1).matrix(400, 6);
const tmp = mkdtempSync(join(tmpdir(), 'strata-stop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(['cpu', 'wasm', ...(nativeBuilt ? ['native'] : [])])('on the %s backend', (backend) => {
  it('a timer set before training fires within an epoch and its stop request is honoured at the next step', async () => {
    const model = await compileModel(SOURCE, { backend, seed: 0, fileName: 'lg.ppl' });
    try {
      let stop = false;
      let steps = 0;
      setTimeout(() => (stop = true), 0);
      const result = await infer(model, { data: { x: rows }, k: 2, epochs: 1, batchSize: 4, seed: 1, onStep: () => void steps++, shouldStop: () => stop });
      expect(result.interrupted).toBe(true);
      expect(steps).toBeLessThan(5); // of 100 in the epoch
      expect(model.position.epoch).toBe(0);
    } finally {
      model.dispose();
    }
  });
});

describe('strata train in a real process', () => {
  it('SIGINT stops it mid-epoch with a checkpoint at that step', async () => {
    const data = join(tmp, 'x.f32');
    writeFileSync(data, Buffer.from(Float32Array.from(new TestRandom(2).matrix(6000, 6).flat()).buffer));
    writeFileSync(`${data}.json`, JSON.stringify({ shape: [6000, 6], dtype: 'float32' }));
    const out = join(tmp, 'run');
    const child = spawnStrata(['train', MODEL, '--data', `file:${data}`, '--out', out, '--batch', '2', '--k', '2', '--epochs', '1', ...(nativeBuilt ? ['--backend', 'native'] : ['--backend', 'cpu'])]);
    await child.waitForStderr(/^objective: /);
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.child.kill('SIGINT');
    const { code, stdout, stderr } = await child.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('stopping after this step and saving a checkpoint');
    expect(stdout).toMatch(/^stopped: /);
    expect(stderr).toMatch(new RegExp(`checkpoint: ${out} \\(epoch 0, step \\d+\\)`)); // 2700 steps an epoch: stopped inside it
  });
});
