/**
 * The layering rules of STYLE.md as data, and a pure checker over a list of
 * files and their import specifiers (so the rules can be tested on fake input).
 *
 *   util <- diagnostics <- frontend -> ir <- backend (tfjs) <- inference <- driver <- cli / report
 */
import { posix } from 'node:path';

/** For each top folder under src/, the other top folders it may import from. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  util: [],
  diagnostics: ['util'],
  ir: ['util'],
  frontend: ['util', 'diagnostics', 'ir'],
  backend: ['util', 'diagnostics', 'ir'],
  inference: ['util', 'diagnostics', 'ir', 'backend'],
  data: ['util', 'diagnostics'],
  driver: ['util', 'diagnostics', 'ir', 'frontend', 'backend', 'inference', 'data'],
  report: ['util', 'diagnostics', 'ir', 'frontend', 'backend', 'inference', 'data', 'driver'],
  cli: ['util', 'diagnostics', 'ir', 'frontend', 'backend', 'inference', 'data', 'driver', 'report'],
};

/** The layer of src/index.ts: the package entry, which may import anything and which nothing imports. */
export const ROOT_LAYER = '<src/index.ts>';

/** Packages each layer may not import, with the reason. */
export const FORBIDDEN_PACKAGES: readonly { readonly layers: readonly string[]; readonly prefix: string; readonly reason: string }[] = [
  { layers: ['util', 'diagnostics', 'ir', 'frontend'], prefix: '@tensorflow/', reason: 'only backend and above may touch tfjs' },
  {
    layers: ['util', 'diagnostics', 'ir', 'backend', 'inference', 'data'],
    prefix: 'chevrotain',
    reason: 'the parser library belongs to the front end',
  },
];

export interface SourceImports {
  /** Path relative to the repository root, with '/' separators: `src/frontend/check.ts`. */
  readonly file: string;
  /** Module specifiers as written: `'../ir/ir.js'`, `'@tensorflow/tfjs'`. */
  readonly imports: readonly string[];
}

/** The layer a file under src/ belongs to, or undefined for a path outside src/. */
export function layerOf(file: string): string | undefined {
  const parts = posix.normalize(file).split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  if (parts.length === 2) return /^index\.(d\.)?ts$|^index\.js$/.test(parts[1]!) ? ROOT_LAYER : `<src/${parts[1]}>`;
  return parts[1];
}

/** `file -> import: why` for every import that breaks a rule. */
export function findViolations(files: readonly SourceImports[]): string[] {
  const violations: string[] = [];
  for (const { file, imports } of files) {
    const from = layerOf(file);
    for (const spec of imports) {
      const why = checkImport(file, from, spec);
      if (why !== undefined) violations.push(`${file} -> ${spec}: ${why}`);
    }
  }
  return violations;
}

function checkImport(file: string, from: string | undefined, spec: string): string | undefined {
  if (from === undefined) return 'the importing file is not under src/';
  const known = from === ROOT_LAYER || from in ALLOWED;
  if (!known) return `'${from}' is not a known layer; add it to ALLOWED in test/architecture/layering.ts`;
  if (!spec.startsWith('.')) {
    const rule = FORBIDDEN_PACKAGES.find((r) => r.layers.includes(from) && (spec === r.prefix || spec.startsWith(r.prefix)));
    return rule === undefined ? undefined : `${from} may not import ${rule.prefix}* (${rule.reason})`;
  }
  const target = posix.join(posix.dirname(file), spec);
  const to = layerOf(target);
  if (to === undefined) return 'imports from outside src/';
  if (to === from) return undefined;
  if (to === ROOT_LAYER) return 'nothing under src/ may import the package entry src/index.ts';
  if (from === ROOT_LAYER) return undefined;
  if (!(to in ALLOWED)) return `'${to}' is not a known layer`;
  return ALLOWED[from]!.includes(to) ? undefined : `${from} may not import ${to} (allowed: ${ALLOWED[from]!.join(', ') || 'nothing'})`;
}
