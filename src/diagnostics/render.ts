import type { Diagnostic } from './diagnostic.js';

/**
 * Renders a diagnostic like stanc3 and rustc:
 *
 * ```text
 * models/x.ppl:12:9: error PPL2003: network 'decoder' expects 450 inputs but got 20
 *    12 |   x ~ Normal(decoder(z2), 0.4)
 *       |              ^^^^^^^^^^^
 *   hint: ...
 * ```
 *
 * @param diagnostic the diagnostic to render
 * @param fileName the name printed before the position
 * @param source the full source text the span points into
 */
export function renderDiagnostic(diagnostic: Diagnostic, fileName: string, source: string): string {
  const { start, end } = diagnostic.span;
  const header = `${fileName}:${start.line}:${start.column}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
  const lines = source.split(/\r\n|\r|\n/);
  const lineText = (lines[start.line - 1] ?? '').replace(/\t/g, ' ');
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const endColumn = end.line === start.line ? end.column : lineText.length + 1;
  const width = Math.max(1, endColumn - start.column);
  const caret = ' '.repeat(Math.max(0, start.column - 1)) + '^'.repeat(width);
  const out = [header, `${pad} |`, `${start.line} | ${lineText}`, `${pad} | ${caret}`];
  if (diagnostic.hint !== undefined) out.push(`${pad} = hint: ${diagnostic.hint}`);
  return out.join('\n');
}

/** Renders a list of diagnostics separated by blank lines, ending with a summary line. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], fileName: string, source: string): string {
  const blocks = diagnostics.map((d) => renderDiagnostic(d, fileName, source));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  blocks.push(`${fileName}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return blocks.join('\n\n') + '\n';
}
