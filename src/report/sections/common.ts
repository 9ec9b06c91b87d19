/** Small helpers shared by the section renderers. */
import type { Figure } from '../html/index.js';
import type { RunResults, SectionId } from '../run-results.js';

/** `-812.4 ± 1.2` with `digits` decimals. */
export function pm(mean: number, error: number, digits = 3): string {
  if (!Number.isFinite(mean)) return 'n/a';
  return Number.isFinite(error) ? `${mean.toFixed(digits)} ± ${error.toFixed(digits)}` : mean.toFixed(digits);
}

export const svg = (markup: string, caption: string): Figure => ({ kind: 'svg', svg: markup, caption });

export const png = (bytes: Buffer, caption: string, alt: string): Figure => ({ kind: 'png', png: bytes, caption, alt });

/** A paragraph of warnings (empty when none). */
export function warningNote(warnings: readonly (string | undefined)[]): string {
  const list = warnings.filter((w): w is string => w !== undefined);
  return list.length === 0 ? '' : `\n\nWarning — ${list.join('; ')}.`;
}

/** A paragraph listing the runs a section skipped and why (empty when none). */
export function skippedNote(runs: readonly RunResults[], id: SectionId): string {
  const notes = runs.flatMap((r) => (r.skipped[id] ? [`${r.run.name}: ${r.skipped[id]}`] : []));
  return notes.length === 0 ? '' : `\n\nNot shown — ${notes.join('; ')}.`;
}

/** The skip reasons of a section by run name, for report.json. */
export function skippedJson(runs: readonly RunResults[], id: SectionId): Record<string, string> | undefined {
  const entries = runs.flatMap((r) => (r.skipped[id] ? [[r.run.name, r.skipped[id]] as const] : []));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
