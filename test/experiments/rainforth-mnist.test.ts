/**
 * The Rainforth et al. (seed 002, Table 1) MNIST reproduction end to end at
 * the tiny budget (seconds): results.json's structure with the five
 * objectives and the published numbers, a run stopped inside PIWAE (two
 * optimizers) that resumes to the numbers of an uninterrupted run, and a
 * re-run that skips what is done. Needs MNIST in ../shared/data/mnist
 * (skipped, saying so, without it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MNIST_PATHS } from '../../experiments/lib/mnist-data.js';
import { budgetFor, runRainforthMnist } from '../../experiments/rainforth-mnist/run.js';
import { BUDGETS, describeBudget, labelOf } from '../../experiments/rainforth-mnist/budgets.js';

const dataDir = resolve(__dirname, '../../../shared/data');
const haveMnist = MNIST_PATHS.every((p) => existsSync(join(dataDir, p)));
const root = mkdtempSync(join(tmpdir(), 'rainforth-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Json { [key: string]: any }
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

const TINY_NAMES = ['iwae-k4', 'piwae-m2-k2', 'miwae-m2-k2', 'ciwae-beta0.5-k4', 'vae-k4'];

/** Runs the tiny budget into `out`, collecting its lines; `stopAfter`: stop once shouldStop has been polled that often. */
async function tiny(out: string, stopAfter?: number) {
  const lines: string[] = [];
  let polls = 0;
  const result = await runRainforthMnist({
    budget: 'tiny', out, dataDir, backend: 'cpu', interactive: false, write: (l) => lines.push(l),
    ...(stopAfter === undefined ? {} : { shouldStop: () => ++polls > stopAfter }),
  });
  return { ...result, lines };
}

