/**
 * Keeps the one-way layers of STYLE.md true: reads the imports of every .ts
 * file under src/ and fails on any arrow against the picture, printing each.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findViolations, layerOf, type SourceImports } from './layering.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import, export-from, side-effect import and string-literal `import()` of a file (type-only ones too). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const SOURCES: SourceImports[] = tsFilesUnder(join(ROOT, 'src')).map((path) => ({
  file: relative(ROOT, path).split(sep).join('/'),
  imports: importsOf(readFileSync(path, 'utf8')),
}));

describe('layering', () => {
  it('finds the source files and their imports', () => {
    expect(SOURCES.some((s) => s.file === 'src/frontend/check.ts')).toBe(true);
    const check = SOURCES.find((s) => s.file === 'src/frontend/check.ts')!;
    expect(check.imports).toContain('../ir/ir.js');
  });

  it('every import in src/ follows the layering', () => {
    expect(findViolations(SOURCES)).toEqual([]);
  });
});

describe('the layering checker itself', () => {
  it('reads import, export-from, type-only and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../ir/ir.js';",
      "export { c } from '../util/c.js';",
      "export * from './d.js';",
      "import '@tensorflow/tfjs';",
      "const e = await import('../backend/e.js');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../ir/ir.js', '../util/c.js', './d.js', '@tensorflow/tfjs', '../backend/e.js']);
  });

  it('places files in layers', () => {
    expect(layerOf('src/frontend/checker/program.ts')).toBe('frontend');
    expect(layerOf('src/index.ts')).toBe('<src/index.ts>');
    expect(layerOf('test/cli/cli.test.ts')).toBeUndefined();
  });

  it('accepts imports that follow the arrows', () => {
    expect(
      findViolations([
        { file: 'src/frontend/check.ts', imports: ['../ir/ir.js', '../diagnostics/diagnostic.js', './parse.js', 'chevrotain'] },
        { file: 'src/backend/compile.ts', imports: ['../ir/ir.js', '@tensorflow/tfjs'] },
        { file: 'src/inference/iwae.ts', imports: ['../backend/compile.js'] },
        { file: 'src/cli/commands/train.ts', imports: ['../../driver/train.js', '../../report/html.js', '../command.js'] },
        { file: 'src/index.ts', imports: ['./cli/main.js', './frontend/check.js'] },
      ]),
    ).toEqual([]);
  });

  it('reports every arrow against the layering, as file -> import', () => {
    const violations = findViolations([
      { file: 'src/backend/compile.ts', imports: ['../frontend/parse.js', '../ir/ir.js'] },
      { file: 'src/frontend/checker/shapes.ts', imports: ['@tensorflow/tfjs-core', '../../ir/ir.js'] },
      { file: 'src/ir/ir.ts', imports: ['../diagnostics/span.js'] },
      { file: 'src/report/html.ts', imports: ['../cli/main.js'] },
      { file: 'src/util/x.ts', imports: ['../index.js'] },
      { file: 'src/backend/y.ts', imports: ['chevrotain'] },
      { file: 'src/plugins/z.ts', imports: ['../ir/ir.js'] },
    ]);
    expect(violations.map((v) => v.split(':')[0])).toEqual([
      'src/backend/compile.ts -> ../frontend/parse.js',
      'src/frontend/checker/shapes.ts -> @tensorflow/tfjs-core',
      'src/ir/ir.ts -> ../diagnostics/span.js',
      'src/report/html.ts -> ../cli/main.js',
      'src/util/x.ts -> ../index.js',
      'src/backend/y.ts -> chevrotain',
      'src/plugins/z.ts -> ../ir/ir.js',
    ]);
    expect(violations[0]).toContain('backend may not import frontend');
  });
});
