import { error, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Span } from '../../diagnostics/span.js';

/** Collects every diagnostic of a check (the checker never stops at the first). */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: DiagnosticCode, message: string, span: Span, hint?: string): void {
    this.diagnostics.push(error(code, message, span, hint));
  }

  warning(code: DiagnosticCode, message: string, span: Span, hint?: string): void {
    this.diagnostics.push(warning(code, message, span, hint));
  }
}
