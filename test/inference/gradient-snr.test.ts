/**
 * Gradient SNR (Rainforth et al. 2018, eq. 8; seed 002 eqs. 8-10) on the
 * scalar linear-Gaussian model (models/linear-gaussian-1d.ppl), against the
 * published scaling in K, seeded, with a stated tolerance of ±0.15 on the
 * fitted log-log exponents:
 *   - IWAE's model SNR rises like K^(+1/2);
 *   - IWAE's guide SNR falls like K^(−1/2);
 *   - DReG's guide SNR does not fall (Tucker et al. 2019: it rises like K^(+1/2)).
 * The exponents are asymptotic (K ≫ Var[w]/Z²), so the model's is measured with
 * a guide near the posterior; the guide's needs a guide off the posterior
 * (otherwise its true gradient, hence its SNR, is near zero) and a large
 * minibatch, so that its SNR stays well above the 1/√reps noise floor. Runs on
 * the native backend (wasm when the addon is not built): the cpu backend is
 * 10× slower at K·batch = 32k.
 * Also: the summaries on known cases, and `strata snr` writing its table, JSON and SVG.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradientSnrSweep } from '../../src/driver/gradient-snr-sweep.js';
import { logLogSlope } from '../../src/inference/diagnostics/gradient-snr.js';
import * as tf from '@tensorflow/tfjs';
import { estimatorGradients } from '../../src/inference/estimator-gradients.js';
import { compileModel, IwaeObjective, type StrataModel } from '../../src/index.js';
import { TestRandom } from '../helpers/linear-gaussian.js';
import { run } from '../cli/run-cli.js';
import { nativeBuilt } from '../native/helpers.js';

const MODEL = fileURLToPath(new URL('../../models/linear-gaussian-1d.ppl', import.meta.url));
const BACKEND = nativeBuilt ? 'native' : 'wasm';
const TOLERANCE = 0.15;
const [w, b] = [1.5, 0.4];

/** The model at (w, b) with the guide at the exact posterior shifted by `offset` in mean and `logScale` in log s. */
async function fixture(offset: number, logScale: number, backend = BACKEND): Promise<StrataModel> {
  const model = await compileModel(readFileSync(MODEL, 'utf8'), { backend, fileName: MODEL });
  const d = 1 + w * w;
  model.setParameters({ w: [w], b: [b], a: [w / d], c: [(-w * b) / d + offset], log_s: [-0.5 * Math.log(d) + logScale] });
  return model;
}

function rows(n: number, seed: number): number[][] {
  const r = new TestRandom(seed);
  return Array.from({ length: n }, () => r.normals(1, Math.SQRT2));
}

describe('SNR scaling on the scalar linear-Gaussian model', () => {
  it(`IWAE's model SNR rises like K^(1/2) (exponent within ±${TOLERANCE})`, async () => {
    const model = await fixture(0.1, 0.1);
    try {
      const sweep = await gradientSnrSweep(model, { x: rows(16, 1) }, { series: [{ objective: 'iwae', estimator: 'reparam' }], ks: [16, 64, 256, 1024], reps: 200, seed: 100 });
      const slope = sweep.slopes.find((s) => s.group === 'model')!.slope;
      expect(Math.abs(slope - 0.5), `model exponent ${slope}`).toBeLessThan(TOLERANCE);
    } finally {
      model.dispose();
    }
  });

  it(`IWAE's guide SNR falls like K^(−1/2) (±${TOLERANCE}) and DReG's does not fall`, async () => {
    const model = await fixture(0.5, 0.2);
    try {
      const ks = [4, 16, 64, 256];
      const sweep = await gradientSnrSweep(model, { x: rows(256, 2) }, { series: [{ objective: 'iwae', estimator: 'reparam' }, { objective: 'iwae', estimator: 'dreg' }], ks, reps: 200, seed: 200 });
      const slope = (series: string) => sweep.slopes.find((s) => s.series === series && s.group === 'guide')!.slope;
      expect(Math.abs(slope('iwae reparam') + 0.5), `IWAE guide exponent ${slope('iwae reparam')}`).toBeLessThan(TOLERANCE);
      expect(slope('iwae dreg'), 'DReG guide exponent').toBeGreaterThan(0);
      // Every measured IWAE guide SNR is well above the noise floor, so the fit is not of noise.
      for (const p of sweep.points.filter((q) => q.series === 'iwae reparam')) expect(p.guide.mean).toBeGreaterThan(2 * sweep.noiseFloor);
    } finally {
      model.dispose();
    }
  });
});

