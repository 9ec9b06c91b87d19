/**
 * Active units (Burda et al. 2016's A_u = Cov_x(E_q[u]) > 1e-2) on cases
 * whose answer is known in closed form, and the paper's schedule.
 */
import { describe, expect, it } from 'vitest';
import { bundledModel, loadModel } from '../../src/index.js';
import { activeUnits, posteriorMeans } from '../../experiments/burda-mnist/active-units.js';
import { BURDA_EPOCHS, learningRateAt, schedulePrefix } from '../../experiments/burda-mnist/schedule.js';

describe('activeUnits', () => {
  it('counts the columns whose variance over rows exceeds 1e-2', () => {
    // Columns: constant (A = 0), ±0.2 (A = 0.04, active), ±0.05 (A = 0.0025), ±0.5 around 3 (A = 0.25, active).
    const rows = [
      [1, 0.2, 0.05, 3.5],
      [1, -0.2, -0.05, 2.5],
      [1, 0.2, 0.05, 3.5],
      [1, -0.2, -0.05, 2.5],
    ];
    const a = activeUnits(Float32Array.from(rows.flat()), 4, 4);
    expect(a.active).toBe(2);
    expect(a.units).toBe(4);
    [0, 0.04, 0.0025, 0.25].forEach((v, j) => expect(a.activity[j]).toBeCloseTo(v, 6));
  });

  it('refuses means of the wrong length', () => {
    expect(() => activeUnits(new Float32Array(5), 2, 3)).toThrow(/expected n \* d = 2 \* 3/);
  });

  it('finds the active units of a guide whose posterior mean is known: E_q[z | x] = x W', async () => {
    // linear-gaussian's guide: z ~ Normal(encoder(x), exp(s)); with W = [I_4; 0] and no bias, E_q[z_j | x] = x_j.
    const model = await loadModel(bundledModel('linear-gaussian'), { backend: 'cpu' });
    try {
      const weight = new Float32Array(6 * 4);
      for (let j = 0; j < 4; j++) weight[j * 4 + j] = 1;
      model.setParameters({ 'encoder.weight': weight, 'encoder.bias': new Float32Array(4) });
      // x_0 = ±1 (A = 1), x_1 = 0, x_2 = ±0.05 (A = 0.0025), x_3 = ±0.5 (A = 0.25); x_4, x_5 do not reach z.
      const rows = [1, 0, 0.05, 0.5, 9, 9, -1, 0, -0.05, -0.5, -9, 9];
      const means = await posteriorMeans(model, { values: Float32Array.from(rows), rows: 2, cols: 6 }, { samples: 3, seed: 0 });
      const z = means.get('z')!;
      // The mean of 3 equal float32 locations, up to float32 rounding.
      rows.filter((_, i) => i % 6 < 4).forEach((v, i) => expect(z.means[i]).toBeCloseTo(v, 6));
      expect(activeUnits(z.means, 2, z.d).active).toBe(2);
    } finally {
      model.dispose();
    }
  });
});

describe('the schedule of Burda et al. (3^i epochs at 1e-3 · 10^(-i/7))', () => {
  it('has 3280 epochs, 1e-3 first and 1e-4 last', () => {
    expect(BURDA_EPOCHS).toBe(3280);
    expect(learningRateAt(0)).toBe(1e-3);
    for (const e of [1, 2, 3]) expect(learningRateAt(e)).toBeCloseTo(1e-3 * 10 ** (-1 / 7), 15);
    expect(learningRateAt(4)).toBeCloseTo(1e-3 * 10 ** (-2 / 7), 15);
    expect(learningRateAt(3279)).toBeCloseTo(1e-4, 15);
    expect(() => learningRateAt(3280)).toThrow(/past the schedule/);
  });

  it('cuts a prefix into stages', () => {
    expect(schedulePrefix(5).map((s) => [s.stage, s.epochs])).toEqual([[0, 1], [1, 3], [2, 1]]);
  });
});
