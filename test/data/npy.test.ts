import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpyHeader, readNpy } from '../../src/data/npy.js';
import { tempDir } from './helpers.js';

const dir = tempDir();

/** A .npy file with a hand-written header dict (version 1.0 or 2.0). */
function npyWith(dict: string, body: Uint8Array, major = 1): Buffer {
  const lengthBytes = major === 1 ? 2 : 4;
  const padded = dict.padEnd(Math.ceil((8 + lengthBytes + dict.length + 1) / 64) * 64 - 8 - lengthBytes - 1, ' ') + '\n';
  const head = Buffer.alloc(8 + lengthBytes);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = major;
  if (major === 1) head.writeUInt16LE(padded.length, 8);
  else head.writeUInt32LE(padded.length, 8);
  return Buffer.concat([head, Buffer.from(padded, 'latin1'), body]);
}

describe('readNpy', () => {
  it('round-trips float32 and uint8 arrays', async () => {
    const f = join(dir, 'f.npy');
    writeFileSync(f, encodeNpy(Float32Array.of(1.5, -2, 3, 4, 5, 6), [3, 2]));
    const a = await readNpy(f);
    expect(a).toMatchObject({ dtype: 'float32', shape: [3, 2] });
    expect(Array.from(a.data)).toEqual([1.5, -2, 3, 4, 5, 6]);
    const u = join(dir, 'u.npy');
    writeFileSync(u, encodeNpy(Uint8Array.of(0, 1, 1), [3]));
    expect(await readNpy(u)).toMatchObject({ dtype: 'uint8', shape: [3] });
  });

  it('reads a version-2 header and a bool array as written by numpy', async () => {
    const path = join(dir, 'v2.npy');
    writeFileSync(path, npyWith("{'descr': '|b1', 'fortran_order': False, 'shape': (2, 2), }", Uint8Array.of(1, 0, 0, 1), 2));
    const a = await readNpy(path);
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([1, 0, 0, 1]);
  });

  it('parses header dicts', () => {
    expect(parseNpyHeader('x', "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }")).toEqual({ descr: '<f4', fortranOrder: false, shape: [10] });
    expect(parseNpyHeader('x', "{'descr': '<f4', 'fortran_order': True, 'shape': (), }").shape).toEqual([]);
    expect(() => parseNpyHeader('x.npy', "{'descr': '<f4'}")).toThrow("x.npy: bad .npy header");
  });

  it('says what is wrong, naming the file', async () => {
    const path = join(dir, 'bad.npy');
    writeFileSync(path, Buffer.from('PK\x03\x04 not an npy file'));
    await expect(readNpy(path)).rejects.toThrow(`${path}: bad magic number (expected "\\x93NUMPY"`);
    writeFileSync(path, npyWith("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)));
    await expect(readNpy(path)).rejects.toThrow(`${path}: unsupported dtype '<i8' (supported: '<f4', '<f8', '|u1', '|b1')`);
    writeFileSync(path, npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new Uint8Array(4)));
    await expect(readNpy(path)).rejects.toThrow('Fortran-order arrays are not supported');
    writeFileSync(path, npyWith("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", new Uint8Array(3)));
    await expect(readNpy(path)).rejects.toThrow(/truncated file \(expected \d+ bytes, found \d+\)/);
    await expect(readNpy(join(dir, 'absent.npy'))).rejects.toThrow(`${join(dir, 'absent.npy')}: missing file`);
  });
});