describe('SNR summaries on known cases', () => {
  it('logLogSlope recovers an exact power law and ignores unusable points', () => {
    expect(logLogSlope([1, 4, 16, 64].map((k) => [k, 3 * k ** -0.5] as const))).toBeCloseTo(-0.5, 12);
    expect(logLogSlope([[1, 2], [4, 0], [16, 8], [64, Number.NaN]])).toBeCloseTo(Math.log(4) / Math.log(16), 12);
    expect(logLogSlope([[1, 2]])).toBeNaN();
  });

  it('gradientSnr is |mean|/sd (n − 1) per coordinate over draws with seeds seed, seed + 1, ..., averaged per group', async () => {
    const model = await fixture(0.3, 0.1, 'cpu');
    const x = tf.tensor2d(rows(4, 3));
    try {
      const objective = new IwaeObjective({ k: 3 });
      const reps = 6;
      const draws = Array.from({ length: reps }, (_, r) => {
        const g = estimatorGradients(model.compiled, objective, { x }, { guide: 'q', seed: 40 + r });
        const out = Object.fromEntries([...g].map(([n, t]) => [n, t.dataSync()[0]!]));
        tf.dispose([...g.values()]);
        return out;
      });
      const snrOf = (name: string) => {
        const v = draws.map((d) => d[name]!);
        const mean = v.reduce((a, c) => a + c, 0) / reps;
        return Math.abs(mean) / Math.sqrt(v.reduce((a, c) => a + (c - mean) ** 2, 0) / (reps - 1));
      };
      const snr = await model.gradientSnr({ x: rows(4, 3) }, { objective: 'iwae', k: 3, reps, seed: 40 });
      expect(snr.model.mean).toBeCloseTo((snrOf('w') + snrOf('b')) / 2, 9);
      expect(snr.guide.mean).toBeCloseTo((snrOf('a') + snrOf('c') + snrOf('log_s')) / 3, 9);
      expect(snr.guide.median).toBeCloseTo([snrOf('a'), snrOf('c'), snrOf('log_s')].sort((p, q) => p - q)[1]!, 9);
      expect([snr.model.coordinates, snr.guide.coordinates, snr.guide.constant]).toEqual([2, 3, 0]);
      await expect(model.gradientSnr({ x: rows(4, 3) }, { reps: 1 })).rejects.toThrow(/reps must be an integer of at least 2/);
    } finally {
      x.dispose();
      model.dispose();
    }
  });
});

describe('strata snr', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'strata-snr-'));
    const x = join(tmp, 'x.f32');
    writeFileSync(x, Buffer.from(Float32Array.from(rows(64, 4).flat()).buffer));
    writeFileSync(`${x}.json`, JSON.stringify({ shape: [64, 1], dtype: 'float32' }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints a table and fitted exponents, writes the log-log SVG, and --json', async () => {
    const plot = join(tmp, 'snr.svg');
    const args = ['snr', MODEL, '--data', `file:${join(tmp, 'x.f32')}`, '--objective', 'iwae,miwae', '--m', '2', '--estimator', 'reparam,dreg', '--k', '1,4', '--reps', '5', '--batch', '8', '--backend', 'cpu', '--plot', plot];
    const text = await run(...args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('miwae m=2 dreg');
    expect(text.stdout).toMatch(/iwae reparam · guide: SNR ∝ K\^-?\d\.\d\d/);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*K \(samples per bound\)[\s\S]*<\/svg>\s*$/);
    const json = await run(...args, '--json');
    const parsed = JSON.parse(json.stdout) as { points: { series: string; k: number }[]; reps: number };
    expect(parsed.reps).toBe(5);
    expect(parsed.points.map((p) => `${p.series}@${p.k}`)).toEqual(['iwae reparam@1', 'iwae reparam@4', 'iwae dreg@1', 'iwae dreg@4', 'miwae m=2 reparam@1', 'miwae m=2 reparam@4', 'miwae m=2 dreg@1', 'miwae m=2 dreg@4']);
  });

  it('refuses an unknown objective or estimator with one line', async () => {
    const r = await run('snr', MODEL, '--objective', 'elbo');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("snr: unknown objective 'elbo'");
    const e = await run('snr', MODEL, '--estimator', 'score');
    expect(e.stderr).toContain("snr: unknown estimator 'score'");
  });
});
