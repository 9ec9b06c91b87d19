import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/render.js';

/** A model that does not check: carries the diagnostics and their rendering. */
export class StrataError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly fileName: string,
    source: string,
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(`${fileName} has ${errors} error${errors === 1 ? '' : 's'}:\n${renderDiagnostics(diagnostics, fileName, source)}`);
    this.name = 'StrataError';
  }
}
