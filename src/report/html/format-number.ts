import { formatCount } from '../../util/columns.js';

/** How {@link formatNumber} writes a number. */
export interface NumberFormat {
  /** Fixed digits after the decimal point (`-86.7612` with 2 -> `-86.76`); overrides `significant`. */
  readonly decimals?: number;
  /** Significant digits for non-integers (default 3). */
  readonly significant?: number;
}

/**
 * A number as a reader wants it in a table or a cell: integers in full with
 * thousands separators (`3280` -> `3,280`), other values to 3 significant
 * digits (`0.12345` -> `0.123`, `-86.7612` -> `-86.8`), rounded to whole
 * numbers from 1,000 up (`1234.5` -> `1,235`), and in exponent form when tiny
 * or huge (`1.23e-5`, `4.56e12`). `NaN` -> `NaN`, `Infinity` -> `∞`, `-0` -> `0`.
 * With `{ decimals }` the digits after the point are fixed instead.
 *
 * @example formatNumber(-86.7612, { decimals: 2 }) === '-86.76'
 */
export function formatNumber(x: number, format: NumberFormat = {}): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return format.decimals !== undefined && format.decimals > 0 ? (0).toFixed(format.decimals) : '0';
  const abs = Math.abs(x);
  if (format.decimals !== undefined) {
    checkDigits('decimals', format.decimals, 0);
    if (abs >= 1e15) return exponential(x, 3);
    const fixed = x.toFixed(format.decimals);
    const [whole, fraction] = fixed.split('.');
    return clean(fraction === undefined ? withSeparators(whole!) : `${withSeparators(whole!)}.${fraction}`);
  }
  const significant = format.significant ?? 3;
  checkDigits('significant', significant, 1);
  if (Number.isInteger(x) && abs < 1e15) return formatCount(x);
  if (abs < 1e-3 || abs >= 1e15) return exponential(x, significant);
  if (abs >= 10 ** Math.max(significant, 3)) return formatCount(Math.round(x));
  const text = x.toPrecision(significant);
  if (text.includes('e')) return formatCount(Math.round(x)); // 999.96 -> '1.00e+3' -> '1,000'
  const [whole, fraction] = text.split('.');
  return clean(fraction === undefined ? withSeparators(whole!) : `${withSeparators(whole!)}.${fraction}`);
}

function exponential(x: number, significant: number): string {
  const [mantissa, exponent] = x.toExponential(significant - 1).split('e');
  return `${mantissa}e${Number(exponent)}`;
}

/** '-12345' -> '-12,345' (the integer part of a number as text). */
function withSeparators(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `-0.00` -> `0.00`: a value that rounds to zero is shown without a sign. */
function clean(text: string): string {
  return /^-[0.,]*$/.test(text) ? text.slice(1) : text;
}

function checkDigits(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 20) {
    throw new RangeError(`Argument '${name}' passed to 'formatNumber' must be an integer from ${min} to 20, got ${value}`);
  }
}
