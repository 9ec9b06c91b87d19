/**
 * The conv VAE rows of `npm run bench` (`--conv on|off|only`): the option,
 * what the workers and the PyTorch script are told, and the synthetic images
 * the rows train on.
 */
import { describe, expect, it } from 'vitest';
import { syntheticImages } from '../../bench/conv-vae-bench.js';
import { parseBenchArgs, workerArgs, type BenchOptions } from '../../bench/options.js';
import { pytorchArgs, PYTORCH } from '../../bench/pytorch-reference.js';

const options = (argv: string[]) => parseBenchArgs(argv) as BenchOptions;

describe('--conv', () => {
  it('defaults to on, and to off with --quick', () => {
    expect(options([]).conv).toBe('on');
    expect(options(['--quick']).conv).toBe('off');
    expect(options(['--conv', 'only']).conv).toBe('only');
  });

  it('names the modes when given another', () => {
    expect(() => parseBenchArgs(['--conv', 'yes'])).toThrow("--conv must be one of on, off, only, but got 'yes'");
  });

  it('reaches the backend workers and the PyTorch script', () => {
    expect(workerArgs(options(['--conv', 'only']))).toContain('--conv=only');
    expect(pytorchArgs(options(['--conv', 'off']), PYTORCH, '/tmp/out.json')).toContain('--conv=off');
  });
});

describe('the synthetic images', () => {
  it('are 0/1 rows of 784 with about 13% ones, the same for the same seed', () => {
    const a = syntheticImages(50, 3);
    const b = syntheticImages(50, 3);
    try {
      expect(a.shape).toEqual([50, 784]);
      const values = Array.from(a.dataSync());
      expect(values.every((v) => v === 0 || v === 1)).toBe(true);
      const share = values.reduce((s, v) => s + v, 0) / values.length;
      expect(Math.abs(share - 0.13)).toBeLessThan(0.01); // 39,200 pixels: standard error 0.0017
      expect(Array.from(b.dataSync())).toEqual(values);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
