import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawText, textWidthPx } from '../../src/report/plots/bitmap-font.js';
import { greyScale, gridLayout, imageGrid } from '../../src/report/plots/image-grid.js';

/** Variance of the red channel over all pixels (0 for a blank image). */
function variance(png: PNG): number {
  let sum = 0;
  let squares = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const v = png.data[i * 4]!;
    sum += v;
    squares += v * v;
  }
  return squares / n - (sum / n) ** 2;
}

function pixel(png: PNG, x: number, y: number): number[] {
  const at = (y * png.width + x) * 4;
  return [...png.data.subarray(at, at + 4)];
}

/** An 8 x 6 image whose values run from -1 to 1 along the columns, scaled by `gain`. */
function ramp(gain: number): Float32Array {
  return Float32Array.from({ length: 8 * 6 }, (_, i) => gain * (((i % 6) / 5) * 2 - 1));
}

describe('imageGrid', () => {
  const images = Array.from({ length: 7 }, (_, k) => ramp(k + 1));

  it('tiles images into a PNG of the expected size with 1 px gaps', () => {
    const png = PNG.sync.read(imageGrid({ images, height: 8, width: 6, columns: 3 }));
    // 3 columns of 6*3 px with 2 gaps; 3 rows of 8*3 px with 2 gaps.
    expect([png.width, png.height]).toEqual([3 * 18 + 2, 3 * 24 + 2]);
    expect(variance(png)).toBeGreaterThan(0);
    expect(pixel(png, 18, 0)).toEqual([255, 255, 255, 255]); // the gap after the first tile
    expect(pixel(png, 0, 0)).toEqual([0, 0, 0, 255]); // each image's own minimum is black
    expect(pixel(png, 17, 0)).toEqual([255, 255, 255, 255]); // ... and its maximum white
  });

  it('scales each cell to scale x scale pixels', () => {
    const png = PNG.sync.read(imageGrid({ images: [ramp(1)], height: 8, width: 6, columns: 4, scale: 5 }));
    expect([png.width, png.height]).toEqual([30, 40]);
    expect(pixel(png, 0, 0)).toEqual(pixel(png, 4, 4));
    expect(pixel(png, 4, 0)).not.toEqual(pixel(png, 5, 0));
  });

  it('puts zero at mid grey on a symmetric scale, per image', () => {
    const half = Float32Array.from({ length: 4 }, (_, i) => [0, 0.5, -0.25, 0][i]!);
    const png = PNG.sync.read(imageGrid({ images: [half], height: 2, width: 2, columns: 1, scale: 1, symmetric: true }));
    expect(pixel(png, 0, 0).slice(0, 3)).toEqual([128, 128, 128]);
    expect(pixel(png, 1, 0)[0]).toBe(255);
    expect(pixel(png, 0, 1)[0]).toBe(64);
    expect(greyScale([0, 0], true)(0)).toBe(128);
    expect(greyScale([3, 3], false)(3)).toBe(128);
  });

  it('draws labels in a band above each tile', () => {
    const plain = gridLayout({ images, height: 8, width: 6, columns: 3 });
    const labels = images.map((_, k) => `z${k}`);
    const layout = gridLayout({ images, height: 8, width: 6, columns: 3, labels });
    expect(layout.labelHeight).toBe(10);
    const png = PNG.sync.read(imageGrid({ images, height: 8, width: 6, columns: 3, labels }));
    expect([png.width, png.height]).toEqual([plain.pngWidth, plain.pngHeight + 3 * 10]);
    const band = Array.from({ length: 18 * 10 }, (_, i) => pixel(png, i % 18, Math.floor(i / 18))[0]!);
    expect(band.some((v) => v < 128)).toBe(true);
  });

  it('doubles the label font when every label fits its tile that way', () => {
    const wide = Array.from({ length: 2 }, () => new Float32Array(28 * 28));
    expect(gridLayout({ images: wide, height: 28, width: 28, columns: 2, labels: ['z1', 'z2'] })).toMatchObject({ fontScale: 2, labelHeight: 17 });
    expect(gridLayout({ images: wide, height: 28, width: 28, columns: 2, labels: ['z1', 'a long label'] })).toMatchObject({ fontScale: 1, labelHeight: 10 });
  });

  it('marks non-finite cells in magenta', () => {
    const png = PNG.sync.read(imageGrid({ images: [Float32Array.from([Number.NaN, 1, 2, 3])], height: 2, width: 2, columns: 1, scale: 1 }));
    expect(pixel(png, 0, 0)).toEqual([255, 0, 255, 255]);
  });

  it('names the bad argument', () => {
    expect(() => imageGrid({ images: [new Float32Array(5)], height: 2, width: 2, columns: 1 })).toThrow(/'images\[0\]' passed to 'imageGrid' has length 5, expected height \* width = 2 \* 2 = 4/);
    expect(() => imageGrid({ images: [], height: 2, width: 2, columns: 1 })).toThrow(/at least one image/);
    expect(() => imageGrid({ images: [new Float32Array(4)], height: 2, width: 2, columns: 0 })).toThrow(/'columns'/);
    expect(() => imageGrid({ images: [new Float32Array(4)], height: 2, width: 2, columns: 1, labels: [] })).toThrow(/'labels'/);
  });
});

describe('bitmap font', () => {
  it('inks glyph pixels and leaves the rest', () => {
    const width = 20;
    const rgba = new Uint8Array(width * 7 * 4);
    drawText(rgba, width, 0, 0, '1l', [9, 9, 9]);
    const inked = Array.from({ length: width * 7 }, (_, i) => rgba[i * 4 + 3] === 255).filter(Boolean).length;
    expect(inked).toBe(10 + 10); // '1' and 'l' have 10 ink pixels each in this font
    expect(textWidthPx('ab')).toBe(11);
  });

  it('draws unknown characters as "?" and clips at the buffer edge', () => {
    const a = new Uint8Array(6 * 7 * 4);
    const b = new Uint8Array(6 * 7 * 4);
    drawText(a, 6, 0, 0, '€', [0, 0, 0]);
    drawText(b, 6, 0, 0, '?', [0, 0, 0]);
    expect(a).toEqual(b);
    expect(() => drawText(a, 6, 3, 5, 'WW', [0, 0, 0], 2)).not.toThrow();
  });
});
