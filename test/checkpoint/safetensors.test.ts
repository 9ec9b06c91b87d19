/**
 * safetensors: round trips over random names, shapes and dtypes; every
 * malformed file rejected with the file and the problem named; and the bytes
 * parsed by an independent reader written from the specification in Python
 * (read-files.py, numpy only), skipped where python3 or numpy is missing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  SAFETENSORS_DTYPES,
  SafetensorsError,
  writeSafetensors,
  type SafeTensor,
  type SafetensorsDtype,
} from '../../src/driver/checkpoint/safetensors.js';
import { HAS_NUMPY, readWithPython, type PythonSafetensors } from './python-reader.js';


const VALUES: Record<SafetensorsDtype, fc.Arbitrary<number>> = {
  F64: fc.double(),
  F32: fc.float(),
  I32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  I16: fc.integer({ min: -(2 ** 15), max: 2 ** 15 - 1 }),
  I8: fc.integer({ min: -128, max: 127 }),
  U32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  U16: fc.integer({ min: 0, max: 2 ** 16 - 1 }),
  U8: fc.integer({ min: 0, max: 255 }),
};
const ARRAYS = { F64: Float64Array, F32: Float32Array, I32: Int32Array, I16: Int16Array, I8: Int8Array, U32: Uint32Array, U16: Uint16Array, U8: Uint8Array };

const tensorArb: fc.Arbitrary<SafeTensor> = fc
  .record({ dtype: fc.constantFrom(...SAFETENSORS_DTYPES), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }) })
  .chain(({ dtype, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.array(VALUES[dtype], { minLength: n, maxLength: n }).map((values) => ({ dtype, shape, data: ARRAYS[dtype].from(values) }) as SafeTensor);
  });
const nameArb = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('decoder.weight', '__proto__', '0', '17')).filter((s) => s !== '__metadata__');
const tensorsArb = fc.uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([name]) => name, maxLength: 5 }).map((entries) => new Map(entries));
const metadataArb = fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs));

const bytesOf = (t: SafeTensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

function expectSameTensors(actual: ReadonlyMap<string, SafeTensor>, expected: ReadonlyMap<string, SafeTensor>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    const got = actual.get(name)!;
    expect(got.dtype).toBe(t.dtype);
    expect(got.shape).toEqual(t.shape);
    expect(bytesOf(got).equals(bytesOf(t))).toBe(true); // bitwise, NaN payloads and -0 included
  }
}

/** A file from a hand-written header (not padded) and data bytes. */
function rawFile(header: unknown, data: number[] = [], headerText = JSON.stringify(header)): Uint8Array {
  const json = Buffer.from(headerText, 'utf8');
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
const sample = new Map<string, SafeTensor>([
  ['decoder.weight', { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, -0, 1e-30]) }],
  ['iter', { dtype: 'I32', shape: [], data: Int32Array.of(-7) }],
  ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
  ['mask', { dtype: 'U8', shape: [3], data: Uint8Array.of(0, 255, 7) }],
  ['wide', { dtype: 'F64', shape: [2], data: Float64Array.of(Math.PI, -1e300) }],
  ['small', { dtype: 'I16', shape: [1, 1], data: Int16Array.of(-300) }],
]);

