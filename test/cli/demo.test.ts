/**
 * The demo's closing lines. Running `strata demo` itself takes too long for a
 * unit test (about 17 s even at one epoch of 100 patches), so this checks the
 * function that writes them.
 */
import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../src/cli/commands/demo.js';

describe('strata demo', () => {
  it('says what to run next with npx strata (npm ci puts no strata on PATH), one command a line', () => {
    expect(nextSteps('runs/demo', 5)).toBe(
      'next:\n' +
        '  npx strata eval runs/demo --k 5000\n' +
        '  npx strata sample runs/demo --latents z1 --out z1.safetensors\n' +
        '  npx strata train --resume runs/demo --epochs 10\n',
    );
  });
});
