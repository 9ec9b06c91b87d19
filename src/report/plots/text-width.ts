/**
 * Text widths without a canvas. Node has no font metrics, and vega's fallback
 * guesses 0.8 em per character, which truncates axis labels early and leaves
 * wide gaps around axes and legends; the Helvetica / Arial advance widths
 * below (from the standard Helvetica AFM, per 1000 em) are within a few
 * percent of what a browser draws with the report's font stack.
 */
import * as vega from 'vega';

// Printable ASCII from ' ' (32) to '~' (126).
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' .. '/'
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' .. '?'
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' .. 'O'
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' .. '_'
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' .. 'o'
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' .. '~'
];

/** Bold Helvetica runs about 7% wider than regular. */
const BOLD_FACTOR = 1.07;

/**
 * Width in pixels of one line of `text` in Helvetica/Arial at `fontSize`
 * (characters outside ASCII count as a digit's width).
 *
 * @example textWidth('epoch', 12) // ≈ 31
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? HELVETICA[code - 32]! : 556;
  }
  return (units / 1000) * fontSize * (bold ? BOLD_FACTOR : 1);
}

interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
}

/**
 * Points vega's text measurement at {@link textWidth} (the hook vl-convert
 * uses for the same purpose). Idempotent; affects every vega view in the
 * process, which only ever improves on the 0.8 em estimate.
 */
export function useHelveticaMetrics(): void {
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const line = text == null ? '' : String(text).trim();
    const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const width = textWidth(line, size, bold);
    // vega measures truncated text: a line wider than `limit` is cut to fit it.
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}
