/**
 * The published numbers: Rainforth, Kosiorek, Le, Maddison, Igl, Wood & Teh
 * (2018), "Tighter variational bounds are not necessarily better", ICML, as
 * reproduced in seed 002 (M'Charrak, Růžička, Shin & Vankadari, ATML group
 * report, Oxford, April 2021), Table 1, the "referential" model (Burda et
 * al.'s one-stochastic-layer MNIST model, 425,284 parameters) trained for
 * 3,280 epochs: the mean IWAE-64 bound and log p̂(x) (the IWAE bound with
 * k = 5000) on the MNIST test set, in nats (higher is better).
 */

export type RainforthObjective = 'iwae' | 'piwae' | 'miwae' | 'ciwae' | 'vae';
export const RAINFORTH_OBJECTIVES: readonly RainforthObjective[] = ['iwae', 'piwae', 'miwae', 'ciwae', 'vae'];

export interface PublishedRow {
  /** Mean IWAE-64 bound on the test set. */
  readonly iwae64: number;
  /** log p̂(x): the IWAE bound at k = 5000. */
  readonly logPHat: number;
}

/** Seed 002, Table 1, the referential model: IWAE(64), PIWAE(8,8), MIWAE(8,8), CIWAE(β = 0.5), VAE. */
export const SEED_002_TABLE_1: Readonly<Record<RainforthObjective, PublishedRow>> = {
  iwae: { iwae64: -84.64, logPHat: -84.64 },
  piwae: { iwae64: -84.72, logPHat: -84.9 },
  miwae: { iwae64: -84.98, logPHat: -85.04 },
  ciwae: { iwae64: -87.05, logPHat: -87.0 },
  vae: { iwae64: -87.26, logPHat: -87.66 },
};

/** Seed 002, Table 1, its "larger model" (hidden 400, latent 20; 973,624 parameters), for reference: not trained here. */
export const SEED_002_TABLE_1_LARGER: Readonly<Record<RainforthObjective, PublishedRow>> = {
  iwae: { iwae64: -83.85, logPHat: -83.92 },
  piwae: { iwae64: -83.86, logPHat: -83.84 },
  miwae: { iwae64: -83.47, logPHat: -83.66 },
  ciwae: { iwae64: -84.92, logPHat: -84.98 },
  vae: { iwae64: -85.33, logPHat: -85.31 },
};

/** Where the published numbers come from, for results.json. */
export const REFERENCE = "Rainforth et al. (2018), Tighter Variational Bounds are Not Necessarily Better, ICML, as reproduced in seed 002 (M'Charrak, Růžička, Shin & Vankadari 2021), Table 1, referential model (MNIST test set: mean IWAE-64 bound and log p̂(x) = IWAE bound at k = 5000, nats)";
