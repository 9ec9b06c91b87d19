/**
 * The kernel variants compiled for other CPUs (STRATA_NATIVE_VARIANT=base,
 * avx2; the default is the best the CPU supports) compute the same results:
 * each runs in a child process on the same inputs, including IEEE special
 * values, and must match this process's variant exactly for arithmetic and
 * data movement and to 4 ulp for exp/log-based kernels.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon, nativeAddonPath, UnaryOp } from '../../src/backend/native/addon.js';
import { nativeBuilt } from './helpers.js';

/** Runs in the child (and here): results of a fixed set of calls, as plain arrays. */
const PROGRAM = `
const inputs = new Float32Array(4099);
const bits = new Uint32Array(inputs.buffer);
let s = 12345;
for (let i = 0; i < inputs.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; bits[i] = s; }
for (let i = 0; i < inputs.length; i += 7) inputs[i] = ((i / 7) % 13) - 6 + 0.37;
const out = {};
for (let op = 0; op < 18; op++) {
  const y = new Float32Array(inputs.length);
  addon.unary(op, inputs, y, 0.25, 2);
  out['unary' + op] = Array.from(y);
}
const a = inputs.subarray(0, 4096), b = inputs.subarray(4096 - 64, 4096);
for (let op = 0; op < 7; op++) {
  const y = new Float32Array(4096);
  addon.binary(op, a, b, y, Int32Array.from([2, 64, 64, 64, 1, 0, 1]));
  out['binary' + op] = Array.from(y);
}
const small = a.map((v) => (Number.isFinite(v) && Math.abs(v) < 1e6 ? v : 1));
for (let op = 0; op < 4; op++) {
  const rows = new Float32Array(64), cols = new Float32Array(64);
  addon.reduce(op, small, rows, Int32Array.from([2, 64, 64, 0, 1]));
  addon.reduce(op, small, cols, Int32Array.from([2, 64, 64, 1, 0]));
  out['reduce' + op] = [...rows, ...cols];
}
const t = new Float32Array(4096);
addon.copy(a, 0, t, 0, Int32Array.from([2, 64, 64, 1, 64, 64, 1]));
out.transpose = Array.from(t);
`;

function runVariant(variant: string): { variant: string; out: Record<string, number[]> } {
  const script = `const addon = require(${JSON.stringify(nativeAddonPath())});${PROGRAM}; process.stdout.write(JSON.stringify({ variant: addon.info().variant, out }, (k, v) => typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, STRATA_NATIVE_VARIANT: variant }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(child.stderr);
  const parsed = JSON.parse(child.stdout, (_, v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as { variant: string; out: Record<string, number[]> };
  return parsed;
}

const APPROXIMATE = new Set([UnaryOp.Exp, UnaryOp.Log, UnaryOp.Log1p, UnaryOp.Softplus, UnaryOp.Sigmoid, UnaryOp.Expm1, UnaryOp.Tanh].map((op) => `unary${op}`));

describe.skipIf(!nativeBuilt)('kernel variants', () => {
  it.each(['base', 'avx2'])('the %s variant matches the default one', (variant) => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    const mine = runVariant('best');
    const theirs = runVariant(variant);
    // A CPU without the asked-for instructions gets the baseline build.
    expect(['variant_base', `variant_${variant}`]).toContain(theirs.variant);
    expect(mine.variant).toBe(load.info.variant);
    for (const [name, want] of Object.entries(mine.out)) {
      const got = theirs.out[name]!;
      expect(got.length, name).toBe(want.length);
      want.forEach((w, i) => {
        const g = got[i]!;
        if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) return;
        // Reductions of the same numbers in a different lane order differ by rounding only.
        const tol = APPROXIMATE.has(name) ? 4 * 1.2e-7 * Math.abs(w) + 1e-44 : name.startsWith('reduce') ? 1e-6 * Math.abs(w) + 1e-6 : 0;
        if (!(Math.abs(g - w) <= tol)) throw new Error(`${name}[${i}]: ${variant} gives ${g}, default ${w}`);
      });
    }
  });
});
