/**
 * Writes the test images that Strata's burda-mnist run scores, so the
 * PyTorch script (burda_mnist.py) scores exactly the same ones: the seeded
 * random subset of MNIST's 10,000 test images and its one fixed binarization,
 * both as `loadMnist` (../../lib/mnist-data.ts) draws them for the budget.
 *
 *   npx vite-node experiments/burda-mnist/pytorch/export-test-rows.ts -- [--budget quick] [--data DIR] [--out DIR]
 *
 * Writes `DIR/test-rows-<budget>.u8` (rows × 784 bytes, 0 or 1, row-major) and
 * `DIR/test-rows-<budget>.json` (the rows' indices into t10k, the seed, the shape).
 * The default DIR is experiments/burda-mnist/runs/pytorch/ (ignored by git).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUDGETS, type BudgetName } from '../budgets.js';
import { findMnistDir, loadMnist } from '../data.js';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { budget: { type: 'string', default: 'quick' }, data: { type: 'string' }, out: { type: 'string', default: 'experiments/burda-mnist/runs/pytorch' } } });
const budget = BUDGETS[values.budget as BudgetName];
if (budget === undefined) throw new Error(`export-test-rows: unknown budget '${values.budget}' (use ${Object.keys(BUDGETS).join(', ')})`);
const dir = findMnistDir(values.data);
const subset = await loadMnist(dir, { seed: budget.seed, ...(budget.testRows === undefined ? {} : { testRows: budget.testRows }) });
const all = await loadMnist(dir, { seed: budget.seed, trainRows: 1 });
// The indices: each subset row's intensities found in the full test set (a check on the subset, not a re-derivation of it).
const cols = subset.test.cols;
const key = (v: Float32Array, r: number) => Buffer.from(v.buffer, v.byteOffset + r * cols * 4, cols * 4).toString('base64');
const rowOf = new Map<string, number>();
const full = all.intensities!.test.values;
for (let r = 0; r < all.test.rows; r++) rowOf.set(key(full, r), r);
const picked = subset.intensities!.test.values;
const indices = Array.from({ length: subset.test.rows }, (_, r) => {
  const i = rowOf.get(key(picked, r));
  if (i === undefined) throw new Error(`export-test-rows: test row ${r} is not one of the 10,000 test images`);
  return i;
});
const out = values.out!;
await mkdir(out, { recursive: true });
await writeFile(join(out, `test-rows-${budget.name}.u8`), Uint8Array.from(subset.test.values));
await writeFile(join(out, `test-rows-${budget.name}.json`), `${JSON.stringify({ budget: budget.name, seed: budget.seed, rows: subset.test.rows, cols, ofRows: all.test.rows, binarization: 'one fixed draw, as loadMnist (mnist:dynamic) makes it', indices }, null, 1)}\n`);
console.log(`wrote ${subset.test.rows} test rows (indices ${indices.slice(0, 5).join(', ')}, ...) to ${out}`);
