/**
 * The checker on the distribution families' constraints: which parameters
 * must be provably positive (PPL2008), the support a guide must keep each
 * latent in (PPL2030), and the positivity a latent takes from its family.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkSource } from '../../src/frontend/check.js';
import { DISTRIBUTION_PARAMETERS, DISTRIBUTION_SUPPORT, POSITIVE_PARAMETERS, supportWithin, type DistributionFamily } from '../../src/ir/ir.js';

const errorsOf = (source: string): Diagnostic[] => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

/** Data x: real[3] observed with `family(args)`. */
const observed = (distribution: string) => `data x: real[3]\nmodel {\n  x ~ ${distribution}\n}\n`;

/** A latent z: real[3] with model family `prior` and guide family `posterior`, observed through x ~ Normal(z, 1). */
const latent = (prior: string, posterior: string, use = 'Normal(z, 1)') =>
  `data x: real[3]\nmodel {\n  z: real[3] ~ ${prior}\n  x ~ ${use}\n}\nguide q {\n  z ~ ${posterior}\n}\n`;

/** Valid arguments for every family, each parameter by name (all positive). */
const VALID: Record<DistributionFamily, string> = {
  Normal: 'Normal(loc: 0, scale: 1)',
  Laplace: 'Laplace(loc: 0, scale: 1)',
  StudentT: 'StudentT(df: 3, loc: 0, scale: 1)',
  LogNormal: 'LogNormal(loc: 0, scale: 1)',
  Gamma: 'Gamma(concentration: 2, rate: 1)',
  Beta: 'Beta(a: 2, b: 3)',
  Exponential: 'Exponential(rate: 1)',
  Bernoulli: 'Bernoulli(logits: 0)',
  Categorical: 'Categorical(logits: w)',
  OneHotCategorical: 'OneHotCategorical(logits: 0)',
  MixtureNormal: 'MixtureNormal(logits: w[0:1], locs: w, scales: 1)', // vector parameters, and never a guide: see mixture-normal.test.ts
};
const REAL_FAMILIES = (Object.keys(VALID) as DistributionFamily[]).filter((f) => !['Bernoulli', 'Categorical', 'OneHotCategorical', 'MixtureNormal'].includes(f));

describe('positive parameters (PPL2008)', () => {
  it('lists the same parameters in the IR tables', () => {
    for (const family of Object.keys(DISTRIBUTION_PARAMETERS) as DistributionFamily[]) {
      expect(POSITIVE_PARAMETERS[family].every((p) => DISTRIBUTION_PARAMETERS[family].includes(p)), family).toBe(true);
    }
  });

  it.each(REAL_FAMILIES.flatMap((family) => POSITIVE_PARAMETERS[family].map((p) => [family, p] as const)))(
    '%s: a constant %s of 0 or below is a located error naming the parameter and its value',
    (family, parameter) => {
      for (const bad of ['0', '-2']) {
        const source = observed(VALID[family].replace(new RegExp(`${parameter}: [0-9.]+`), `${parameter}: ${bad}`));
        const errors = errorsOf(source);
        expect(errors.map((d) => d.code)).toEqual(['PPL2008']);
        expect(errors[0]!.message).toBe(`${parameter} must be positive, but it is ${Number(bad)}`);
        expect(source.slice(errors[0]!.span.start.offset, errors[0]!.span.end.offset)).toBe(bad);
      }
    },
  );

  it.each(REAL_FAMILIES.flatMap((family) => POSITIVE_PARAMETERS[family].map((p) => [family, p] as const)))(
    '%s: %s from a raw parameter is not provably positive, exp(...) of it is',
    (family, parameter) => {
      const withParam = (value: string) =>
        `data x: real[3]\nmodel {\n  param w: real[3]\n  x ~ ${VALID[family].replace(new RegExp(`${parameter}: [0-9.]+`), `${parameter}: ${value}`)}\n}\n`;
      expect(errorsOf(withParam('w')).map((d) => `${d.code} ${d.message}`)).toEqual([`PPL2008 ${parameter} is not provably positive`]);
      expect(errorsOf(withParam('exp(w)'))).toEqual([]);
    },
  );

  it('leaves locations and logits unconstrained', () => {
    expect(errorsOf(observed('StudentT(3, -5, 1)'))).toEqual([]);
    expect(errorsOf(observed('LogNormal(-5, 1)'))).toEqual([]);
  });
});

describe('latents of positive families are positive', () => {
  it.each(['LogNormal(0, 1)', 'Gamma(2, 2)', 'Exponential(1)', 'Beta(2, 2)'])('a %s latent can be a scale, in the model and in the guide', (prior) => {
    const source = `data x: real[3]\nmodel {\n  s: real[3] ~ ${prior}\n  x ~ Normal(0, s)\n}\nguide q {\n  s ~ ${prior}\n  t = 1 / sqrt(s)\n}\n`;
    expect(errorsOf(source)).toEqual([]);
  });

  it('a Normal or StudentT latent cannot', () => {
    for (const prior of ['Normal(0, 1)', 'StudentT(3, 0, 1)']) {
      expect(errorsOf(`data x: real[3]\nmodel {\n  s: real[3] ~ ${prior}\n  x ~ Normal(0, s)\n}\nguide q {\n  s ~ ${prior}\n}\n`).map((d) => d.code)).toEqual(['PPL2008']);
    }
  });
});

describe('guide support within the model support (PPL2030)', () => {
  const realPairs = REAL_FAMILIES.flatMap((prior) => REAL_FAMILIES.map((posterior) => [prior, posterior] as const));

  it.each(realPairs)('model %s, guide %s: an error exactly when the guide can leave the model\'s support', (prior, posterior) => {
    const errors = errorsOf(latent(VALID[prior], VALID[posterior]));
    const within = supportWithin(DISTRIBUTION_SUPPORT[posterior], DISTRIBUTION_SUPPORT[prior]);
    expect(errors.map((d) => d.code)).toEqual(within ? [] : ['PPL2030']);
  });

  it('names the guide, the latent, both families and both supports, at the guide family, with the families that fit as the hint', () => {
    const source = latent('Beta(2, 2)', 'Gamma(2, 2)');
    const [error] = errorsOf(source);
    expect(error!.message).toBe("guide 'q' samples 'z' from Gamma, on (0, ∞), but the model's Beta puts 'z' on (0, 1)");
    expect(error!.hint).toBe("the guide must keep 'z' where the model's density is positive: use Beta");
    expect(source.slice(error!.span.start.offset, error!.span.end.offset)).toBe('Gamma');
  });

  it('gives one diagnostic for one mistake: a mismatched latent used as a scale later in the guide adds no PPL2008', () => {
    const source = `data x: real[3]
model {
  s: real[3] ~ Gamma(2, 2)
  z: real[3] ~ Normal(0, s)
  x ~ Normal(z, 1)
}
guide q {
  param m: real[3]
  s ~ Normal(m, 1)
  z ~ Normal(x, s)
}
`;
    expect(errorsOf(source).map((d) => d.code)).toEqual(['PPL2030']);
  });

  it('relations between supports: (0, 1) ⊂ (0, ∞) ⊂ ℝ, {0, 1} only in itself', () => {
    expect(supportWithin('unit-interval', 'real')).toBe(true);
    expect(supportWithin('positive', 'unit-interval')).toBe(false);
    expect(supportWithin('binary', 'real')).toBe(false);
    expect(supportWithin('real', 'binary')).toBe(false);
    expect(supportWithin('binary', 'binary')).toBe(true);
  });
});
