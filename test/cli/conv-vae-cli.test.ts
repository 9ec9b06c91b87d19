/**
 * The conv VAE of models/ through the command line, as docs/language.md
 * promises: `strata train models/conv-vae-mnist.ppl --data mnist:dynamic`
 * (flat 784-pixel rows into a binary[28, 28, 1] variable), then `strata eval`
 * and `strata sample` on the run, and `strata check` printing each layer's
 * shape. Training needs the MNIST files (skipped without them); it runs on the
 * automatic backend (native where built, else wasm, which has Strata's
 * Conv2DBackpropFilter kernel).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpy } from '../../src/data/npy.js';
import { REAL_DATA } from '../data/helpers.js';
import { run } from './run-cli.js';

const MODEL = fileURLToPath(new URL('../../models/conv-vae-mnist.ppl', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'strata-conv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('strata check on the conv VAE', () => {
  it('prints each layer with its output shape', async () => {
    const result = await run('check', MODEL);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('x  binary[28, 28, 1]  observed ~ Bernoulli');
    expect(result.stdout).toMatch(/encoder +guide q +\[28, 28, 1\] -> conv2d \[14, 14, 16\] -> conv2d \[7, 7, 32\] -> flatten \[1568\] -> dense \[32\] +relu/);
    expect(result.stdout).toMatch(/decoder +model +\[16\] -> dense \[1568\] -> reshape \[7, 7, 32\] -> deconv2d \[14, 14, 32\] -> deconv2d \[28, 28, 1\] +relu/);
  });
});

describe.skipIf(REAL_DATA === undefined || !existsSync(join(REAL_DATA ?? '', 'mnist')))('strata train, eval and sample on the conv VAE with MNIST', () => {
  const out = join(tmp, 'conv');
  it('trains on mnist:dynamic, evaluates the bound and draws SIR samples', async () => {
    const train = await run('train', MODEL, '--data', 'mnist:dynamic', '--train', '200', '--test', '50', '--epochs', '1', '--k', '2', '--out', out);
    expect(train.stderr + train.stdout).toMatch(/epoch 1\/1/);
    expect(train.code).toBe(0);
    const evaluated = await run('eval', out, '--k', '20', '--json');
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { bound: { mean: number; n: number } };
    expect(report.bound.n).toBe(50);
    expect(report.bound.mean).toBeLessThan(0);
    expect(report.bound.mean).toBeGreaterThan(784 * Math.log(0.5) - 50); // near the untrained model's -543, far from nonsense
    const file = join(out, 'z.npy');
    const sampled = await run('sample', out, '--k', '10', '--n', '5', '--out', file);
    expect(sampled.code).toBe(0);
    const z = await readNpy(join(out, 'z.z.npy'));
    expect(z.shape).toEqual([10, 5, 16]); // the first 10 test rows (sample's default), 5 draws each, z: real[16]
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toContain('conv-vae-mnist.ppl');
  });
});
