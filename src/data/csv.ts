/**
 * CSV data files (`file:data.csv`): one row per line, numbers separated by
 * commas, an optional header line of column names (the first line is a
 * header when none of its cells is empty and some is not a number), blank
 * lines ignored, surrounding spaces trimmed. No quoting: cells are numbers,
 * so a quoted cell is an error like any other non-number. Values are parsed
 * as float64 and rounded to float32; one that rounds to infinity is an error
 * (`3.4028235e+38`, float32's largest value as NumPy prints it, is not).
 */
import { fileError } from './data-error.js';
import { readWholeFile } from './file-io.js';
import type { RawArray } from './raw-array.js';

/** A decimal or scientific number, as JavaScript's Number() reads it, without hex, Infinity or the empty string. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a CSV file of numbers into a `[rows, cols]` float32 array.
 * @throws DataError naming the file and line: ragged rows, a cell that is not a number, no data rows
 */
export async function readCsv(path: string): Promise<RawArray> {
  const text = (await readWholeFile(path)).toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  let cols: number | undefined;
  let columns: string[] | undefined;
  const values: number[] = [];
  let rows = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const lineNo = index + 1;
    if (cols === undefined && columns === undefined && rows === 0 && cells.every((c) => c !== '') && cells.some((c) => !NUMBER.test(c))) {
      columns = cells; // the header
      return;
    }
    const want = cols ?? columns?.length;
    if (want !== undefined && cells.length !== want) throw fileError(path, `line ${lineNo} has ${cells.length} columns but ${columns && cols === undefined ? 'the header has' : 'the rows before it have'} ${want}`);
    cols = cells.length;
    cells.forEach((cell, c) => {
      if (!NUMBER.test(cell)) throw fileError(path, `line ${lineNo}, column ${c + 1}: ${JSON.stringify(cell)} is not a number`);
      const v = Number(cell);
      if (!Number.isFinite(Math.fround(v))) throw fileError(path, `line ${lineNo}, column ${c + 1}: ${cell} is beyond float32's range (±3.4e38)`);
      values.push(v);
    });
    rows++;
  });
  if (rows === 0 || cols === undefined) throw fileError(path, 'no data rows (only blank lines or a header)');
  return { path, dtype: 'float32', shape: [rows, cols], data: Float32Array.from(values), header: { source: 'csv', ...(columns ? { columns } : {}) } };
}
