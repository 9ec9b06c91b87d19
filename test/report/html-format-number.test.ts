import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/report/html/format-number.js';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [3280, '3,280'],
    [-1234567, '-1,234,567'],
    [0.12345, '0.123'],
    [-86.7612, '-86.8'],
    [0.5, '0.500'],
    [999.96, '1,000'],
    [1234.5, '1,235'],
    [0.000012345, '1.23e-5'],
    [4.56e15, '4.56e15'],
    [Number.NaN, 'NaN'],
    [Infinity, '∞'],
    [-Infinity, '-∞'],
  ])('writes %s as %s', (x, expected) => {
    expect(formatNumber(x)).toBe(expected);
  });

  it('fixes the decimals when asked', () => {
    expect(formatNumber(-86.7612, { decimals: 2 })).toBe('-86.76');
    expect(formatNumber(12345.678, { decimals: 1 })).toBe('12,345.7');
    expect(formatNumber(-0.001, { decimals: 2 })).toBe('0.00');
    expect(formatNumber(0, { decimals: 2 })).toBe('0.00');
    expect(formatNumber(3, { decimals: 0 })).toBe('3');
  });

  it('takes other significant digits', () => {
    expect(formatNumber(Math.PI, { significant: 5 })).toBe('3.1416');
    expect(formatNumber(12345.6, { significant: 5 })).toBe('12,346');
  });

  it('names a bad option', () => {
    expect(() => formatNumber(1.5, { decimals: -1 })).toThrow(/'decimals' passed to 'formatNumber'/);
    expect(() => formatNumber(1.5, { significant: 0 })).toThrow(/'significant' passed to 'formatNumber'/);
  });

  it('stays within 0.5% of any finite double and never writes "e+" or a bare "-0"', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), (x) => {
        const text = formatNumber(x);
        expect(text).not.toMatch(/e\+|^-0$/);
        const back = Number(text.replace(/,/g, ''));
        if (Math.abs(x) < 1e-300) return; // subnormals: 3 digits of the mantissa are all we keep
        expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.abs(x) * 0.005 + 1e-300);
      }),
    );
  });
});
