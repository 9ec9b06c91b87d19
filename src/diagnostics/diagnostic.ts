import type { Span } from './span.js';
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning';

/**
 * A problem found in a source file, as data: a stable code (PPL1xxx for
 * syntax, PPL2xxx for semantics), a severity, a one-line message, the span it
 * points at and an optional hint on how to fix it.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly hint?: string;
}

/** Builds an error diagnostic. */
export function error(code: DiagnosticCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: 'error', message, span } : { code, severity: 'error', message, span, hint };
}

/** Builds a warning diagnostic. */
export function warning(code: DiagnosticCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { code, severity: 'warning', message, span } : { code, severity: 'warning', message, span, hint };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by position, then code (stable output for golden files). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code),
  );
}
