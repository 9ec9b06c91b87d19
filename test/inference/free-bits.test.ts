/**
 * Free bits (Kingma et al. 2016; seed 001) on the vae objective, on one shared
 * trace of the linear-Gaussian model (closed-form KL, so every KL term ≥ 0):
 *   - λ = 0 leaves the loss and its gradients those of the ELBO;
 *   - λ above the latent's mean KL removes the KL's pull: the gradient is that
 *     of the reconstruction term alone; below it, the gradient is the ELBO's;
 *   - the bound is the plain ELBO whatever λ is;
 *   - refused, with the reason, on the importance-weighted objectives and for unknown latents.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/driver/checkpoint/checkpoint.js';
import { createObjective, VaeObjective, type Objective, type StrataModel } from '../../src/index.js';
import { run } from '../cli/run-cli.js';
import { oneLevelGuideParameters, oneLevelMeanFieldGuide, oneLevelModelParameters, sampleOneLevel, TestRandom } from '../helpers/linear-gaussian.js';
import { loadOneLevel, rowsTensor } from '../helpers/models.js';

let model: StrataModel;
const rng = new TestRandom(41);
const params = { W: rng.matrix(4, 6, 0.8), b: rng.normals(6, 0.5) };
const xs = Array.from({ length: 5 }, () => rng.normals(6, 1.5));
beforeAll(async () => {
  model = await loadOneLevel();
  model.setParameters({ ...oneLevelModelParameters(params), ...oneLevelGuideParameters(oneLevelMeanFieldGuide(params, 1.3)) });
});
afterAll(() => model.dispose());

/** Loss, bound and gradients of `loss(estimate, trace)` on the trace `objective` asks for with `seed`. */
function evaluate(objective: Objective, seed: number, loss?: (o: VaeObjective, trace: ReturnType<StrataModel['compiled']['trace']>) => tf.Scalar) {
  const x = rowsTensor(xs);
  try {
    return tf.tidy(() => {
      let bound: number[] = [];
      let kl = 0;
      const { value, grads } = tf.variableGrads(() => {
        const trace = model.compiled.trace({ x }, objective.traceOptions(model.guide, seed));
        const e = objective.estimate(trace, new Map());
        bound = Array.from(e.bound.dataSync());
        kl = tf.mean(trace.latents[0]!.kl!).dataSync()[0]!;
        return loss ? loss(objective as VaeObjective, trace) : e.loss;
      });
      return { loss: value.dataSync()[0]!, bound, kl, grads: Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, Array.from(g.dataSync())])) };
    });
  } finally {
    x.dispose();
  }
}

const close = (a: Record<string, number[]>, b: Record<string, number[]>) => {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [name, g] of Object.entries(a)) g.forEach((v, j) => expect(v).toBeCloseTo(b[name]![j]!, 4));
};

describe('free bits', () => {
  it('λ = 0 is the ELBO (loss, bound, gradients); the bound never changes', () => {
    const plain = evaluate(new VaeObjective({ k: 3 }), 7);
    const zero = evaluate(new VaeObjective({ k: 3, freeBits: { z: 0 } }), 7);
    expect(zero.loss).toBeCloseTo(plain.loss, 4);
    expect(zero.bound).toEqual(plain.bound);
    close(zero.grads, plain.grads);
    expect(evaluate(new VaeObjective({ k: 3, freeBits: { z: 1e3 } }), 7).bound).toEqual(plain.bound);
  });

  it('λ above the mean KL: the KL term pulls no more (gradient of the reconstruction alone, loss + λ); λ below: the ELBO\'s', () => {
    const plain = evaluate(new VaeObjective({ k: 3 }), 8);
    expect(plain.kl).toBeGreaterThan(0.5);
    const above = evaluate(new VaeObjective({ k: 3, freeBits: { z: plain.kl + 5 } }), 8);
    const reconstruction = evaluate(new VaeObjective({ k: 3 }), 8, (o, trace) => tf.neg(tf.mean(o.elboTerms(trace, new Map(), new Set(['z'])))) as tf.Scalar);
    expect(above.loss).toBeCloseTo(reconstruction.loss + plain.kl + 5, 4);
    close(above.grads, reconstruction.grads);
    const encoder = Object.entries(above.grads).find(([name]) => name.startsWith('encoder/weight'))![1];
    expect(encoder.every((g) => g === 0)).toBe(false); // the encoder still learns, through the reconstruction
    const guideScale = Object.entries(above.grads).find(([name]) => name.startsWith('guide_log_scale'))![1];
    const plainScale = Object.entries(plain.grads).find(([name]) => name.startsWith('guide_log_scale'))![1];
    expect(guideScale).not.toEqual(plainScale); // and the KL's pull on the guide's scale is gone
    const below = evaluate(new VaeObjective({ k: 3, freeBits: { z: plain.kl / 2 } }), 8);
    expect(below.loss).toBeCloseTo(plain.loss, 4);
    close(below.grads, plain.grads);
  });

  it('is refused on the importance-weighted objectives, for unknown latents and for negative λ', () => {
    for (const name of ['iwae', 'tdiwae', 'miwae', 'ciwae']) {
      expect(() => createObjective(name, { m: name === 'miwae' ? 2 : undefined, freeBits: { z: 0.5 } })).toThrow(`${name === 'tdiwae' ? 'iwae' : name}: the option freeBits applies only to the vae objective: a floor on a KL term has no counterpart inside importance weights`);
    }
    expect(() => new VaeObjective({ freeBits: { z2: 0.5 } }).validate(model.ir, 'q')).toThrow("vae: free bits for unknown latent 'z2'; the model has z");
    expect(() => new VaeObjective({ freeBits: { z: -1 } })).toThrow("vae: free bits for 'z' must be a non-negative number of nats, but got -1");
  });
});

describe('strata train --free-bits', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'strata-free-bits-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const X = join(tmp, 'x.f32');
  writeFileSync(X, Buffer.from(Float32Array.from(sampleOneLevel(params, 120, new TestRandom(2)).flat()).buffer));
  writeFileSync(`${X}.json`, JSON.stringify({ shape: [120, 6], dtype: 'float32' }));
  const MODEL = fileURLToPath(new URL('../../models/linear-gaussian.ppl', import.meta.url));
  const train = (out: string, ...more: string[]) => run('train', MODEL, '--data', `file:${X}`, '--out', join(tmp, out), '--backend', 'cpu', '--batch', '60', '--epochs', '1', ...more);

  it('trains vae with free bits, records them and says so; refuses them elsewhere and malformed', async () => {
    const r = await train('fb', '--objective', 'vae', '--free-bits', 'z:0.5');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[2]).toBe('objective: vae, k = 1, free bits z:0.5, estimator reparam');
    expect((await loadCheckpoint(join(tmp, 'fb'))).runInfo.options).toMatchObject({ objective: 'vae', freeBits: { z: 0.5 } });
    const iw = await train('fb-iwae', '--free-bits', 'z:0.5');
    expect(iw.code).toBe(1);
    expect(iw.stderr).toContain('strata: iwae: the option freeBits applies only to the vae objective');
    const bad = await train('fb-bad', '--objective', 'vae', '--free-bits', 'z=0.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected LATENT:NATS with NATS >= 0 (e.g. z1:0.5), got 'z=0.5'");
  });
});