describe('safetensors round trip', () => {
  it('decode(encode(tensors, metadata)) gives back every tensor bit for bit and the metadata', () => {
    fc.assert(
      fc.property(tensorsArb, metadataArb, (tensors, metadata) => {
        const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata), 'x.safetensors');
        expectSameTensors(decoded.tensors, tensors);
        expect(Object.entries(decoded.metadata).sort()).toEqual(Object.entries(metadata).sort());
      }),
    );
  });

  it('the arbitraries cover every dtype, scalars, empty tensors and empty files', () => {
    const files = fc.sample(tensorsArb, { numRuns: 500, seed: 1 });
    const tensors = files.flatMap((m) => [...m.values()]);
    expect(new Set(tensors.map((t) => t.dtype))).toEqual(new Set(SAFETENSORS_DTYPES));
    expect(tensors.some((t) => t.shape.length === 0)).toBe(true);
    expect(tensors.some((t) => t.data.length === 0 && t.shape.length > 0)).toBe(true);
    expect(files.some((m) => m.size === 0)).toBe(true);
  });

  it('lays the file out as the specification says: padded header, contiguous data from 0, in the given order', () => {
    const bytes = encodeSafetensors(sample, { format: 'test' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(text.startsWith('{"__metadata__":{"format":"test"}')).toBe(true);
    expect(text.trimEnd().endsWith('}')).toBe(true);
    const header = JSON.parse(text) as Record<string, { data_offsets: [number, number] }>;
    expect(header['decoder.weight']!.data_offsets).toEqual([0, 24]);
    expect(header['iter']!.data_offsets).toEqual([24, 28]);
    expect(header['empty']!.data_offsets).toEqual([28, 28]);
    expect(header['mask']!.data_offsets).toEqual([28, 31]);
    expect(bytes.length).toBe(8 + n + 24 + 4 + 3 + 16 + 2);
    expect([...decodeSafetensors(bytes, 'x').tensors.keys()]).toEqual([...sample.keys()]);
  });

  it('refuses tensors whose values do not fill their shape, and the reserved name', () => {
    expect(() => encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(/'w' has shape \[2, 2\] \(4 values\) but 3/);
    expect(() => encodeSafetensors(new Map([['__metadata__', { dtype: 'U8', shape: [], data: Uint8Array.of(1) }]]))).toThrow(/reserved/);
  });

  it('writes and reads files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-st-'));
    try {
      await writeSafetensors(join(dir, 'a.safetensors'), sample, { k: 'v' });
      const read = await readSafetensors(join(dir, 'a.safetensors'));
      expectSameTensors(read.tensors, sample);
      expect(read.metadata).toEqual({ k: 'v' });
      await expect(readSafetensors(join(dir, 'missing.safetensors'))).rejects.toThrow(/cannot read '.*missing\.safetensors': no such file/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('safetensors validation', () => {
  const good = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', Uint8Array.of(1, 2, 3), /has 3 bytes, too few/],
    ['a header length past the end', (() => { const b = rawFile(good, [...f32([1, 2])]); new DataView(b.buffer).setBigUint64(0, 10_000n, true); return b; })(), /header length 10000 runs past the end of the 70-byte file \(truncated file\?\)/],
    ['a header length over the limit', (() => { const b = rawFile(good, [...f32([1, 2])]); new DataView(b.buffer).setBigUint64(0, 2n ** 63n, true); return b; })(), /header length 9223372036854775808 is over the 100000000-byte limit/],
    ['a header that is not JSON', rawFile(null, [], '{"w": {"dtype": "F32",'), /not valid JSON/],
    ['a header that does not start with {', rawFile(null, [], ' {}'), /does not start with '\{'/],
    ['a header that is a list', rawFile(null, [], '[1, 2]'), /does not start with|not a JSON object/],
    ['invalid UTF-8', rawFile(null, [], '{"a": 1}').map((b, i) => (i === 10 ? 0xff : b)), /the header is not valid UTF-8/],
    ['an unknown dtype', rawFile({ w: { dtype: 'F17', shape: [2], data_offsets: [0, 8] } }, [...f32([1, 2])]), /tensor 'w' has dtype "F17"/],
    ['a negative dimension', rawFile({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, [...f32([1, 2])]), /tensor 'w' has shape \[-2\]/],
    ['offsets past the data (truncated)', rawFile(good, [...f32([1, 2])].slice(0, 6)), /tensor 'w' has data_offsets \[0, 8\] outside the 6-byte data section/],
    ['a byte length that does not match the shape', rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, [...f32([1, 2])]), /'w' has 8 bytes but shape \[3\] of F32 needs 12/],
    [
      'overlapping tensors',
      rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [...f32([1, 2])]),
      /tensor 'b' at data_offsets \[4, 8\] overlaps/,
    ],
    ['a gap in the data', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [...f32([1, 2])]), /leaves a gap of 4 bytes/],
    ['bytes after the last tensor', rawFile(good, [...f32([1, 2, 3])]), /data section has 12 bytes but the tensors cover 8/],
    ['metadata that is not strings', rawFile({ __metadata__: { a: 1 } }), /'__metadata__' must be an object of strings/],
    ['offsets that are not a pair', rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, [...f32([1, 2])]), /data_offsets \[0\], not \[begin, end\]/],
  ];
  it.each(cases)('rejects %s, naming the file', (_, bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'ck/params.safetensors')).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes, 'ck/params.safetensors')).toThrow(/^cannot read 'ck\/params\.safetensors': /);
    expect(() => decodeSafetensors(bytes, 'ck/params.safetensors')).toThrow(message);
  });

  it('rejects every truncation of a valid file', () => {
    fc.assert(
      fc.property(tensorsArb, fc.nat(), (tensors, cut) => {
        const bytes = encodeSafetensors(tensors);
        const truncated = bytes.subarray(0, cut % bytes.length);
        expect(() => decodeSafetensors(truncated, 'x')).toThrow(SafetensorsError);
      }),
    );
  });

  it('any single corrupted byte gives a tensor map or a SafetensorsError, never another exception', () => {
    fc.assert(
      fc.property(tensorsArb.filter((m) => m.size > 0), fc.nat(), fc.integer({ min: 1, max: 255 }), (tensors, at, xor) => {
        const bytes = encodeSafetensors(tensors).slice();
        bytes[at % bytes.length] ^= xor;
        try {
          decodeSafetensors(bytes, 'x');
        } catch (error) {
          expect(error).toBeInstanceOf(SafetensorsError);
        }
      }),
    );
  });
});

describe.skipIf(!HAS_NUMPY)('safetensors read by an independent Python reader (numpy)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-st-py-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('parses what Strata writes, with the same names, dtypes, shapes, values and metadata', async () => {
    const path = join(dir, 'sample.safetensors');
    await writeSafetensors(path, sample, { format: 'strata-params-1', note: 'ünïcode ✓' });
    const [parsed] = readWithPython<PythonSafetensors>('safetensors', [path]);
    expect(parsed!.metadata).toEqual({ format: 'strata-params-1', note: 'ünïcode ✓' });
    expect(Object.keys(parsed!.tensors).sort()).toEqual([...sample.keys()].sort());
    for (const [name, t] of sample) {
      expect(parsed!.tensors[name]).toEqual({ dtype: t.dtype, shape: [...t.shape], values: Array.from(t.data) });
    }
  });

  it('parses random files', async () => {
    const finite = fc
      .uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([n]) => n, maxLength: 4 })
      .map((entries) => new Map(entries))
      .filter((m) => [...m.values()].every((t) => Array.from(t.data).every(Number.isFinite)));
    const files = fc.sample(finite, { numRuns: 30, seed: 7 });
    const paths = files.map((_, i) => join(dir, `random-${i}.safetensors`));
    await Promise.all(files.map((tensors, i) => writeSafetensors(paths[i]!, tensors)));
    const parsed = readWithPython<PythonSafetensors>('safetensors', paths);
    files.forEach((tensors, i) => {
      expect(Object.keys(parsed[i]!.tensors).sort()).toEqual([...tensors.keys()].sort());
      for (const [name, t] of tensors) expect(parsed[i]!.tensors[name]).toEqual({ dtype: t.dtype, shape: [...t.shape], values: Array.from(t.data) });
    });
  });
});
