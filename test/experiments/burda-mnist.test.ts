/**
 * The Burda et al. MNIST reproduction end to end at the tiny budget (seconds):
 * results.json's structure, a run stopped mid-epoch that resumes to the same
 * numbers as an uninterrupted one, and a re-run that skips what is done.
 * Needs MNIST in ../shared/data/mnist (skipped, saying so, without it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MNIST_PATHS } from '../../experiments/burda-mnist/data.js';
import { budgetFor, runBurdaMnist } from '../../experiments/burda-mnist/run.js';
import { describeBudget } from '../../experiments/burda-mnist/budgets.js';

const dataDir = resolve(__dirname, '../../../shared/data');
const haveMnist = MNIST_PATHS.every((p) => existsSync(join(dataDir, p)));
const root = mkdtempSync(join(tmpdir(), 'burda-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Json { [key: string]: any }
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** Runs the tiny budget into `out`, collecting its lines; `stopAfter`: stop once shouldStop has been polled that often. */
async function tiny(out: string, stopAfter?: number) {
  const lines: string[] = [];
  let polls = 0;
  const result = await runBurdaMnist({
    budget: 'tiny', out, dataDir, backend: 'cpu', interactive: false, write: (l) => lines.push(l),
    ...(stopAfter === undefined ? {} : { shouldStop: () => ++polls > stopAfter }),
  });
  return { ...result, lines };
}

describe('burda-mnist: budgets and data errors', () => {
  it('overrides a budget\'s epochs with a prefix of the schedule, described as such', () => {
    expect(describeBudget(budgetFor('quick', 13))).toMatch(/the first 13 of the paper's 3,280 epochs \(1 at 1\.0e-3, 3 at 7\.2e-4, 9 at 5\.2e-4\)/);
    expect(describeBudget(budgetFor('full'))).toMatch(/the paper's 3,280 epochs .* all 10,000 test images/);
    expect(() => budgetFor('quick', 3281)).toThrow(/--epochs must be an integer from 1 to 3280/);
  });

  it('names the missing file and the directory it looked in', async () => {
    const empty = mkdtempSync(join(root, 'no-data-'));
    await expect(runBurdaMnist({ budget: 'tiny', out: join(root, 'never'), dataDir: empty })).rejects.toThrow(
      new RegExp(`missing file ${empty}/mnist/train-images-idx3-ubyte\\.gz \\(looked in the data directory ${empty}, given by --data`),
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe.skipIf(!haveMnist)(`burda-mnist at the tiny budget${haveMnist ? '' : ` (skipped: no MNIST in ${dataDir}/mnist)`}`, () => {
  const stopped = join(root, 'stopped');
  const straight = join(root, 'straight');

  it('stops mid-epoch with a checkpoint, and a re-run resumes it to the numbers of an uninterrupted run', async () => {
    // 200 rows, batches of 20: 10 steps an epoch. shouldStop is polled once before each configuration and
    // once before each step: 16 polls are 15 steps of the first configuration (epoch 2, step 5).
    const first = await tiny(stopped, 16);
    expect(first.interrupted).toBe(true);
    const run = readJson(join(stopped, '1layer-vae-k1', 'run.json'));
    expect(run.position).toEqual({ epoch: 1, step: 5 });
    expect(readJson(join(stopped, 'results.json')).configurations.map((c: Json) => [c.name, c.status])).toEqual([['1layer-vae-k1', 'partial'], ['1layer-iwae-k5', 'pending']]);

    const resumed = await tiny(stopped);
    expect(resumed.interrupted).toBe(false);
    const uninterrupted = await tiny(straight);
    for (const name of ['1layer-vae-k1', '1layer-iwae-k5']) {
      const [a, b] = [readJson(join(stopped, name, 'result.json')), readJson(join(straight, name, 'result.json'))];
      expect(a.testNll.mean).toBe(b.testNll.mean);
      expect(a.trainBound.epoch).toBe(2);
    }
    expect(readFileSync(join(stopped, '1layer-vae-k1', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('writes results.json with every configuration, its budget, machine, estimates and the published numbers', () => {
    const results = readJson(join(straight, 'results.json'));
    expect(results).toMatchObject({ experiment: 'burda-mnist', budget: 'tiny' });
    expect(results.configurations.map((c: Json) => [c.name, c.status])).toEqual([['1layer-vae-k1', 'done'], ['1layer-iwae-k1', 'same-as'], ['1layer-iwae-k5', 'done']]);
    const [vae, iwae1, iwae5] = results.configurations as Json[];
    expect(vae).toMatchObject({ arch: '1layer', objective: 'vae', k: 1, budget: 'tiny', epochs: 2, batchSize: 20, trainRows: 200, adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-4 }, published: { testNll: 86.76 } });
    expect(vae!.schedule).toEqual([{ stage: 0, epochs: 1, learningRate: 1e-3 }, { stage: 1, epochs: 1, learningRate: 1e-3 * 10 ** (-1 / 7) }]);
    expect(vae!.testNll).toMatchObject({ k: 50, rows: 40, ofRows: 10000 });
    expect(vae!.testNll.mean).toBeGreaterThan(0);
    expect(vae!.testNll.se).toBeGreaterThan(0);
    expect(Number.isFinite(vae!.trainBound.value)).toBe(true);
    expect(vae!.activeUnits.z).toMatchObject({ units: 50, threshold: 0.01 });
    expect(vae!.machine).toMatchObject({ backend: 'cpu' });
    expect(vae!.machine.cores).toBeGreaterThan(0);
    expect(typeof vae!.machine.cpu).toBe('string');
    expect(vae!.wallSeconds.train).toBeGreaterThan(0);
    expect(iwae1).toMatchObject({ objective: 'iwae', k: 1, sameAs: '1layer-vae-k1', testNll: vae!.testNll, published: { testNll: 86.76 } });
    expect(iwae5).toMatchObject({ objective: 'iwae', k: 5, published: { testNll: 85.54 } });
    expect(readFileSync(join(straight, 'results.md'), 'utf8')).toMatch(/\| 1 \| IWAE \| 5 \| 85\.54 \|/);
  });

  it('skips finished configurations on a re-run', async () => {
    const file = join(straight, '1layer-iwae-k5', 'result.json');
    const before = statSync(file).mtimeMs;
    const again = await tiny(straight);
    expect(again.lines.filter((l) => l.includes('done earlier, skipped'))).toHaveLength(2);
    expect(statSync(file).mtimeMs).toBe(before);
  });
});
