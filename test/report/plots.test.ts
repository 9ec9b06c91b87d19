import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/report/plots/bar-chart.js';
import { heatmap } from '../../src/report/plots/heatmap.js';
import { binCounts, histogram } from '../../src/report/plots/histogram.js';
import { lineChart } from '../../src/report/plots/line-chart.js';
import { scatterChart } from '../../src/report/plots/scatter-chart.js';
import { textWidth } from '../../src/report/plots/text-width.js';
import { niceTicks, tickIndices } from '../../src/report/plots/ticks.js';

/**
 * Checks that markup is well-formed enough to be XML: every tag closes in
 * order, attributes are quoted, and there is exactly one root. Returns the
 * root's open tag.
 */
function checkWellFormed(markup: string): string {
  const stack: string[] = [];
  let root: string | undefined;
  let roots = 0;
  for (const m of markup.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [tag, closing, name, , selfClosing] = m;
    if (stack.length === 0 && closing === '') {
      roots++;
      root ??= tag;
    }
    if (closing === '/') expect(stack.pop(), `closing </${name}> without a matching open tag`).toBe(name);
    else if (selfClosing !== '/') stack.push(name!);
  }
  expect(stack, 'unclosed tags').toEqual([]);
  expect(roots).toBe(1);
  // Every '<' must start a tag the pattern above understood (no stray or unquoted markup).
  const tags = [...markup.matchAll(/<[^>]*>/g)].length;
  expect(markup.split('<').length - 1).toBe(tags);
  return root!;
}

/** Root `<svg>` with numeric width and height attributes. */
function svgSize(svg: string): { width: number; height: number } {
  const root = checkWellFormed(svg);
  expect(root.startsWith('<svg')).toBe(true);
  const width = /\swidth="([\d.]+)"/.exec(root);
  const height = /\sheight="([\d.]+)"/.exec(root);
  expect(width).not.toBeNull();
  expect(height).not.toBeNull();
  return { width: Number(width![1]), height: Number(height![1]) };
}

/** The markup inside vega's `<g class="mark-TYPE role-mark [layer_N_marks]">` groups (data marks, not axes or legends). */
function dataMarks(svg: string, type: string, layer?: number): string {
  const start = new RegExp(`<g class="mark-${type} role-mark${layer === undefined ? '' : ` layer_${layer}_marks`}[^"]*"[^>]*>`, 'g');
  return [...svg.matchAll(start)].map((m) => svg.slice(m.index + m[0].length, svg.indexOf('</g>', m.index))).join('');
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

describe('lineChart', () => {
  const series = [
    { name: 'IWAE k=5', points: Array.from({ length: 50 }, (_, i) => [i, -100 + 10 * Math.log1p(i)] as [number, number]) },
    { name: 'VAE k=1', points: Array.from({ length: 50 }, (_, i) => [i, -102 + 9 * Math.log1p(i)] as [number, number]) },
  ];

  it('draws one line per series with axes, title and legend', async () => {
    const svg = await lineChart({ title: 'Test bound', xLabel: 'epoch', yLabel: 'log p(x)', series });
    const { width, height } = svgSize(svg);
    expect(width).toBeGreaterThan(480);
    expect(height).toBeGreaterThan(300);
    const lines = [...dataMarks(svg, 'line').matchAll(/<path [^>]*\sd="([^"]+)"/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(2);
    for (const d of lines) expect(d.length).toBeGreaterThan(20);
    for (const text of ['Test bound', 'epoch', 'log p(x)', 'IWAE k=5', 'VAE k=1']) expect(svg).toContain(`>${text}</text>`);
  });

  it('drops non-finite points and, on a log axis, points at or below zero', async () => {
    const svg = await lineChart({
      title: 'k',
      xLabel: 'k',
      yLabel: 'nats',
      xScale: 'log',
      showPoints: true,
      series: [{ name: 's', points: [[0, 1], [1, 2], [10, Number.NaN], [100, 3], [Infinity, 4]] }],
    });
    svgSize(svg);
    expect(svg).not.toContain('NaN');
    expect(count(dataMarks(svg, 'symbol'), /<path /g)).toBe(2);
  });

  it('renders an empty chart for no series', async () => {
    svgSize(await lineChart({ title: 'Nothing yet', xLabel: 'x', yLabel: 'y', series: [] }));
  });

  it('names the bad argument', async () => {
    await expect(lineChart({ title: '', xLabel: '', yLabel: '', series: [], width: -1 })).rejects.toThrow(/'width' passed to 'lineChart'/);
  });
});

describe('scatterChart', () => {
  it('draws a dot per point, coloured by group with a legend', async () => {
    const points = Array.from({ length: 60 }, (_, i) => ({ x: Math.cos(i), y: Math.sin(i * 1.3), group: `digit ${i % 3}` }));
    const svg = await scatterChart({ title: 'Latent means', xLabel: 'z[0]', yLabel: 'z[1]', points, diagonal: true });
    svgSize(svg);
    expect(count(dataMarks(svg, 'symbol'), /<path /g)).toBe(60);
    expect(count(dataMarks(svg, 'line'), /<path /g)).toBe(1);
    for (const text of ['Latent means', 'digit 0', 'digit 1', 'digit 2']) expect(svg).toContain(`>${text}</text>`);
    expect(new Set([...dataMarks(svg, 'symbol').matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1])).size).toBe(3);
  });
});

