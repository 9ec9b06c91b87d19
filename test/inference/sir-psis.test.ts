/**
 * PSIS k̂ next to the ESS in `model.sample` (SIR): fitted to the pooled
 * weights of all n·k particles per data point. On the one-level
 * linear-Gaussian model (orthogonal decoder rows, so the mean-field guide can
 * be exact): with a guide a little wider than the exact posterior (1.2×) the
 * weights are bounded and k̂ is small (with the exact one every weight is p(x)
 * up to rounding and no tail can be fitted); with a guide 0.4× too narrow the weights have a heavy right tail
 * and k̂ exceeds the threshold (0.7 for S = 20000), as Vehtari et al. predict
 * for a proposal narrower than the target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrataModel } from '../../src/index.js';
import { froundMatrix, identity, matMul, oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, TestRandom } from '../helpers/linear-gaussian.js';
import { loadOneLevel } from '../helpers/models.js';

function householder(v: readonly number[]) {
  const n2 = v.reduce((s, x) => s + x * x, 0);
  return identity(v.length).map((row, i) => row.map((e, j) => e - (2 * v[i]! * v[j]!) / n2));
}

const q = matMul(householder([0.3, -0.5, 0.8, 0.1, -0.2, 0.4]), householder([0.6, 0.1, -0.3, 0.7, 0.2, -0.1]));
const params = { W: froundMatrix([1.2, 0.8, 1.6, 0.5].map((s, i) => q[i]!.map((x) => s * x))), b: [0.1, -0.2, 0.3, 0, 0.2, -0.1] };
const rows = Array.from({ length: 3 }, () => new TestRandom(9).normals(6, 1.5));

describe('PSIS k̂ in SIR', () => {
  let model: StrataModel;
  beforeAll(async () => {
    model = await loadOneLevel();
  });
  afterAll(() => model.dispose());

  it('is small for a near-exact guide and above the threshold for a guide far too narrow', async () => {
    model.setParameters({ ...oneLevelModelParameters(params), ...oneLevelGuideParameters(oneLevelMeanFieldGuide(params, 1.2)) });
    const exact = await model.sample(rows, { k: 100, n: 200, seed: 1 });
    expect(exact.psisSamples).toBe(20_000);
    expect(exact.psisThreshold).toBeCloseTo(0.7, 12);
    for (const k of exact.psisK) expect(k).toBeLessThan(0.3);
    model.setParameters(oneLevelGuideParameters(oneLevelMeanFieldGuide(params, 0.4)));
    const narrow = await model.sample(rows, { k: 100, n: 200, seed: 1 });
    for (const k of narrow.psisK) expect(k).toBeGreaterThan(0.7);
    for (const e of narrow.ess) expect(e).toBeLessThan(exact.ess[0]!);
  });

  it('pools at most n·k weights per data point', async () => {
    const few = await model.sample(rows, { k: 5, n: 7, seed: 2 });
    expect(few.psisSamples).toBe(35);
    expect(few.psisK).toHaveLength(3);
    const tiny = await model.sample(rows, { k: 2, n: 2, seed: 2 });
    expect([...tiny.psisK].every(Number.isNaN)).toBe(true);
  });
});
