/**
 * The thesis chapter 5 reproduction end to end at the tiny budget (seconds,
 * cpu backend): results.json's structure and finite numbers beside the
 * thesis's, a run stopped mid-training that resumes to the numbers of an
 * uninterrupted one, a re-run that skips what is done, and the data error.
 * Needs the Olshausen images and the Brodatz textures in ../shared/data
 * (skipped, saying so, without them).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGETS, describeBudget, THESIS_RECIPE } from '../../experiments/thesis-ch5/budgets.js';
import { PUBLISHED } from '../../experiments/thesis-ch5/published.js';
import { budgetFor, runThesisCh5, THESIS_CH5_PATHS } from '../../experiments/thesis-ch5/run.js';

const dataDir = resolve(__dirname, '../../../shared/data');
const haveData = THESIS_CH5_PATHS.every((p) => existsSync(join(dataDir, p)));
const root = mkdtempSync(join(tmpdir(), 'thesis-ch5-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Json { [key: string]: any }
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const NAMES = ['tdvae', 'tdiwae-k4'];

/** Runs the tiny budget into `out`, collecting its lines; `stopAfter`: stop once shouldStop has been polled that often. */
async function tiny(out: string, stopAfter?: number) {
  const lines: string[] = [];
  let polls = 0;
  const result = await runThesisCh5({
    budget: 'tiny', out, dataDir, backend: 'cpu', interactive: false, write: (l) => lines.push(l),
    ...(stopAfter === undefined ? {} : { shouldStop: () => ++polls > stopAfter }),
  });
  return { ...result, lines };
}

