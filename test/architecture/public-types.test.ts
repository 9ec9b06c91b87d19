/**
 * The published declarations as a consumer's `tsc --strict` sees them, without
 * `skipLibCheck`: the package's .d.ts files (emitted from tsconfig.build.json
 * into a temporary node_modules/strata-ppl) must not reach the umbrella
 * '@tensorflow/tfjs', whose tfjs-layers typings fail strict checking, and a
 * small application file must type-check against them. Takes about 12 s (two
 * tsc runs), most of it emitting the declarations.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let tmp = '';
let dist = '';

function tsc(...args: string[]): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The .d.ts files reachable from index.d.ts by relative imports, with the package imports of each. */
function declarationClosure(): Map<string, string[]> {
  const closure = new Map<string, string[]>();
  const queue = ['index.d.ts'];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (closure.has(file)) continue;
    const text = readFileSync(join(dist, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    closure.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((s) => s.startsWith('.'))) queue.push(normalize(join(dirname(file), s.replace(/\.js$/, '.d.ts'))));
  }
  return closure;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'strata-consumer-'));
  const pkg = join(tmp, 'node_modules', 'strata-ppl');
  dist = join(pkg, 'dist');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  // The consumer's own node_modules holds tfjs and the @types packages, as npm would install them beside strata-ppl.
  for (const dir of ['@tensorflow', '@types']) symlinkSync(join(ROOT, 'node_modules', dir), join(tmp, 'node_modules', dir), 'dir');
  const emitted = tsc('-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--declarationMap', 'false', '--sourceMap', 'false', '--outDir', dist);
  expect(emitted.output).toBe('');
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the public declarations', () => {
  it("import tfjs types from '@tensorflow/tfjs-core' only, never the umbrella '@tensorflow/tfjs' or tfjs-layers", () => {
    const offenders = [...declarationClosure()].filter(([, imports]) => imports.some((s) => s === '@tensorflow/tfjs' || s.startsWith('@tensorflow/tfjs-layers'))).map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('type-check in an ESM application under --strict without skipLibCheck', () => {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(tmp, 'app.ts'),
      [
        "import * as tf from '@tensorflow/tfjs-core';",
        "import { bundledModel, infer, loadModel, openRun, type OpenedRun, type StrataModel } from 'strata-ppl';",
        "const model: StrataModel = await loadModel(bundledModel('linear-gaussian'));",
        'await infer(model, { data: { x: [[0, 0, 0, 0, 0, 0]] }, k: 2, epochs: 1 });',
        'const logpx: Float32Array = await model.bound({ x: tf.zeros([1, 6]) as tf.Tensor2D }, { k: 3 });',
        "const run: OpenedRun = await openRun('runs/lg');",
        'const w: tf.Tensor2D = await run.model.logWeights([[0, 0, 0, 0, 0, 0]], { k: 3 });',
        'console.log(logpx[0], w.shape);',
        '',
      ].join('\n'),
    );
    // lib DOM: tfjs-core's own typings name ImageData, HTMLCanvasElement and the like (docs/api.md says so).
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, noEmit: true };
    writeFileSync(join(tmp, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }));
    const checked = tsc('-p', join(tmp, 'tsconfig.json'));
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });
});
