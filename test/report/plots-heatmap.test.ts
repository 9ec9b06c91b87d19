import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { colourIndex, colourTable, matrixDomain, textColourOn } from '../../src/report/plots/colour-scale.js';
import { heatmap } from '../../src/report/plots/heatmap.js';

/** The PNGs embedded in an SVG as data URIs, decoded. */
function embeddedPngs(svg: string): PNG[] {
  return [...svg.matchAll(/<image [^>]*href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => PNG.sync.read(Buffer.from(m[1]!, 'base64')));
}

/** Texts of the cells' value labels (vega's text marks in the second layer). */
function cellTexts(svg: string): string[] {
  const at = svg.indexOf('<g class="mark-text role-mark');
  if (at < 0) return [];
  const group = svg.slice(at, svg.indexOf('</g>', at));
  return [...group.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG; enough to make a matrix noisy). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('heatmap of a confusion matrix', () => {
  const matrix = [
    [950, 3, 1234],
    [7, 0, 12],
    [0.5, 41, 880],
  ];

  it('prints every value in its cell, formatted, one rect per cell', async () => {
    const svg = await heatmap({ title: 'Confusion', matrix, scheme: 'sequential', xLabel: 'predicted', yLabel: 'true', rowLabels: ['a', 'b', 'c'], colLabels: ['a', 'b', 'c'] });
    expect(cellTexts(svg)).toEqual(['950', '3', '1,234', '7', '0', '12', '0.500', '41', '880']);
    const rects = svg.slice(svg.indexOf('<g class="mark-rect role-mark'));
    expect([...rects.slice(0, rects.indexOf('</g>')).matchAll(/<path /g)]).toHaveLength(9);
    for (const text of ['Confusion', 'predicted', 'true']) expect(svg).toContain(`>${text}</text>`);
    expect(embeddedPngs(svg)).toEqual([]);
  });

  it('writes white on dark cells and black on light ones', async () => {
    const svg = await heatmap({ title: '', matrix: [[0, 100]], scheme: 'sequential' });
    const group = svg.slice(svg.indexOf('<g class="mark-text role-mark'));
    const fills = [...group.matchAll(/<text [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills.slice(0, 2)).toEqual(['#000', '#fff']);
  });

  it('prints no values above 12 x 12 unless asked', async () => {
    const big = Array.from({ length: 13 }, () => new Array<number>(13).fill(1));
    expect(cellTexts(await heatmap({ title: '', matrix: big }))).toEqual([]);
    expect(cellTexts(await heatmap({ title: '', matrix: big, showValues: true }))).toHaveLength(169);
  });

  it('checks the matrix and labels', async () => {
    await expect(heatmap({ title: '', matrix: [[1, 2], [3]] })).rejects.toThrow(/rectangular: row 1 has 1 entries/);
    await expect(heatmap({ title: '', matrix: [[1, 2]], colLabels: ['a'] })).rejects.toThrow(/'colLabels' passed to 'heatmap' has 1 labels for 2 columns/);
  });
});

describe('heatmap of a large correlation matrix', () => {
  const n = 450;
  const random = lcg(1);
  const matrix = Array.from({ length: n }, (_, i) => Float32Array.from({ length: n }, (_, j) => (i === j ? 1 : Math.cos((i - j) / 9) * 0.8 + 0.2 * (random() - 0.5))));

  it('renders 450 x 450 quickly as one embedded PNG with SVG axes and title', async () => {
    const start = performance.now();
    const svg = await heatmap({ title: 'Hidden-unit correlation', matrix, domain: [-1, 1], xLabel: 'unit', yLabel: 'unit', legendTitle: 'r' });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(svg.length).toBeLessThan(2_000_000);
    const [cells, bar] = embeddedPngs(svg);
    expect([cells!.width, cells!.height]).toEqual([n, n]);
    expect([bar!.width, bar!.height]).toEqual([1, 256]);
    expect(svg).not.toContain('mark-rect');
    for (const text of ['Hidden-unit correlation', 'unit', 'r', '0', '400', '−1.0', '1.0']) expect(svg).toContain(`>${text}</text>`);
  });

  it('colours each cell like the vega path does: same table, same domain', async () => {
    const svg = await heatmap({ title: '', matrix, domain: [-1, 1] });
    const cells = embeddedPngs(svg)[0]!;
    const table = colourTable('diverging');
    for (const [i, j] of [[0, 0], [3, 200], [449, 17]] as const) {
      const k = colourIndex(matrix[i]![j]!, [-1, 1], 256);
      const at = (i * n + j) * 4;
      expect([...cells.data.subarray(at, at + 3)]).toEqual([...table.subarray(k * 3, k * 3 + 3)]);
    }
  });

  it('draws non-finite cells grey', async () => {
    const holes = Array.from({ length: 70 }, (_, i) => Array.from({ length: 70 }, (_, j) => (i === j ? Number.NaN : 0.1)));
    const cells = embeddedPngs(await heatmap({ title: '', matrix: holes }))[0]!;
    expect([...cells.data.subarray(0, 4)]).toEqual([217, 217, 217, 255]);
  });
});

describe('colour scales', () => {
  it('run blue to red through a light middle for diverging data, light to dark for sequential', () => {
    const diverging = colourTable('diverging');
    const [r0, , b0] = diverging.subarray(0, 3);
    const [r1, , b1] = diverging.subarray(255 * 3, 256 * 3);
    expect(b0!).toBeGreaterThan(r0!);
    expect(r1!).toBeGreaterThan(b1!);
    expect(textColourOn(diverging.subarray(128 * 3, 129 * 3))).toBe('#000');
    const sequential = colourTable('sequential');
    expect(textColourOn(sequential.subarray(0, 3))).toBe('#000');
    expect(textColourOn(sequential.subarray(255 * 3))).toBe('#fff');
  });

  it('fit a symmetric domain to diverging data and [min, max] to sequential data', () => {
    expect(matrixDomain([[-0.2, 0.5], [Number.NaN, 0]], 'diverging')).toEqual([-0.5, 0.5]);
    expect(matrixDomain([[3, 9]], 'sequential')).toEqual([3, 9]);
    expect(matrixDomain([[4, 4]], 'sequential')).toEqual([4, 5]);
    expect(colourIndex(2, [-1, 1], 256)).toBe(255);
    expect(colourIndex(Number.NaN, [-1, 1], 256)).toBe(-1);
  });
});
