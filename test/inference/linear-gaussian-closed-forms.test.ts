/**
 * The closed forms in test/helpers/linear-gaussian.ts check out against each
 * other before other tests trust them: the posterior formula against Gaussian
 * conditioning of the joint, log p(x) against the chain rule
 * log p(x) = log p(x | z) + log p(z) − log p(z | x) at arbitrary z, and the
 * two-level marginal against its top-down factorization. Pure float64.
 */
import { describe, expect, it } from 'vitest';
import {
  addVectors,
  cholesky,
  conditionOn,
  diag,
  diagonal,
  gaussianKl,
  gaussianLogPdf,
  identity,
  inverse,
  logDet,
  matMul,
  oneLevelJoint,
  oneLevelLogPx,
  oneLevelPosterior,
  ONE_LEVEL,
  TestRandom,
  transpose,
  twoLevelGuideJointAt,
  twoLevelJoint,
  twoLevelLogPx,
  twoLevelPosterior,
  twoLevelTopDownGuide,
  TWO_LEVEL,
  TWO_LEVEL_INDEX,
  vecMat,
  type Matrix,
} from '../helpers/linear-gaussian.js';

function expectMatrixClose(a: Matrix, b: Matrix, tol = 1e-9): void {
  a.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - b[i]![j]!)).toBeLessThanOrEqual(tol)));
}

const isotropic = (n: number, s: number) => ({ mean: new Array<number>(n).fill(0), cov: identity(n).map((r) => r.map((v) => v * s * s)) });

describe('linear-Gaussian closed forms (test helpers)', () => {
  const rng = new TestRandom(11);

  it('Cholesky, inverse and logdet agree on a random SPD matrix', () => {
    const m = rng.matrix(5, 5);
    const spd = matMul(m, transpose(m)).map((row, i) => row.map((v, j) => v + (i === j ? 0.5 : 0)));
    const l = cholesky(spd);
    expectMatrixClose(matMul(l, transpose(l)), spd);
    expectMatrixClose(matMul(spd, inverse(spd)), identity(5), 1e-9);
    const logDetL = l.reduce((s, row, i) => s + 2 * Math.log(row[i]!), 0);
    expect(logDet(spd)).toBeCloseTo(logDetL, 12);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/not positive definite/);
  });

  it('one level: the closed-form posterior equals conditioning the joint, and log p(x) obeys the chain rule', () => {
    const p = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6) };
    const x = rng.normals(6, 2);
    const closed = oneLevelPosterior(p, x);
    const conditioned = conditionOn(oneLevelJoint(p), [0, 1, 2, 3], [4, 5, 6, 7, 8, 9], x);
    closed.mean.forEach((m, i) => expect(m).toBeCloseTo(conditioned.mean[i]!, 10));
    expectMatrixClose(closed.cov, conditioned.cov);
    for (let t = 0; t < 3; t++) {
      const z = rng.normals(4);
      const likelihood = gaussianLogPdf(x, { mean: addVectors(vecMat(z, p.W), p.b), cov: isotropic(6, ONE_LEVEL.noise).cov });
      const prior = gaussianLogPdf(z, isotropic(4, 1));
      expect(likelihood + prior - gaussianLogPdf(z, closed)).toBeCloseTo(oneLevelLogPx(p, x), 9);
    }
  });

  it('two levels: log p(x) obeys the chain rule through both levels, and the exact top-down guide is the posterior', () => {
    const p = { A: rng.matrix(3, 5, 0.7), a: rng.normals(5, 0.3), W: rng.matrix(5, 6, 0.6), b: rng.normals(6, 0.3) };
    const x = rng.normals(6);
    const posterior = twoLevelPosterior(p, x);
    for (let t = 0; t < 3; t++) {
      const z2 = rng.normals(3);
      const z1 = rng.normals(5);
      const logJoint =
        gaussianLogPdf(z2, isotropic(3, 1)) +
        gaussianLogPdf(z1, { mean: addVectors(vecMat(z2, p.A), p.a), cov: isotropic(5, TWO_LEVEL.priorNoise).cov }) +
        gaussianLogPdf(x, { mean: addVectors(vecMat(z1, p.W), p.b), cov: isotropic(6, TWO_LEVEL.noise).cov });
      expect(logJoint - gaussianLogPdf([...z2, ...z1], posterior)).toBeCloseTo(twoLevelLogPx(p, x), 9);
    }
    // log p(x) from the joint's x block is the same marginal.
    const { x: xi } = TWO_LEVEL_INDEX;
    const joint = twoLevelJoint(p);
    expect(gaussianLogPdf(x, { mean: xi.map((i) => joint.mean[i]!), cov: xi.map((i) => xi.map((j) => joint.cov[i]![j]!)) })).toBeCloseTo(twoLevelLogPx(p, x), 10);
  });

  it("two levels: the mean-field top-down guide's joint has the posterior mean and the KL chain rule holds", () => {
    // q(z2 | x) and q(z1 | x, z2) have the exact conditional means and the
    // diagonals C2 = diag Cov(z2 | x), C1 = diag Cov(z1 | x, z2) (which does not
    // depend on z2). By the chain rule of KL, with equal conditional means,
    //   KL(q(z2, z1) ‖ p(z2, z1 | x)) = KL(N(0, diag C2) ‖ N(0, C2)) + KL(N(0, diag C1) ‖ N(0, C1)),
    // which checks how twoLevelGuideJointAt assembles the cross-level covariance.
    const p = { A: rng.matrix(3, 5, 0.5), a: rng.normals(5, 0.3), W: rng.matrix(5, 6, 0.5), b: rng.normals(6, 0.3) };
    const x = rng.normals(6);
    const q = twoLevelGuideJointAt(twoLevelTopDownGuide(p), x);
    const posterior = twoLevelPosterior(p, x);
    q.mean.forEach((m, i) => expect(m).toBeCloseTo(posterior.mean[i]!, 9));
    const { z2, z1, x: xi } = TWO_LEVEL_INDEX;
    const joint = twoLevelJoint(p);
    const c2 = conditionOn(joint, z2, xi, x).cov;
    const c1 = conditionOn(joint, z1, [...xi, ...z2], [...x, 0, 0, 0]).cov;
    const meanFieldGap = (c: Matrix) => gaussianKl({ mean: c.map(() => 0), cov: diag(diagonal(c)) }, { mean: c.map(() => 0), cov: c });
    expect(gaussianKl(q, posterior)).toBeCloseTo(meanFieldGap(c2) + meanFieldGap(c1), 9);
    expect(meanFieldGap(c2) + meanFieldGap(c1)).toBeGreaterThan(0);
  });
});
