import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/data-error.js';
import { DATASET_NAMES, datasetName, parseDatasetSpec } from '../../src/data/dataset-spec.js';

describe('parseDatasetSpec', () => {
  it('parses every dataset name', () => {
    expect(parseDatasetSpec('natural')).toEqual({ kind: 'natural', source: 'auto' });
    expect(parseDatasetSpec('natural:olshausen')).toEqual({ kind: 'natural', source: 'olshausen' });
    expect(parseDatasetSpec('natural:deadleaves')).toEqual({ kind: 'natural', source: 'deadleaves' });
    expect(parseDatasetSpec('textures:brodatz')).toEqual({ kind: 'textures', scan: 'brodatz' });
    expect(parseDatasetSpec('textures')).toEqual({ kind: 'textures', scan: 'brodatz' });
    expect(parseDatasetSpec('mnist:binarized')).toEqual({ kind: 'mnist', binarization: 'fixed' });
    expect(parseDatasetSpec('mnist:dynamic')).toEqual({ kind: 'mnist', binarization: 'dynamic' });
    expect(parseDatasetSpec('file:data/x:y.npy')).toEqual({ kind: 'file', path: 'data/x:y.npy' });
  });

  it('round-trips names through datasetName', () => {
    for (const name of DATASET_NAMES.filter((n) => n !== 'textures')) {
      const text = name === 'file:PATH' ? 'file:a/b.f32' : name;
      expect(datasetName(parseDatasetSpec(text))).toBe(text);
    }
  });

  it('lists the known names for an unknown one', () => {
    const error = (() => {
      try {
        parseDatasetSpec('foo');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(
      "unknown dataset 'foo'; known: natural, natural:olshausen, natural:hyvarinen, natural:shouval, natural:deadleaves, textures, textures:brodatz, textures:brodatz1024, mnist:binarized, mnist:dynamic, file:PATH",
    );
  });

  it('suggests a close name, asks for a variant, and needs a path', () => {
    expect(() => parseDatasetSpec('natural:olshasen')).toThrow("(did you mean 'natural:olshausen'?)");
    expect(() => parseDatasetSpec('mnist')).toThrow("dataset 'mnist' needs a variant: mnist:binarized or mnist:dynamic");
    expect(() => parseDatasetSpec('file:')).toThrow("dataset 'file:' needs a path");
  });
});
