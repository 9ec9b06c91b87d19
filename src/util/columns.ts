/**
 * Lays out rows of cells as aligned columns separated by two spaces; trailing
 * spaces are trimmed, and a column is as wide as its widest cell. Cells in
 * `rightAligned` columns (0-based) are padded on the left (for numbers).
 *
 * @example alignColumns([['z1', 'real[450]'], ['z2', 'real[20]']])
 *   // ['z1  real[450]', 'z2  real[20]']
 */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** An integer with thousands separators: 1234567 -> '1,234,567'. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
