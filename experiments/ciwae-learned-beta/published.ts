/**
 * The published numbers: seed 002 (M'Charrak, Růžička, Shin & Vankadari,
 * ATML group report on Rainforth et al. 2018, Oxford, April 2021), sec. 4.3
 * and Figure 4: CIWAE on MNIST with several values of β fixed, and with β
 * learned from the same values (sec. 3.7), summarized as the mean ± sd of
 * the test IWAE-64 metric across the β values (nats, higher is better).
 * The report gives neither the β values, nor how many, nor whether its sd
 * divides by n or n − 1; its per-β numbers are only in the figure.
 */
import type { BetaGroup } from './budgets.js';

/** Mean ± sd of IWAE-64 across the β values of one group. */
export interface PublishedGroup {
  readonly iwae64Mean: number;
  readonly iwae64Sd: number;
  /** Where it is stated. */
  readonly source: string;
  /** A second statement of the mean that disagrees with the first, and where. */
  readonly conflicting?: { readonly iwae64Mean: number; readonly source: string };
}

/**
 * Fixed β: the text says −81.29 ± 2.98 and the caption of Figure 4 says −81.99 ± 2.98.
 * The two disagree, and the report does not say which is right, so both are kept.
 */
export const SEED_002_FIGURE_4: Readonly<Record<BetaGroup, PublishedGroup>> = {
  fixed: { iwae64Mean: -81.29, iwae64Sd: 2.98, source: 'seed 002, sec. 4.3 (text)', conflicting: { iwae64Mean: -81.99, source: 'seed 002, Figure 4 caption' } },
  learned: { iwae64Mean: -80.34, iwae64Sd: 0.49, source: 'seed 002, sec. 4.3 (text) and Figure 4 caption' },
};

/** Where the published numbers come from, for results.json. */
export const REFERENCE = "seed 002 (M'Charrak, Růžička, Shin & Vankadari 2021, reproducing Rainforth et al. 2018), sec. 3.7, 4.3 and Figure 4: CIWAE with β fixed vs β learned from the same values, mean ± sd across β of the MNIST test IWAE-64 bound (nats); β grid not stated";
