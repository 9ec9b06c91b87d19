/**
 * The report on tiny trained runs: a small copy of models/tdvae.ppl (20 x 20
 * patches, Z1 = 24, Z2 = 4, H = 16) trained for 2 epochs on dead-leaves
 * patches with the VAE objective and with TD-IWAE (k = 3), on the cpu
 * backend. Each analysis function runs on the TD-IWAE run (the projective
 * fields against the decoder's weights, the closed form for a linear
 * decoder); then `strata report` on both runs must write an index.html with
 * every section, decodable non-blank PNGs and a report.json with every
 * section's numbers. The texture analyses need the Brodatz data
 * (../shared/data or $STRATA_DATA); without it they are skipped and the
 * report must say why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { findDataDir } from '../../src/data/data-dir.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import type { LoadedDataset } from '../../src/data/load-dataset.js';
import { openRun, type OpenedRun } from '../../src/driver/open-run.js';
import { loadRunData } from '../../src/driver/run-data.js';
import { readMetrics, runTraining, type TrainRunOptions } from '../../src/driver/training-run.js';
import { latentScatter } from '../../src/report/analyses/latent-scatter.js';
import { posteriorActivity } from '../../src/report/analyses/posterior-activity.js';
import { posteriorCorrelations } from '../../src/report/analyses/posterior-correlations.js';
import { projectiveFields } from '../../src/report/analyses/projective-fields.js';
import { testBounds } from '../../src/report/analyses/test-bounds.js';
import { textureDecoding } from '../../src/report/analyses/texture-decoding.js';
import { trainingCurves } from '../../src/report/analyses/training-curves.js';
import { posteriorParams } from '../../src/report/model/posterior-params.js';
import { SECTION_IDS } from '../../src/report/run-results.js';
import { TEXTURE_FILES } from '../../src/data/textures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const Z1 = 24;
const Z2 = 4;

/** models/tdvae.ppl with small latents and hidden layers. */
const TINY_TDVAE = readFileSync(join(ROOT, 'models', 'tdvae.ppl'), 'utf8').replace(/^Z1 = 450/m, `Z1 = ${Z1}`).replace(/^Z2 = 20/m, `Z2 = ${Z2}`).replace(/^H = 512/m, 'H = 16');

const dataDir = findDataDir({}).dir;
const HAS_TEXTURES = dataDir !== undefined && existsSync(join(dataDir, TEXTURE_FILES.brodatz));
const NO_TEXTURES_NOTE = 'the Brodatz texture data is absent (../shared/data or $STRATA_DATA): texture sections are checked to be skipped with a reason';

let tmp = '';
const runs = { vae: '', tdiwae: '' };