describe('histogram', () => {
  it('bins every finite value once; the top edge falls in the last bin', () => {
    const counts = binCounts([0, 0.1, 0.5, 0.99, 1, Number.NaN, -Infinity], 0, 1, 4);
    expect(counts).toEqual([2, 0, 1, 2]);
  });

  it('overlays one bar per bin and group on shared bins', async () => {
    const svg = await histogram({
      title: 'Per-unit KL',
      xLabel: 'nats',
      bins: 12,
      groups: [
        { name: 'VAE', values: Array.from({ length: 500 }, (_, i) => (i % 37) / 10) },
        { name: 'IWAE', values: new Float32Array(300).map((_, i) => (i % 23) / 7) },
      ],
    });
    svgSize(svg);
    expect(count(dataMarks(svg, 'rect'), /<path /g)).toBe(24);
    for (const text of ['Per-unit KL', 'nats', 'count', 'VAE', 'IWAE']) expect(svg).toContain(`>${text}</text>`);
  });

  it('handles a constant sample and rejects a bad bin count', async () => {
    svgSize(await histogram({ title: 'flat', xLabel: 'v', groups: [{ name: 'a', values: [2, 2, 2] }] }));
    await expect(histogram({ title: '', xLabel: '', groups: [], bins: 0 })).rejects.toThrow(/'bins' passed to 'histogram'/);
  });
});

describe('barChart', () => {
  it('draws grouped bars with error bars and a legend of groups', async () => {
    const bars = ['VAE', 'IWAE'].flatMap((label, i) => ['k=1', 'k=5', 'k=50'].map((group, j) => ({ label, group, value: 10 + i + j, error: 0.5 })));
    const svg = await barChart({ title: 'Active units', xLabel: 'objective', yLabel: 'units', bars });
    svgSize(svg);
    expect(count(dataMarks(svg, 'rect', 0), /<path /g)).toBe(6);
    expect(count(dataMarks(svg, 'rule', 1), /<line /g)).toBe(6);
    expect(count(dataMarks(svg, 'rect', 2) + dataMarks(svg, 'rect', 3), /<path /g)).toBe(12);
    for (const text of ['Active units', 'VAE', 'IWAE', 'k=1', 'k=5', 'k=50']) expect(svg).toContain(`>${text}</text>`);
  });

  it('leaves out error bars when no bar has an error', async () => {
    const svg = await barChart({ title: 'NLL', xLabel: 'model', yLabel: 'nats', bars: [{ label: 'a', value: 86.8 }, { label: 'b', value: 84.8 }] });
    expect(count(dataMarks(svg, 'rect'), /<path /g)).toBe(2);
    expect(dataMarks(svg, 'rule')).toBe('');
  });
});