describe('thesis-ch5: budgets and data errors', () => {
  it('the full budget follows the thesis\'s recipe (sec. 5.1-5.2) for all five models', () => {
    const full = BUDGETS.full;
    expect(full.configurations.map((c) => [c.name, c.objective, c.k])).toEqual([['tdvae', 'vae', 1], ['tdiwae-k1', 'tdiwae', 1], ['tdiwae-k4', 'tdiwae', 4], ['tdiwae-k10', 'tdiwae', 10], ['tdiwae-k50', 'tdiwae', 50]]);
    expect(full).toMatchObject({ epochs: 5000, batchSize: 400, learningRate: 1e-4, anneal: { from: 0.1, epochs: 2500 }, trainPatches: 640000, testPatches: 64000, model: { z1: 450, z2: 20, hidden: 512 } });
    expect(describeBudget(full)).toMatch(/the thesis's 5,000 epochs of 640,000 whitened olshausen 20x20 patches, batch 400, Adam 1e-4/);
    expect(describeBudget(budgetFor('quick', 3))).toMatch(/3 of the thesis's 5,000 epochs .* over 3 epochs/);
    expect(THESIS_RECIPE.epochs).toBe(5000);
    // Table 5.5 + text of sec. 5.4: the thesis's own counts, as transcribed.
    expect(PUBLISHED.tdvae).toMatchObject({ activeZ1: 317, localizedFields: 269, nonLocalizedFields: 21, z2Accuracy: 0.779, z1Accuracy: 0.254 });
  });

  it('names the missing file and the directory it looked in', async () => {
    const empty = mkdtempSync(join(root, 'no-data-'));
    await expect(runThesisCh5({ budget: 'tiny', out: join(root, 'never'), dataDir: empty })).rejects.toThrow(
      new RegExp(`missing file ${empty}/natural_images/olshausen_whitened_10x512x512\\.f32 \\(looked in the data directory ${empty}, given by --data`),
    );
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

describe.skipIf(!haveData)(`thesis-ch5 at the tiny budget${haveData ? '' : ` (skipped: no ${THESIS_CH5_PATHS[0]} or ${THESIS_CH5_PATHS[2]} in ${dataDir})`}`, () => {
  const stopped = join(root, 'stopped');
  const straight = join(root, 'straight');

  it('stops mid-training with a checkpoint, and a re-run resumes it to the numbers of an uninterrupted run', async () => {
    // 300 patches, batches of 100: 3 steps an epoch. One poll before the configuration, then one per step: 5 polls stop after 4 steps.
    const first = await tiny(stopped, 5);
    expect(first.interrupted).toBe(true);
    expect(readJson(join(stopped, 'tdvae', 'run.json')).position).toEqual({ epoch: 1, step: 1 });
    expect(readJson(join(stopped, 'results.json')).configurations.map((c: Json) => [c.name, c.status])).toEqual([['tdvae', 'partial'], ['tdiwae-k4', 'pending']]);

    const resumed = await tiny(stopped);
    expect(resumed.interrupted).toBe(false);
    const uninterrupted = await tiny(straight);
    expect(uninterrupted.interrupted).toBe(false);
    for (const name of NAMES) {
      const [a, b] = [readJson(join(stopped, name, 'result.json')), readJson(join(straight, name, 'result.json'))];
      expect(a.testBound.natural.mean).toBe(b.testBound.natural.mean);
      expect(a.projectiveFields.concentration).toEqual(b.projectiveFields.concentration);
      expect(a.trainBound.epoch).toBe(2);
    }
    expect(readFileSync(join(stopped, 'tdvae', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('writes results.json with every configuration, its budget, machine, finite analyses and the thesis\'s numbers', () => {
    const results = readJson(join(straight, 'results.json'));
    expect(results).toMatchObject({ experiment: 'thesis-ch5', budget: 'tiny' });
    expect(results.claims.length).toBeGreaterThan(3);
    expect(results.configurations.map((c: Json) => [c.name, c.status])).toEqual([['tdvae', 'done'], ['tdiwae-k4', 'done']]);
    for (const c of results.configurations as Json[]) {
      expect(c).toMatchObject({ budget: 'tiny', epochs: 2, steps: 6, batchSize: 100, trainPatches: 300, model: { z1: 24, z2: 4, hidden: 16 }, anneal: { from: 0.1, epochs: 1 } });
      expect(c.published).toMatchObject({ ...PUBLISHED[c.name as keyof typeof PUBLISHED], chance: 0.2 });
      expect(c.machine.cores).toBeGreaterThan(0);
      expect(c.machine.backend).toBe('cpu');
      expect(c.wallSeconds.train).toBeGreaterThan(0);
      expect(c.wallSeconds.eval).toBeGreaterThan(0);
      expect(Number.isFinite(c.trainBound.value)).toBe(true);
      for (const set of ['natural', 'textures']) {
        expect(c.testBound[set]).toMatchObject({ k: 4, n: 100 });
        expect(Number.isFinite(c.testBound[set].mean) && c.testBound[set].mean < 0).toBe(true);
        expect(c.testBound[set].se).toBeGreaterThan(0);
      }
      expect(c.activeUnits.z1.units).toBe(24);
      expect(c.activeUnits.z2.units).toBe(4);
      const f = c.projectiveFields;
      expect(f.active).toBe(c.activeUnits.z1.active);
      expect(f.localized + f.nonLocalized).toBe(f.active);
      expect(f.fractionLocalized).toBeCloseTo(f.localized / f.active, 12);
      // A 7 x 7 window of a 20 x 20 field holds at least 49/400 of its energy, at most all of it.
      for (const q of ['min', 'q25', 'median', 'q75', 'max']) expect(f.concentration[q]).toBeGreaterThanOrEqual(49 / 400 - 1e-9);
      expect(f.concentration.max).toBeLessThanOrEqual(1);
      expect(f.concentration.min).toBeLessThanOrEqual(f.concentration.median);
      expect(existsSync(join(straight, c.name, f.png))).toBe(true);
      const r = c.correlations;
      expect(r).toMatchObject({ latent: 'z1', k: c.k, n: 50, patches: 2, units: c.activeUnits.z1.active });
      // The mean of the 5 strongest |r| is at least the mean of the 10 strongest, and both are in (0, 1].
      expect(r.top5.mean).toBeGreaterThanOrEqual(r.top10.mean);
      expect(r.top10.mean).toBeGreaterThan(0);
      expect(r.strongest.mean).toBeLessThanOrEqual(1);
      const d = c.textureDecoding;
      expect(d).toMatchObject({ chance: 0.2, trainRows: 150, testRows: 100, repeats: 1 });
      expect(d.classes).toHaveLength(5);
      for (const z of ['z1', 'z2']) {
        expect(d.latents[z].mean).toBeGreaterThanOrEqual(0);
        expect(d.latents[z].mean).toBeLessThanOrEqual(1);
      }
      expect(d.latents.z1.features).toBe(24);
      expect(c.skipped).toEqual({});
    }
    const md = readFileSync(join(straight, 'results.md'), 'utf8');
    for (const name of NAMES) expect(md).toMatch(new RegExp(`^\\| ${name} \\| 2 \\(6 steps\\) \\|`, 'm'));
  });

  it('skips finished configurations on a re-run', async () => {
    const again = await tiny(straight);
    expect(again.lines.filter((l) => /done earlier, skipped/.test(l))).toHaveLength(2);
    expect(readJson(join(straight, 'results.json')).configurations.every((c: Json) => c.status === 'done')).toBe(true);
  });
});
