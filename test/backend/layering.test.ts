/**
 * Keeps the layer picture true for the backend (see shared STYLE.md,
 * `frontend -> ir <- backend <- inference`): backend depends on the IR, util
 * and diagnostics only, never on the front end, inference, driver or CLI, and
 * reaches tfjs only through '@tensorflow/tfjs' (one tfjs instance) plus the
 * wasm backend package. '@tensorflow/tfjs-core' is allowed for types only
 * (`import type`, erased at run time): public signatures name tfjs-core's
 * types so the published .d.ts never loads the umbrella's tfjs-layers typings.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const backendDir = path.join(srcDir, 'backend');
const ALLOWED_LAYERS = ['backend', 'ir', 'util', 'diagnostics'];
const ALLOWED_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];
const TYPE_ONLY_PACKAGES = ['@tensorflow/tfjs-core'];
const TYPE_IMPORT = /\bimport\s+type\b[^'"]*?\bfrom\s*['"][^'"]+['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Module specifiers of static imports/exports and literal dynamic imports. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]!);
  return found;
}

describe('backend layering', () => {
  const files = sourceFiles(backendDir);

  it('finds the backend sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [path.relative(srcDir, f), f]))('%s imports only allowed layers and packages', (_, file) => {
    const source = readFileSync(file, 'utf8');
    const valueImports = specifiers(source.replace(TYPE_IMPORT, ''));
    for (const spec of specifiers(source)) {
      if (TYPE_ONLY_PACKAGES.includes(spec)) {
        expect(valueImports, `package ${spec} outside \`import type\``).not.toContain(spec);
      } else if (spec.startsWith('.')) {
        const target = path.relative(srcDir, path.resolve(path.dirname(file), spec));
        const layer = target.split(path.sep)[0]!;
        expect(ALLOWED_LAYERS, `${spec} reaches into src/${layer}`).toContain(layer);
      } else if (!spec.startsWith('node:')) {
        expect(ALLOWED_PACKAGES, `package ${spec}`).toContain(spec);
      }
    }
  });
});
