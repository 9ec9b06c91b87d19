"""A minimal, independent reader of safetensors and .npy files, written from
the specifications (huggingface/safetensors README; numpy.lib.format), used by
the checkpoint tests to check that Strata's files parse outside Strata.

    python3 read-files.py safetensors FILE...  -> JSON [{header_length, metadata, tensors: {name: {dtype, shape, values}}}, ...]
    python3 read-files.py npy FILE...          -> JSON [{shape, dtype, data_offset, values}, ...]

Exits non-zero (assertion) on anything the specification does not allow.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {'F64': '<f8', 'F32': '<f4', 'I32': '<i4', 'I16': '<i2', 'I8': 'i1', 'U32': '<u4', 'U16': '<u2', 'U8': 'u1'}


def read_safetensors(path):
    with open(path, 'rb') as f:
        b = f.read()
    (n,) = struct.unpack('<Q', b[:8])
    assert 8 + n <= len(b), 'header runs past the end'
    raw = b[8:8 + n]
    assert raw[:1] == b'{', 'header must start with {'
    text = raw.decode('utf-8')
    assert text.rstrip() == text.rstrip(' ') and text.rstrip(' ').endswith('}'), 'padding is trailing spaces only'
    assert n % 8 == 0, 'header padded to a multiple of 8'
    header = json.loads(text)
    metadata = header.pop('__metadata__', {})
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    data = b[8 + n:]
    items = sorted(header.items(), key=lambda kv: tuple(kv[1]['data_offsets']))
    expected = 0
    tensors = {}
    for name, info in items:
        begin, end = info['data_offsets']
        assert begin == expected, f'{name}: not contiguous'
        expected = end
        dtype = np.dtype(DTYPES[info['dtype']])
        count = int(np.prod(info['shape'], dtype=np.int64))
        assert end - begin == count * dtype.itemsize, f'{name}: byte length'
        arr = np.frombuffer(data[begin:end], dtype=dtype).reshape(info['shape'])
        tensors[name] = {'dtype': info['dtype'], 'shape': list(arr.shape), 'values': arr.astype(np.float64).ravel().tolist()}
    assert expected == len(data), 'data section fully covered'
    return {'header_length': n, 'metadata': metadata, 'tensors': tensors}


def read_npy(path):
    with open(path, 'rb') as f:
        version = np.lib.format.read_magic(f)
        assert version == (1, 0), version
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        offset = f.tell()
    arr = np.load(path)
    assert arr.shape == shape and not fortran
    return {'shape': list(arr.shape), 'dtype': arr.dtype.str, 'data_offset': offset, 'values': arr.astype(np.float64).ravel().tolist()}


if __name__ == '__main__':
    kind, paths = sys.argv[1], sys.argv[2:]
    read = read_safetensors if kind == 'safetensors' else read_npy
    print(json.dumps([read(path) for path in paths]))