function trainOptions(out: string, objective: 'vae' | 'tdiwae', k: number, model: string): TrainRunOptions {
  return {
    modelPath: model, out, data: { spec: 'natural:deadleaves', seed: 3, train: 300, test: 100 }, objective, k, estimator: 'reparam',
    epochs: 2, batchSize: 100, learningRate: 3e-3, seed: 5, backend: 'cpu', checkpointEvery: 2, resume: false,
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-report-'));
  const model = join(tmp, 'tiny-tdvae.ppl');
  writeFileSync(model, TINY_TDVAE);
  runs.vae = join(tmp, 'vae');
  runs.tdiwae = join(tmp, 'tdiwae');
  await runTraining(trainOptions(runs.vae, 'vae', 1, model));
  await runTraining(trainOptions(runs.tdiwae, 'tdiwae', 3, model));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('report analyses on a tiny TD-IWAE run', () => {
  let run: OpenedRun;
  let natural: LoadedDataset;
  beforeAll(async () => {
    run = await openRun(runs.tdiwae, { backend: 'cpu' });
    natural = await loadRunData({ ...run.data, test: 60 });
  });
  afterAll(() => run.model.dispose());

  it('reads the training curves of metrics.jsonl', async () => {
    const curves = trainingCurves(await readMetrics(runs.tdiwae));
    expect(curves.epochs).toEqual([1, 2]);
    expect(Object.keys(curves.terms)).toEqual(['z2', 'z1']);
    expect(curves.observed['x']).toHaveLength(2);
    expect(curves.bound.every(Number.isFinite)).toBe(true);
  });

  it('evaluates the test bound and its terms with standard errors, keeping no tensors', async () => {
    const before = tf.memory().numTensors;
    const bounds = await testBounds(run.model, { natural: natural.test }, { k: 2, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const b = bounds['natural']!;
    expect(b.bound.n).toBe(60);
    expect(Object.keys(b.terms).sort()).toEqual(['log p(x|·)', 'z1: log p - log q', 'z2: log p - log q']);
    expect(b.bound.se).toBeGreaterThan(0);
    // 400 standardized pixels under a Normal(·, 0.4) likelihood: a briefly trained model is far below 0 nats.
    expect(b.bound.mean).toBeLessThan(0);
  });

  it('measures posterior activity from the guide parameters (variance of the mean > 0.01)', async () => {
    const before = tf.memory().numTensors;
    const params = await posteriorParams(run.model, natural.test, { batchSize: 25 });
    expect(tf.memory().numTensors).toBe(before);
    expect(params.map((p) => [p.name, p.n, p.d])).toEqual([['z2', 60, Z2], ['z1', 60, Z1]]);
    expect(params.every((p) => p.scale!.every((s) => s > 0))).toBe(true);
    const activity = posteriorActivity(params);
    const z1 = activity[1]!;
    const column = Array.from({ length: 60 }, (_, i) => params[1]!.loc[i * Z1 + 3]!);
    const mean = column.reduce((a, b) => a + b, 0) / 60;
    const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / 59;
    expect(z1.locVariance[3]).toBeCloseTo(variance, 6);
    expect(z1.active).toEqual(Array.from({ length: Z1 }, (_, j) => j).filter((j) => z1.locVariance[j]! > 0.01));
  });

  it('computes projective fields as 2c·W[j] for the linear decoder, sorted by activity', async () => {
    const params = await posteriorParams(run.model, natural.test);
    const activity = posteriorActivity(params)[1]!;
    const fields = await projectiveFields(run.model, activity, [20, 20], { c: 2 });
    const W = run.model.getParameters()['decoder.weight']!;
    expect(W.shape).toEqual([Z1, 400]);
    for (const j of [0, 7, Z1 - 1]) {
      for (let p = 0; p < 400; p += 37) expect(fields.fields[j * 400 + p]).toBeCloseTo(4 * W.values[j * 400 + p]!, 4);
    }
    expect(fields.order).toEqual([...activity.active].sort((a, b) => activity.locVariance[b]! - activity.locVariance[a]!));
    expect([...fields.localized, ...fields.nonLocalized].sort((a, b) => a - b)).toEqual([...activity.active].sort((a, b) => a - b));
    expect(fields.concentration.every((c) => c > 0 && c <= 1)).toBe(true);
  });

  it('estimates SIR posterior correlations on the highest-contrast patches', async () => {
    const before = tf.memory().numTensors;
    const c = await posteriorCorrelations(run.model, natural.test, 'z1', { k: 3, n: 40, patches: 2, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(c.patches).toHaveLength(2);
    expect(c.patches[0]!.contrast).toBeGreaterThanOrEqual(c.patches[1]!.contrast);
    const m = c.example.matrix;
    for (let i = 0; i < Z1; i++) {
      expect(m[i * Z1 + i]).toBe(1);
      for (let j = 0; j < i; j++) expect(m[i * Z1 + j]).toBe(m[j * Z1 + i]);
    }
    const top = c.patches[0]!.top.map((p) => Math.abs(p.r));
    expect(top).toEqual([...top].sort((a, b) => b - a));
    expect(c.rank).toHaveLength(10);
    expect(c.top5.mean).toBeGreaterThanOrEqual(c.top10.mean);
    expect(c.example.pair!.x).toHaveLength(40);
  });

  it.skipIf(!HAS_TEXTURES)('decodes texture classes, selects dimensions and picks the scatter dimensions', async () => {
    const textures = await loadDataset('textures:brodatz', { seed: 0, train: 100, test: 50 });
    const train = await posteriorParams(run.model, textures.train);
    const test = await posteriorParams(run.model, textures.test);
    const d = textureDecoding(train, test, textures.labels!, textures.classes!, { repeats: 2, seed: 0, maxSelected: 3, subsets: [{ name: 'z1 first half', latent: 'z1', dims: [0, 1, 2, 3] }] });
    expect(d.chance).toBeCloseTo(1 / 5, 12);
    for (const s of [d.latents['z2']!, d.latents['z1']!, d.subsets['z1 first half']!]) {
      expect(s.accuracy.values).toHaveLength(2);
      expect(s.accuracy.mean).toBeGreaterThanOrEqual(0);
      expect(s.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2 * 50);
    }
    expect(d.selection!.latent).toBe('z2');
    expect(d.selection!.steps.length).toBe(3);
    const scatter = latentScatter(test[0]!, textures.labels!.test);
    const [a, b] = scatter.dims;
    expect(scatter.posteriorVariance[a]).toBeLessThanOrEqual(scatter.posteriorVariance[b]!);
    expect(Math.min(...scatter.posteriorVariance)).toBe(scatter.posteriorVariance[a]);
    expect(scatter.points).toHaveLength(50);
  });
});

/** Every `data:image/png;base64,...` in the page, decoded. */
function embeddedPngs(html: string): PNG[] {
  return [...html.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => PNG.sync.read(Buffer.from(m[1]!, 'base64')));
}

/** More than one distinct colour among the pixels. */
function notBlank(png: PNG): boolean {
  const first = png.data.readUInt32BE(0);
  for (let i = 4; i < png.data.length; i += 4) if (png.data.readUInt32BE(i) !== first) return true;
  return false;
}

describe('strata report', () => {
  it(`writes index.html with every section and report.json with every section's numbers${HAS_TEXTURES ? '' : ` (${NO_TEXTURES_NOTE})`}`, async () => {
    const out = join(tmp, 'report');
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['report', runs.vae, runs.tdiwae, '--out', out, '--count', '60', '--texture-train', '100', '--eval-k', '2', '--sir-n', '40', '--patches', '2', '--repeats', '2', '--select', '3', '--backend', 'cpu'],
      { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) },
    );
    expect(stderr).not.toMatch(/strata: /);
    expect(code).toBe(0);
    expect(stdout).toContain(join(out, 'index.html'));
    expect(stderr).toMatch(/\[tdiwae\] SIR correlations of z1 \(k = 3, n = 40\): done/);

    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const id of SECTION_IDS) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const pngs = embeddedPngs(html);
    expect(pngs.length).toBeGreaterThanOrEqual(4); // fields and examples per run, the patches, the field pairs
    for (const png of pngs) expect(notBlank(png)).toBe(true);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(15);

    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { runs: { name: string }[]; sections: Record<string, { runs: Record<string, any>; skipped?: Record<string, string> }> };
    expect(json.runs.map((r) => r.name)).toEqual(['vae', 'tdiwae']);
    const s = json.sections;
    expect(Object.keys(s)).toEqual([...SECTION_IDS]);
    for (const name of ['vae', 'tdiwae']) {
      expect(s['training-curves']!.runs[name].bound).toHaveLength(2);
      expect(s['test-bounds']!.runs[name].natural.bound.n).toBe(60);
      expect(s['posterior-activity']!.runs[name].z1.locStd).toHaveLength(Z1);
      expect(typeof s['posterior-activity']!.runs[name].z2.activeCount).toBe('number');
      const fields = s['projective-fields']!.runs[name];
      expect(fields.localizedCount + fields.nonLocalizedCount).toBe(fields.active);
      expect(existsSync(join(out, fields.fieldsFile))).toBe(true);
      const corr = s['posterior-correlations']!.runs[name];
      expect(corr.patches).toHaveLength(2);
      expect(corr.k).toBe(name === 'vae' ? 1 : 3);
      expect(corr.top5.mean).toBeGreaterThan(0);
      if (HAS_TEXTURES) {
        expect(s['test-bounds']!.runs[name].textures.bound.n).toBe(60);
        const decoding = s['texture-decoding']!.runs[name];
        expect(decoding.classes).toHaveLength(5);
        expect(decoding.latents.z2.accuracies).toHaveLength(2);
        expect(decoding.selection.steps).toHaveLength(3);
        expect(s['latent-scatter']!.runs[name].points).toHaveLength(60);
      } else {
        expect(s['texture-decoding']!.skipped![name]).toMatch(/texture data 'textures:brodatz' could not be loaded/);
        expect(html).toContain('Not shown — vae: texture data');
      }
    }
  });

  it('says why the texture sections are empty when the texture data is missing or left out', async () => {
    const empty = join(tmp, 'empty-data');
    mkdirSync(empty);
    for (const [flag, reason] of [[['--data-dir', empty], /texture data 'textures:brodatz' could not be loaded: .*empty-data/], [['--textures', 'none'], /textures were left out \(--textures none\)/]] as const) {
      const out = join(tmp, `report-${flag[0]!.slice(2)}`);
      let stdout = '';
      const code = await main(['report', runs.tdiwae, '--out', out, '--count', '20', '--eval-k', '1', '--sir-n', '10', '--patches', '1', '--backend', 'cpu', ...flag], { stdout: (s) => void (stdout += s), stderr: () => {} });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^left out:$/m);
      expect(stdout).toMatch(new RegExp(`^  tdiwae texture-decoding: ${reason.source}`, 'm'));
      const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { sections: Record<string, { runs: Record<string, unknown>; skipped?: Record<string, string> }> };
      expect(json.sections['texture-decoding']!.skipped!['tdiwae']).toMatch(reason);
      expect(json.sections['latent-scatter']!.runs).toEqual({});
      expect(Object.keys(json.sections['test-bounds']!.runs['tdiwae'] as object)).toEqual(['natural']);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Not shown — tdiwae: ');
    }
  });

  it('rejects a run directory without a checkpoint in one line', async () => {
    let stderr = '';
    const code = await main(['report', join(tmp, 'nothing'), '--out', join(tmp, 'r2')], { stdout: () => {}, stderr: (s) => void (stderr += s) });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^strata: [^\n]*nothing[^\n]*\n$/);
  });
});
