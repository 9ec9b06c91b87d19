/**
 * Data as users hand it over: a tf.Tensor2D, number[][], a Float32Array
 * (row-major, rows of the variable's length) or `{ values, shape }`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { shapeSize, type IrModel } from '../ir/ir.js';
import { UserError } from '../util/user-error.js';

export type DataArray = Tensor | number[][] | Float32Array | { readonly values: Float32Array | number[]; readonly shape: readonly [number, number] };

/** One array for a model with a single data variable, or arrays by name. */
export type DataInput = DataArray | Readonly<Record<string, DataArray>>;

function isDataArray(value: unknown): value is DataArray {
  return value instanceof tf.Tensor || Array.isArray(value) || value instanceof Float32Array || (typeof value === 'object' && value !== null && 'values' in value && 'shape' in value);
}

function toTensor(name: string, value: DataArray, eventShape: readonly number[]): Tensor2D {
  const width = shapeSize(eventShape);
  let t: Tensor;
  // An image variable [h, w, c] takes a tensor [n, h, w, c] as well as flat rows [n, h·w·c].
  const shaped = value instanceof tf.Tensor && eventShape.length > 1 && value.rank === eventShape.length + 1 && eventShape.every((d, i) => value.shape[i + 1] === d);
  if (value instanceof tf.Tensor) t = shaped ? tf.reshape(value, [value.shape[0]!, width]) : value.clone();
  else if (value instanceof Float32Array) {
    if (value.length % width !== 0) throw new UserError(`data '${name}': ${value.length} values is not a whole number of rows of ${width}`);
    t = tf.tensor2d(value, [value.length / width, width]);
  } else if (Array.isArray(value)) {
    const bad = value.findIndex((row) => !Array.isArray(row) || row.length !== width);
    if (bad >= 0) throw new UserError(`data '${name}': row ${bad} must be an array of ${width} numbers`);
    t = tf.tensor2d(value, [value.length, width]);
  } else t = tf.tensor2d(value.values, [...value.shape]);
  if (t.rank !== 2 || t.shape[1] !== width) {
    const shape = t.shape;
    t.dispose();
    const image = eventShape.length > 1 ? ` or [n, ${eventShape.join(', ')}]` : '';
    throw new UserError(`data '${name}' must have shape [n, ${width}]${image} but has [${shape.join(', ')}]`);
  }
  return t.dtype === 'float32' ? (t as Tensor2D) : tf.tidy(() => tf.cast(t, 'float32') as Tensor2D);
}

/**
 * Converts user data to `[n, d]` float32 tensors by variable name (the caller
 * disposes them). Checks names, widths, binary values and row counts.
 */
export function toDataTensors(ir: IrModel, input: DataInput): Record<string, Tensor2D> {
  const byName: Record<string, DataArray> = isDataArray(input)
    ? ir.data.length === 1
      ? { [ir.data[0]!.name]: input }
      : (() => {
          throw new UserError(`this model observes ${ir.data.map((d) => d.name).join(', ')}: pass the data by name`);
        })()
    : (input as Record<string, DataArray>);
  const out: Record<string, Tensor2D> = {};
  try {
    for (const variable of ir.data) {
      const value = byName[variable.name];
      if (value === undefined) throw new UserError(`missing data '${variable.name}'`);
      out[variable.name] = toTensor(variable.name, value, variable.shape); // an image as flat rows (the model reshapes them)
    }
    const extra = Object.keys(byName).filter((n) => !ir.data.some((d) => d.name === n));
    if (extra.length > 0) throw new UserError(`unknown data ${extra.map((e) => `'${e}'`).join(', ')}; the model observes ${ir.data.map((d) => d.name).join(', ')}`);
    for (const variable of ir.data.filter((d) => d.element === 'binary')) {
      const nonBinary = tf.tidy(() => tf.any(tf.logicalAnd(tf.notEqual(out[variable.name]!, 0), tf.notEqual(out[variable.name]!, 1))).dataSync()[0]);
      if (nonBinary) throw new UserError(`data '${variable.name}' is declared binary but holds values other than 0 and 1`);
    }
    for (const variable of ir.data.filter((d) => d.element === 'int')) {
      const t = out[variable.name]!;
      const nonIndex = tf.tidy(() => tf.any(tf.logicalOr(tf.less(t, 0), tf.notEqual(t, tf.round(t)))).dataSync()[0]);
      if (nonIndex) throw new UserError(`data '${variable.name}' is declared int but holds values that are not category indices 0, 1, 2, ...`);
    }
    const rows = new Set(Object.values(out).map((t) => t.shape[0]));
    if (rows.size > 1) throw new UserError(`data arrays have different numbers of rows: ${[...rows].join(', ')}`);
  } catch (e) {
    tf.dispose(Object.values(out));
    throw e;
  }
  return out;
}