describe('chart text', () => {
  it('is escaped in the SVG', async () => {
    const svg = await barChart({ title: '<script>alert(1)</script>', xLabel: 'a & b', yLabel: 'y', bars: [{ label: '<b>', value: 1 }] });
    checkWellFormed(svg);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('is measured with Helvetica widths, not 0.8 em per character', () => {
    expect(textWidth('epoch', 12)).toBeCloseTo((556 * 4 + 500) / 1000 * 12, 6);
    expect(textWidth('W', 10, true)).toBeGreaterThan(textWidth('W', 10));
  });
});

describe('every chart kind', () => {
  it('is well-formed SVG with its title', async () => {
    const matrix = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.cos(i - j)));
    const charts = {
      line: await lineChart({ title: 'T line', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[0, 1], [1, 2]] }] }),
      scatter: await scatterChart({ title: 'T scatter', xLabel: 'x', yLabel: 'y', points: [{ x: 1, y: 2, group: 'g' }] }),
      histogram: await histogram({ title: 'T histogram', xLabel: 'x', groups: [{ name: 'g', values: [1, 2, 3] }] }),
      bar: await barChart({ title: 'T bar', xLabel: 'x', yLabel: 'y', bars: [{ label: 'a', value: 1, error: 0.1 }] }),
      'confusion heatmap': await heatmap({ title: 'T confusion heatmap', matrix: [[5, 1], [0, 7]], scheme: 'sequential' }),
      'vega heatmap': await heatmap({ title: 'T vega heatmap', matrix: matrix(30), xLabel: 'unit' }),
      'raster heatmap': await heatmap({ title: 'T raster heatmap', matrix: matrix(80), xLabel: 'unit', yLabel: 'unit', legendTitle: 'r' }),
    };
    for (const [kind, svg] of Object.entries(charts)) {
      const { width, height } = svgSize(svg);
      expect(width * height, kind).toBeGreaterThan(100 * 100);
      expect(svg, kind).toContain(`>T ${kind}</text>`);
    }
  });
});

describe('ticks', () => {
  it('labels every index of a small matrix and round multiples of a large one', () => {
    expect(tickIndices(5, 12)).toEqual([0, 1, 2, 3, 4]);
    expect(tickIndices(450, 10)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400]);
    expect(tickIndices(64, 24)).toEqual(Array.from({ length: 13 }, (_, i) => i * 5));
  });

  it('picks round colour-bar ticks with the decimals the step needs', () => {
    expect(niceTicks(-1, 1).map((t) => t.label)).toEqual(['−1.0', '−0.5', '0.0', '0.5', '1.0']);
    expect(niceTicks(0, 989).map((t) => t.label)).toEqual(['0', '200', '400', '600', '800']);
  });
});

describe('count axes', () => {
  /** The numeric tick labels of an SVG chart. */
  const tickLabels = (svg: string) => [...svg.matchAll(/>(−?\d+(?:\.\d+)?)<\/text>/g)].map((m) => m[1]!);

  it('a bar chart of counts (integer) and a count histogram label integers only, where plain ticks were 0.2, 0.4, ...', async () => {
    const bars = [{ label: 'run a', value: 1 }, { label: 'run b', value: 2 }, { label: 'run c', value: 1 }];
    const plain = tickLabels(await barChart({ title: 'Active', xLabel: 'run', yLabel: 'units', bars }));
    expect(plain.some((l) => l.includes('.'))).toBe(true); // what the report showed for active-unit counts
    const counts = tickLabels(await barChart({ title: 'Active', xLabel: 'run', yLabel: 'units', bars, integer: true }));
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.every((l) => /^\d+$/.test(l))).toBe(true);
    // A count histogram over x in [10, 50] (integer x ticks too): every label an integer.
    const hist = tickLabels(await histogram({ title: 'H', xLabel: 'v', bins: 4, groups: [{ name: 'g', values: [11, 25, 26, 49] }] }));
    expect(hist.length).toBeGreaterThan(3);
    expect(hist.every((l) => /^\d+$/.test(l))).toBe(true);
  });
});
