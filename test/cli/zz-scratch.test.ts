import { mkdtempSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(...argv: string[]) {
  let stdout = '', stderr = '';
  const t = performance.now();
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  console.log(JSON.stringify(argv), '->', code, ((performance.now() - t) / 1000).toFixed(2) + 's\nSTDOUT:', stdout, '\nSTDERR:', stderr);
  return { code, stdout, stderr };
}
function data(dir: string, name: string, rows: number, cols: number, f: (i: number) => number = (i) => Math.sin(i * 0.37) * 2) {
  const a = new Float32Array(rows * cols).map((_, i) => f(i));
  writeFileSync(join(dir, name), Buffer.from(a.buffer));
  writeFileSync(join(dir, name + '.json'), JSON.stringify({ shape: [rows, cols], dtype: 'float32' }));
  return join(dir, name);
}
it('scratch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scr-'));
  const x = data(dir, 'x.f32', 300, 6);
  const x5 = data(dir, 'x5.f32', 300, 5);
  const nan = data(dir, 'nan.f32', 300, 6, (i) => (i === 40 ? NaN : 1));
  const out = join(dir, 'run');
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', out, '--epochs', '2', '--backend', 'cpu', '--batch', '50', '--k', '3');
  console.log(readdirSync(out), readFileSync(join(out, 'metrics.jsonl'), 'utf8'), readFileSync(join(out, 'run.json'), 'utf8'));
  await run('train', '--resume', out, '--epochs', '3', '--backend', 'cpu');
  await run('eval', out, '--k', '10', '--backend', 'cpu');
  await run('eval', out, '--k', '10', '--backend', 'cpu', '--json');
  await run('sample', out, '--k', '5', '--n', '7', '--count', '3', '--backend', 'cpu', '--out', join(dir, 's.safetensors'));
  await run('sample', out, '--k', '5', '--n', '7', '--count', '3', '--backend', 'cpu', '--out', join(dir, 's.npy'));
  await run('sample', out, '--k', '5', '--n', '7', '--out', join(dir, 's.txt'));
  await run('sample', out, '--latents', 'w', '--backend', 'cpu', '--out', join(dir, 's2.npy'));
  await run('sample', dir, '--backend', 'cpu', '--out', join(dir, 's2.npy'));
  await run('eval', dir, '--backend', 'cpu');
  const o2 = join(dir, 'r2');
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x5}`, '--out', o2, '--backend', 'cpu'); console.log(existsSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${join(dir, 'nope.f32')}`, '--out', o2, '--backend', 'cpu'); console.log(existsSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${nan}`, '--out', o2, '--backend', 'cpu'); console.log(existsSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--anneal', 'z:0.1'); console.log(existsSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--anneal', 'w:0.1@2'); console.log(existsSync(o2) && readdirSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--objective', 'foo');
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--k', '0');
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--k', '-3');
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', o2, '--backend', 'cpu', '--objective', 'tdiwae'); console.log(existsSync(o2) && readdirSync(o2));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', join(dir, 'r3'), '--backend', 'cpu', '--lr', '1e30'); console.log(readdirSync(join(dir, 'r3')));
  await run('train', 'models/linear-gaussian.ppl', '--data', `file:${x}`, '--out', join(dir, 'r4'), '--backend', 'bogus');
  const xb = data(dir, 'xb.f32', 20, 784);
  await run('train', 'models/vae-mnist.ppl', '--data', `file:${xb}`, '--out', join(dir, 'r5'), '--backend', 'cpu'); console.log(existsSync(join(dir, 'r5')));
}, 120000);