describe('rainforth-mnist: budgets and data errors', () => {
  it('runs the table\'s five objectives at 64 samples in quick and full, and describes an --epochs override', () => {
    for (const b of [BUDGETS.quick, BUDGETS.full]) {
      expect(b.configurations.map(labelOf)).toEqual(['IWAE(64)', 'PIWAE(8,8)', 'MIWAE(8,8)', 'CIWAE(β=0.5, k=64)', 'VAE(64)']);
      expect(b).toMatchObject({ iwaeK: 64, logPK: 5000 });
    }
    expect(BUDGETS.tiny.configurations.map((c) => c.name)).toEqual(TINY_NAMES);
    expect(describeBudget(budgetFor('quick', 4))).toMatch(/the first 4 of Burda et al.'s 3,280 epochs \(1 at 1\.0e-3, 3 at 7\.2e-4\)/);
    expect(describeBudget(budgetFor('full'))).toMatch(/Burda et al.'s 3,280 epochs .* IWAE-64 on all 10,000 test images, log p̂\(x\) with k=5,000 on the same images/);
    expect(() => budgetFor('quick', 0)).toThrow(/--epochs must be an integer from 1 to 3280/);
  });

  it('names the missing file and the directory it looked in', async () => {
    const empty = mkdtempSync(join(root, 'no-data-'));
    await expect(runRainforthMnist({ budget: 'tiny', out: join(root, 'never'), dataDir: empty })).rejects.toThrow(
      new RegExp(`^rainforth-mnist: missing file ${empty}/mnist/train-images-idx3-ubyte\\.gz \\(looked in the data directory ${empty}, given by --data`),
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe.skipIf(!haveMnist)(`rainforth-mnist at the tiny budget${haveMnist ? '' : ` (skipped: no MNIST in ${dataDir}/mnist)`}`, () => {
  const stopped = join(root, 'stopped');
  const straight = join(root, 'straight');

  it('stops inside PIWAE with a checkpoint, and a re-run resumes it to the numbers of an uninterrupted run', async () => {
    // 100 rows, batches of 20: 5 steps an epoch, 2 epochs. shouldStop is polled once before each configuration and
    // once before each step: 1 + 10 polls for IWAE, then 1 + 7 are PIWAE's epoch 1 and 2 steps of epoch 2.
    const first = await tiny(stopped, 19);
    expect(first.interrupted).toBe(true);
    expect(readJson(join(stopped, 'piwae-m2-k2', 'run.json')).position).toEqual({ epoch: 1, step: 2 });
    expect(readJson(join(stopped, 'results.json')).configurations.map((c: Json) => [c.name, c.status])).toEqual(
      [['iwae-k4', 'done'], ['piwae-m2-k2', 'partial'], ['miwae-m2-k2', 'pending'], ['ciwae-beta0.5-k4', 'pending'], ['vae-k4', 'pending']],
    );

    const resumed = await tiny(stopped);
    expect(resumed.interrupted).toBe(false);
    const uninterrupted = await tiny(straight);
    expect(uninterrupted.interrupted).toBe(false);
    for (const name of TINY_NAMES) {
      const [a, b] = [readJson(join(stopped, name, 'result.json')), readJson(join(straight, name, 'result.json'))];
      expect(a.testIwae.mean).toBe(b.testIwae.mean);
      expect(a.logPHat.mean).toBe(b.logPHat.mean);
      // The resumed epoch's training bound averages only the steps run after the resume, so it is compared where no stop fell.
      if (name === 'piwae-m2-k2') expect(a.trainBound.epoch).toBe(b.trainBound.epoch);
      else expect(a.trainBound).toEqual(b.trainBound);
    }
    expect(readFileSync(join(stopped, 'piwae-m2-k2', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('writes results.json with every configuration, its budget, machine, estimates and the published numbers', () => {
    const results = readJson(join(straight, 'results.json'));
    expect(results).toMatchObject({ experiment: 'rainforth-mnist', budget: 'tiny' });
    expect(results.reference).toMatch(/seed 002.*Table 1/);
    expect(results.configurations.map((c: Json) => [c.name, c.status])).toEqual(TINY_NAMES.map((n) => [n, 'done']));
    const [iwae, piwae, miwae, ciwae, vae] = results.configurations as Json[];
    expect(iwae).toMatchObject({ label: 'IWAE(4)', objective: 'iwae', k: 4, samples: 4, published: { iwae64: -84.64, logPHat: -84.64 } });
    expect(piwae).toMatchObject({ label: 'PIWAE(2,2)', objective: 'piwae', m: 2, k: 2, samples: 4, published: { iwae64: -84.72, logPHat: -84.9 } });
    expect(miwae).toMatchObject({ objective: 'miwae', m: 2, k: 2, published: { iwae64: -84.98, logPHat: -85.04 } });
    expect(ciwae).toMatchObject({ objective: 'ciwae', beta: 0.5, k: 4, published: { iwae64: -87.05, logPHat: -87 } });
    expect(vae).toMatchObject({ objective: 'vae', k: 4, published: { iwae64: -87.26, logPHat: -87.66 } });
    for (const e of results.configurations as Json[]) {
      expect(e).toMatchObject({ budget: 'tiny', epochs: 2, batchSize: 20, trainRows: 100, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } });
      expect(e.schedule).toEqual([{ stage: 0, epochs: 1, learningRate: 1e-3 }, { stage: 1, epochs: 1, learningRate: 1e-3 * 10 ** (-1 / 7) }]);
      expect(e.testIwae).toMatchObject({ k: 64, rows: 20, ofRows: 10000 });
      expect(e.logPHat).toMatchObject({ k: 200, rows: 10, ofRows: 10000 });
      expect(e.testIwae.mean).toBeLessThan(0);
      expect(e.testIwae.se).toBeGreaterThan(0);
      expect(Number.isFinite(e.trainBound.value)).toBe(true);
      expect(e.trainBound.epoch).toBe(2);
      expect(e.machine).toMatchObject({ backend: 'cpu' });
      expect(e.machine.cores).toBeGreaterThan(0);
      expect(e.wallSeconds.train).toBeGreaterThan(0);
    }
    const md = readFileSync(join(straight, 'results.md'), 'utf8');
    expect(md).toMatch(/\| PIWAE\(2,2\) \| 4 \| -84\.72 \|/);
    expect(md).toMatch(/\| VAE\(4\) \| 4 \| -87\.26 \|/);
  });

  it('skips finished configurations on a re-run', async () => {
    const file = join(straight, 'piwae-m2-k2', 'result.json');
    const before = statSync(file).mtimeMs;
    const again = await tiny(straight);
    expect(again.lines.filter((l) => l.includes('done earlier, skipped'))).toHaveLength(5);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('refuses to resume a run directory started with another plan', async () => {
    const other = join(root, 'other-plan');
    expect((await tiny(other, 3)).interrupted).toBe(true);
    await expect(runRainforthMnist({ budget: 'tiny', epochs: 3, out: other, dataDir, backend: 'cpu', interactive: false, write: () => {} })).rejects.toThrow(/^rainforth-mnist: .*iwae-k4\/plan\.json records another plan/);
  });
});
