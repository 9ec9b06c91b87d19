/**
 * Evaluates a trained configuration on the test rows: the test NLL as
 * −mean IWAE-k bound (k = 5000 in the paper) with its standard error, and the
 * active units of every latent (Burda et al. 2016, sec. 5.2).
 */
import type { StrataModel } from '../../src/index.js';
import type { Matrix } from '../../src/data/index.js';
import { meanBound } from '../lib/test-bound.js';
import { activeUnits, posteriorMeans, ACTIVE_THRESHOLD } from './active-units.js';

export interface Evaluation {
  /** −(1/n) Σ_i IWAE-k bound(x_i), nats; se the standard error over rows. */
  readonly testNll: { readonly mean: number; readonly se: number; readonly k: number; readonly rows: number; readonly ofRows: number; readonly seed: number };
  /** Per latent: active units of the latent's units, Cov_x(E_q[u]) > threshold. */
  readonly activeUnits: Record<string, { readonly active: number; readonly units: number; readonly threshold: number; readonly samples: number }>;
  readonly evalSeconds: number;
}

/**
 * @param test the test rows (binary, one fixed draw)
 * @param ofRows how many test rows the full set has (10,000), for the record
 * @param onProgress rows done of `test.rows`
 */
export async function evaluateConfiguration(model: StrataModel, test: Matrix, options: { k: number; ofRows: number; activeSamples: number; seed: number; onProgress?: (done: number, status: string) => void }): Promise<Evaluation> {
  const began = performance.now();
  const { mean, se } = await meanBound(model, test, { k: options.k, seed: options.seed, onProgress: (done, m) => options.onProgress?.(done, `NLL ${(-m).toFixed(2)}`) });
  const means = await posteriorMeans(model, test, { samples: options.activeSamples, seed: options.seed });
  const active = Object.fromEntries([...means].map(([name, m]) => {
    const a = activeUnits(m.means, test.rows, m.d);
    return [name, { active: a.active, units: a.units, threshold: ACTIVE_THRESHOLD, samples: options.activeSamples }];
  }));
  return {
    testNll: { mean: -mean, se, k: options.k, rows: test.rows, ofRows: options.ofRows, seed: options.seed },
    activeUnits: active,
    evalSeconds: (performance.now() - began) / 1000,
  };
}
