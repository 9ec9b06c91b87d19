/**
 * Dataset names as written on the command line (`--data natural:olshausen`).
 *
 * | name | meaning |
 * |---|---|
 * | `natural` | Olshausen's whitened images when the data is present, else dead leaves |
 * | `natural:olshausen` / `:hyvarinen` / `:shouval` | real natural images (files) |
 * | `natural:deadleaves` | procedural dead-leaves images (no files) |
 * | `textures` = `textures:brodatz`, `textures:brodatz1024` | labelled Brodatz texture patches |
 * | `mnist:binarized` | Larochelle's fixed binarized MNIST |
 * | `mnist:dynamic` | MNIST, dynamically binarized (Burda et al. 2016) |
 * | `file:PATH` | a .npy file (float32, float64, uint8/bool), a .csv file of numbers, or a raw .f32/.u8 file with its .json header |
 */
import { suggestName } from '../util/suggest.js';
import { DataError } from './data-error.js';
import type { NaturalSource } from './natural.js';
import type { TextureScan } from './textures.js';

export type DatasetSpec =
  | { readonly kind: 'natural'; readonly source: NaturalSource | 'auto' }
  | { readonly kind: 'textures'; readonly scan: TextureScan }
  | { readonly kind: 'mnist'; readonly binarization: 'fixed' | 'dynamic' }
  | { readonly kind: 'file'; readonly path: string };

const NAMED: Readonly<Record<string, DatasetSpec>> = {
  natural: { kind: 'natural', source: 'auto' },
  'natural:olshausen': { kind: 'natural', source: 'olshausen' },
  'natural:hyvarinen': { kind: 'natural', source: 'hyvarinen' },
  'natural:shouval': { kind: 'natural', source: 'shouval' },
  'natural:deadleaves': { kind: 'natural', source: 'deadleaves' },
  textures: { kind: 'textures', scan: 'brodatz' },
  'textures:brodatz': { kind: 'textures', scan: 'brodatz' },
  'textures:brodatz1024': { kind: 'textures', scan: 'brodatz1024' },
  'mnist:binarized': { kind: 'mnist', binarization: 'fixed' },
  'mnist:dynamic': { kind: 'mnist', binarization: 'dynamic' },
};

/** Every dataset name, `file:PATH` last. */
export const DATASET_NAMES: readonly string[] = [...Object.keys(NAMED), 'file:PATH'];

/**
 * Parses a dataset name.
 *
 * @throws DataError "unknown dataset 'foo'; known: natural, natural:olshausen, ..." (with "did you mean" when close)
 * @example parseDatasetSpec('natural:olshausen') // { kind: 'natural', source: 'olshausen' }
 */
export function parseDatasetSpec(text: string): DatasetSpec {
  const name = text.trim();
  const known = NAMED[name];
  if (known !== undefined) return known;
  if (name.startsWith('file:')) {
    const path = name.slice('file:'.length);
    if (path === '') throw new DataError(`dataset 'file:' needs a path, e.g. file:data/x.npy, file:data/x.csv or file:data/x.f32 (with data/x.f32.json)`);
    return { kind: 'file', path };
  }
  const variants = Object.keys(NAMED).filter((n) => n.startsWith(`${name}:`));
  if (variants.length > 0) throw new DataError(`dataset '${name}' needs a variant: ${variants.join(' or ')}`);
  const near = suggestName(name, Object.keys(NAMED));
  throw new DataError(`unknown dataset '${name}'; known: ${DATASET_NAMES.join(', ')}${near === undefined ? '' : ` (did you mean '${near}'?)`}`);
}

/** The canonical name of a parsed spec (inverse of `parseDatasetSpec`). */
export function datasetName(spec: DatasetSpec): string {
  switch (spec.kind) {
    case 'natural':
      return spec.source === 'auto' ? 'natural' : `natural:${spec.source}`;
    case 'textures':
      return `textures:${spec.scan}`;
    case 'mnist':
      return spec.binarization === 'fixed' ? 'mnist:binarized' : 'mnist:dynamic';
    case 'file':
      return `file:${spec.path}`;
  }
}
