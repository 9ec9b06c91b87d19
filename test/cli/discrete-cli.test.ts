/**
 * models/sbn-mnist.ppl, the binary sigmoid belief net, through `strata train`
 * (VIMCO, REINFORCE, relaxed with a temperature schedule), `eval` and `sample`,
 * in-process on the cpu backend, on 60 rows of 0/1 pixels from a file (so it
 * needs no MNIST download); the `--discrete` and `--temperature` specs; a
 * resumed run keeps its discrete modes and temperatures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiscreteSpec, parseTemperatureSpec } from '../../src/driver/discrete-spec.js';
import { readNpy } from '../../src/data/npy.js';
import { TestRandom } from '../helpers/linear-gaussian.js';
import { run } from './run-cli.js';

const SBN = fileURLToPath(new URL('../../models/sbn-mnist.ppl', import.meta.url));
let tmp = '';
let X = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-discrete-'));
  const rng = new TestRandom(4);
  // Two prototype images with 10% of the pixels flipped: structure a binary latent can explain.
  const prototypes = [0, 1].map(() => Array.from({ length: 784 }, () => (rng.uniform() < 0.3 ? 1 : 0)));
  const rows = Array.from({ length: 60 }, (_, i) => prototypes[i % 2]!.map((p) => (rng.uniform() < 0.1 ? 1 - p : p)));
  X = join(tmp, 'pixels.f32');
  writeFileSync(X, Buffer.from(Float32Array.from(rows.flat()).buffer));
  writeFileSync(`${X}.json`, JSON.stringify({ shape: [60, 784], dtype: 'float32' }));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const train = (out: string, ...more: string[]) =>
  run('train', SBN, '--data', `file:${X}`, '--out', join(tmp, out), '--backend', 'cpu', '--batch', '25', '--lr', '0.003', '--seed', '3', ...more);

describe('strata with a discrete-latent model (models/sbn-mnist.ppl)', () => {
  it('trains with VIMCO, then evaluates and samples the binary latents', async () => {
    const r = await train('vimco', '--objective', 'vimco', '--k', '5', '--epochs', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/objective: vimco, k = 5, estimator reparam/);
    const epochs = r.stderr.split('\n').filter((l) => l.startsWith('epoch '));
    expect(epochs).toHaveLength(2);
    // The loss is −bound: the score-function term enters with zero value.
    for (const line of epochs) {
      const [, loss, bound] = /loss (-?[\d.]+) {2}bound (-?[\d.]+)/.exec(line)!;
      expect(Number(loss)).toBeCloseTo(-Number(bound), 2);
    }
    const evaluated = await run('eval', join(tmp, 'vimco'), '--k', '20', '--backend', 'cpu', '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout) as { bound: { mean: number; se: number }; terms: Record<string, { mean: number }> };
    expect(Number.isFinite(result.bound.mean)).toBe(true);
    expect(Object.keys(result.terms).sort()).toEqual(['h: log p - log q', 'log p(x|·)']);
    const out = join(tmp, 'h.npy');
    const sampled = await run('sample', join(tmp, 'vimco'), '--k', '5', '--n', '3', '--latents', 'h', '--out', out, '--backend', 'cpu');
    expect(sampled.code, sampled.stderr).toBe(0);
    const h = await readNpy(join(tmp, 'h.h.npy'));
    expect(h.shape).toEqual([6, 3, 200]);
    expect(Array.from(h.data as Float32Array).every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('trains with REINFORCE (vae) and relaxed with an annealed temperature, which a resume keeps', async () => {
    expect((await train('reinforce', '--objective', 'vae', '--epochs', '1')).code).toBe(0);
    const relaxed = await train('relaxed', '--objective', 'iwae', '--k', '3', '--epochs', '1', '--discrete', 'h:relaxed', '--temperature', 'h:1.0->0.5@4');
    expect(relaxed.code, relaxed.stderr).toBe(0);
    expect(relaxed.stderr).toMatch(/objective: iwae, k = 3, discrete h:relaxed, estimator reparam/);
    const runJson = JSON.parse(readFileSync(join(tmp, 'relaxed', 'run.json'), 'utf8')) as { options: Record<string, unknown> };
    expect(runJson.options['discrete']).toEqual({ h: 'relaxed' });
    expect(runJson.options['temperature']).toEqual({ h: { from: 1, to: 0.5, steps: 4 } });
    const resumed = await run('train', '--resume', join(tmp, 'relaxed'), '--epochs', '2', '--backend', 'cpu');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/discrete h:relaxed/);
    // Other modes or schedules given with --resume are named, not applied silently.
    const changed = await run('train', '--resume', join(tmp, 'relaxed'), '--epochs', '3', '--backend', 'cpu', '--discrete', 'h:st', '--temperature', 'h:2->1@2ep');
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr.split('\n')[0]).toBe("warning: --resume continues the run with its own options; ignored --discrete h:straight-through (the run's: h:relaxed), --temperature h:2->1@2ep (the run's: h:1->0.5@4) (start a new run with --out to change them)");
    expect(changed.stderr).toMatch(/discrete h:relaxed,? /);
    const same = await run('train', '--resume', join(tmp, 'relaxed'), '--epochs', '4', '--backend', 'cpu', '--discrete', 'h:relaxed', '--temperature', 'h:1.0->0.5@4');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('warning');
  });

  it('refuses an objective that cannot train the binary latents, with what to use', async () => {
    const r = await train('refused', '--objective', 'iwae', '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/iwae: the discrete latent 'h' would need the score function, which iwae does not estimate: use --objective vimco/);
  });
});

describe('--discrete and --temperature specs', () => {
  it('reads modes and schedules', () => {
    expect(parseDiscreteSpec('h:relaxed, c:score,z:st')).toEqual({ h: 'relaxed', c: 'score', z: 'straight-through' });
    expect(parseTemperatureSpec('z:1.0->0.5@5000,h:0.5,c:2->1@3ep')).toEqual({ z: { from: 1, to: 0.5, steps: 5000 }, h: { from: 0.5 }, c: { from: 2, to: 1, epochs: 3 } });
  });

  it.each([
    [() => parseDiscreteSpec('h:gumbel'), /--discrete: cannot read 'h:gumbel'; write LATENT:MODE with MODE one of score, relaxed, straight-through/],
    [() => parseDiscreteSpec('h:relaxed,h:score'), /'h' is given twice/],
    [() => parseTemperatureSpec('z:1->0.5'), /--temperature: cannot read 'z:1->0.5'; write LATENT:FROM->TO@STEPS/],
    [() => parseTemperatureSpec(''), /expected one or more/],
  ])('refuses a bad spec (%#)', (f, message) => {
    expect(f).toThrow(message);
  });
});
