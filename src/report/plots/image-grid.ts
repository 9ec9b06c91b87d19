import { drawText, GLYPH_ADVANCE, GLYPH_HEIGHT, textWidthPx } from './bitmap-font.js';
import { encodePng } from './png.js';

export interface ImageGridOptions {
  /** Each image `[height * width]`, row-major (a filter, a projective field, a digit). */
  readonly images: readonly ArrayLike<number>[];
  readonly height: number;
  readonly width: number;
  /** Tiles per row (clamped to the number of images). */
  readonly columns: number;
  /** Screen pixels per image cell (default 3). */
  readonly scale?: number;
  /** Grey scale symmetric around 0 per image (0 = mid grey, ±max|v| = black/white); else min..max per image. */
  readonly symmetric?: boolean;
  /** A label drawn above each tile (cut to the tile's width). */
  readonly labels?: readonly string[];
  /** Colour of the 1 px gaps and label bands (default white). */
  readonly background?: readonly [number, number, number];
}

/** Colour of non-finite cells, so a NaN filter stands out instead of passing as grey. */
const NON_FINITE: readonly [number, number, number] = [255, 0, 255];
const INK: readonly [number, number, number] = [34, 34, 34];
const GAP = 1;

/** Layout of an image grid in PNG pixels. */
export interface GridLayout {
  readonly columns: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Height of the label band above each tile (0 without labels). */
  readonly labelHeight: number;
  readonly fontScale: number;
  readonly pngWidth: number;
  readonly pngHeight: number;
}

/**
 * Where the tiles go: `columns x rows` tiles of `(width * scale) x (height * scale)`
 * pixels, each with a label band of 7·fontScale + 3 px above it when labelled
 * (font pixels doubled when every label fits the tile that way),
 * 1 px gaps between tiles and none around the edge.
 */
export function gridLayout(o: ImageGridOptions): GridLayout {
  const scale = o.scale ?? 3;
  const columns = Math.min(o.columns, o.images.length);
  const rows = Math.ceil(o.images.length / columns);
  const tileWidth = o.width * scale;
  const tileHeight = o.height * scale;
  const fitsDouble = o.labels !== undefined && o.labels.every((l) => textWidthPx(l) * 2 <= tileWidth);
  const fontScale = fitsDouble ? 2 : 1;
  const labelHeight = o.labels === undefined ? 0 : GLYPH_HEIGHT * fontScale + 3;
  return {
    columns,
    rows,
    tileWidth,
    tileHeight,
    labelHeight,
    fontScale,
    pngWidth: columns * tileWidth + (columns - 1) * GAP,
    pngHeight: rows * (labelHeight + tileHeight) + (rows - 1) * GAP,
  };
}

/**
 * Tiles images into one PNG, each scaled up by `scale` with square pixels and
 * its own grey scale, for looking at learned filters and projective fields.
 *
 * @returns the PNG file's bytes, `gridLayout(o).pngWidth x pngHeight` pixels
 * @example imageGrid({ images: fields, height: 28, width: 28, columns: 10, symmetric: true })
 */
export function imageGrid(o: ImageGridOptions): Buffer {
  checkOptions(o);
  const layout = gridLayout(o);
  const scale = o.scale ?? 3;
  const rgba = new Uint8Array(layout.pngWidth * layout.pngHeight * 4);
  const [br, bg, bb] = o.background ?? [255, 255, 255];
  for (let at = 0; at < rgba.length; at += 4) rgba.set([br, bg, bb, 255], at);
  o.images.forEach((image, n) => {
    const left = (n % layout.columns) * (layout.tileWidth + GAP);
    const top = Math.floor(n / layout.columns) * (layout.labelHeight + layout.tileHeight + GAP);
    const label = o.labels?.[n];
    if (label !== undefined && label !== '') {
      const fits = Math.max(1, Math.floor((layout.tileWidth + 1) / (GLYPH_ADVANCE * layout.fontScale)));
      const shown = [...label].slice(0, fits).join('');
      const x = left + Math.max(0, Math.floor((layout.tileWidth - textWidthPx(shown) * layout.fontScale) / 2));
      drawText(rgba, layout.pngWidth, x, top + 2, shown, INK, layout.fontScale);
    }
    drawTile(rgba, layout.pngWidth, left, top + layout.labelHeight, image, o.height, o.width, scale, o.symmetric === true);
  });
  return encodePng(layout.pngWidth, layout.pngHeight, rgba);
}

function drawTile(
  rgba: Uint8Array,
  pngWidth: number,
  left: number,
  top: number,
  image: ArrayLike<number>,
  height: number,
  width: number,
  scale: number,
  symmetric: boolean,
): void {
  const grey = greyScale(image, symmetric);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const v = image[r * width + c]!;
      const colour = Number.isFinite(v) ? [grey(v), grey(v), grey(v)] : NON_FINITE;
      for (let dy = 0; dy < scale; dy++) {
        const rowStart = ((top + r * scale + dy) * pngWidth + left + c * scale) * 4;
        for (let dx = 0; dx < scale; dx++) {
          rgba.set(colour, rowStart + dx * 4);
          rgba[rowStart + dx * 4 + 3] = 255;
        }
      }
    }
  }
}

/** Value -> grey byte for one image: symmetric maps [-m, m] to [0, 255] with 0 at 128; else [min, max]. Constant images are mid grey. */
export function greyScale(image: ArrayLike<number>, symmetric: boolean): (v: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < image.length; i++) {
    const v = image[i]!;
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m > 0 && Number.isFinite(m) ? (v) => Math.round(127.5 + (127.5 * v) / m) : () => 128;
  }
  return hi > lo ? (v) => Math.round((255 * (v - lo)) / (hi - lo)) : () => 128;
}

function checkOptions(o: ImageGridOptions): void {
  const positive = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`Argument '${name}' passed to 'imageGrid' must be a positive integer, got ${value}`);
  };
  positive('height', o.height);
  positive('width', o.width);
  positive('columns', o.columns);
  positive('scale', o.scale ?? 3);
  if (o.images.length === 0) throw new RangeError("Argument 'images' passed to 'imageGrid' must hold at least one image");
  o.images.forEach((image, n) => {
    if (image.length !== o.height * o.width) {
      throw new RangeError(
        `Argument 'images[${n}]' passed to 'imageGrid' has length ${image.length}, expected height * width = ${o.height} * ${o.width} = ${o.height * o.width}`,
      );
    }
  });
  if (o.labels !== undefined && o.labels.length !== o.images.length) {
    throw new RangeError(`Argument 'labels' passed to 'imageGrid' has ${o.labels.length} labels for ${o.images.length} images`);
  }
}
