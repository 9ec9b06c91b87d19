/**
 * Networks on images in the backend (apply-net.ts, apply-image-layer.ts),
 * checked against a direct float64 implementation of the same layers written
 * here from their definitions (TensorFlow's NHWC convolution, transposed
 * convolution and pooling, with TensorFlow's 'same' padding split): the
 * forward values, and the gradients of a scalar loss for every weight and
 * the input against central finite differences of that float64 reference.
 * Also: the sample and batch axes are flattened into one and restored (the
 * result equals the network applied to each image alone), and image data
 * enters a trace as flat rows or shaped, with the same log-weights.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyNet } from '../../src/backend/compile/apply-net.js';
import { CompiledModel } from '../../src/backend/compile/compiled-model.js';
import { createVariables } from '../../src/backend/compile/parameters.js';
import { checkSource } from '../../src/frontend/check.js';
import type { IrModel, IrNet } from '../../src/ir/ir.js';
import { expectClose, useCpu } from './helpers.js';

beforeAll(async () => {
  await useCpu();
});

/** A checked model whose guide holds `net e` applied to data x of shape `shape`. */
function irWithNet(net: string, shape: number[]): IrModel {
  const source = `data x: real[${shape.join(', ')}]\nmodel {\n  z: real[2] ~ Normal(0, 1)\n  x ~ Normal(0, 1)\n}\nguide q {\n  net e = ${net}\n  h = e(x)\n  z ~ Normal(h[0:2], 1)\n}\n`;
  const result = checkSource(source);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.ir!;
}

// A tiny net with every layer kind: 5x5x2 -> conv 3x3x3 (same, stride 2) -> deconv 7x7x2 (valid, stride 2)
// -> maxpool 3x3x2 -> avgpool 2x2x2 (stride 1) -> flatten 8 -> dense 3, tanh after each layer with weights but the last.
const TINY = 'cnn([5, 5, 2] -> conv2d(3, 3, stride: 2) -> deconv2d(2, 3, stride: 2, padding: valid) -> maxpool2d(2) -> avgpool2d(2, stride: 1) -> flatten -> 3, tanh)';

type Image = { h: number; w: number; c: number; v: Float64Array };

const at = (img: Image, y: number, x: number, c: number) => img.v[(y * img.w + x) * img.c + c]!;

/** TensorFlow's 'same' padding before the first row for a window of `k` with `stride` over `size` to `out`. */
function padBefore(size: number, out: number, k: number, stride: number, padding: string): number {
  return padding === 'same' ? Math.floor(Math.max((out - 1) * stride + k - size, 0) / 2) : 0;
}

function conv(x: Image, w: Float64Array, b: Float64Array, k: number, f: number, stride: number, padding: string): Image {
  const oh = padding === 'same' ? Math.ceil(x.h / stride) : Math.floor((x.h - k) / stride) + 1;
  const ow = padding === 'same' ? Math.ceil(x.w / stride) : Math.floor((x.w - k) / stride) + 1;
  const [pt, pl] = [padBefore(x.h, oh, k, stride, padding), padBefore(x.w, ow, k, stride, padding)];
  const out: Image = { h: oh, w: ow, c: f, v: new Float64Array(oh * ow * f) };
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let o = 0; o < f; o++) {
    let s = b[o]!;
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const [iy, ix] = [oy * stride - pt + ky, ox * stride - pl + kx];
      if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
      for (let c = 0; c < x.c; c++) s += at(x, iy, ix, c) * w[((ky * k + kx) * x.c + c) * f + o]!;
    }
    out.v[(oy * ow + ox) * f + o] = s;
  }
  return out;
}

/** The transposed convolution: each input pixel adds its kernel-weighted copy at stride spacing (weights [k, k, f, c]). */
function deconv(x: Image, w: Float64Array, b: Float64Array, k: number, f: number, stride: number, padding: string): Image {
  const oh = padding === 'same' ? x.h * stride : (x.h - 1) * stride + k;
  const ow = padding === 'same' ? x.w * stride : (x.w - 1) * stride + k;
  const [pt, pl] = [padBefore(oh, x.h, k, stride, padding), padBefore(ow, x.w, k, stride, padding)];
  const out: Image = { h: oh, w: ow, c: f, v: new Float64Array(oh * ow * f) };
  for (let i = 0; i < oh * ow; i++) for (let o = 0; o < f; o++) out.v[i * f + o] = b[o]!;
  for (let iy = 0; iy < x.h; iy++) for (let ix = 0; ix < x.w; ix++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
    const [oy, ox] = [iy * stride - pt + ky, ix * stride - pl + kx];
    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
    for (let o = 0; o < f; o++) for (let c = 0; c < x.c; c++) out.v[(oy * ow + ox) * f + o] += at(x, iy, ix, c) * w[((ky * k + kx) * f + o) * x.c + c]!;
  }
  return out;
}

function pool(x: Image, size: number, stride: number, kind: 'max' | 'avg'): Image {
  const [oh, ow] = [Math.floor((x.h - size) / stride) + 1, Math.floor((x.w - size) / stride) + 1];
  const out: Image = { h: oh, w: ow, c: x.c, v: new Float64Array(oh * ow * x.c) };
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < x.c; c++) {
    let s = kind === 'max' ? -Infinity : 0;
    for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) {
      const v = at(x, oy * stride + dy, ox * stride + dx, c);
      s = kind === 'max' ? Math.max(s, v) : s + v / (size * size);
    }
    out.v[(oy * ow + ox) * x.c + c] = s;
  }
  return out;
}

const tanh = (img: Image): Image => ({ ...img, v: img.v.map(Math.tanh) });

/** TINY in float64 on one image [5, 5, 2], weights by name. */
function tinyReference(x: Float64Array, p: Record<string, Float64Array>): Float64Array {
  let h: Image = { h: 5, w: 5, c: 2, v: x };
  h = tanh(conv(h, p['e.0.weight']!, p['e.0.bias']!, 3, 3, 2, 'same'));
  h = tanh(deconv(h, p['e.1.weight']!, p['e.1.bias']!, 3, 2, 2, 'valid'));
  h = pool(pool(h, 2, 2, 'max'), 2, 1, 'avg');
  const flat = h.v;
  const [w, b] = [p['e.2.weight']!, p['e.2.bias']!];
  return Float64Array.from({ length: 3 }, (_, o) => flat.reduce((s, v, i) => s + v * w[i * 3 + o]!, b[o]!));
}

function randomValues(n: number, seed: number, scale = 1): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 2 * scale;
  });
}

describe('a cnn with every layer kind against a float64 reference', () => {
  const ir = irWithNet(TINY, [5, 5, 2]);
  const net: IrNet = ir.nets[0]!;
  // Inputs [k = 2, batch = 3, 5, 5, 2]: six images, flattened into one batch axis by applyNet and restored.
  const images = 6;
  const xs = randomValues(images * 50, 7);
  const weights = new Map(ir.parameters.map((p, i) => [p.name, randomValues(p.shape.reduce((a, b) => a * b, 1), 100 + i, 0.8)]));
  const dy = randomValues(images * 3, 99);

  /** L = Σ dy ⊙ net(x) in float64. */
  const referenceLoss = (x: Float64Array, p: Record<string, Float64Array>) => {
    let loss = 0;
    for (let i = 0; i < images; i++) {
      const out = tinyReference(x.subarray(i * 50, (i + 1) * 50), p);
      out.forEach((v, o) => (loss += v * dy[i * 3 + o]!));
    }
    return loss;
  };

  const tensors = () => {
    const variables = new Map(ir.parameters.map((p) => [p.name, tf.tensor(Float32Array.from(weights.get(p.name)!), [...p.shape])]));
    return { x: tf.tensor(Float32Array.from(xs), [2, 3, 5, 5, 2]), variables };
  };

  it('computes the reference values, on [k, batch, h, w, c] inputs', () => {
    tf.tidy(() => {
      const { x, variables } = tensors();
      const y = applyNet(net, x, variables);
      expect(y.shape).toEqual([2, 3, 3]);
      const want = Array.from({ length: images }, (_, i) => [...tinyReference(xs.subarray(i * 50, (i + 1) * 50), Object.fromEntries(weights))]).flat();
      expectClose(y, want, 1e-5, 1e-4);
    });
  });

  it('differentiates like central finite differences of the float64 reference, in every weight and the input', () => {
    tf.tidy(() => {
      const { x, variables } = tensors();
      const names = ir.parameters.map((p) => p.name);
      const dyT = tf.tensor(Float32Array.from(dy), [2, 3, 3]);
      const loss = (input: tf.Tensor, ...ws: tf.Tensor[]) => tf.sum(tf.mul(dyT, applyNet(net, input, new Map(names.map((n, i) => [n, ws[i]!])))));
      const grads = tf.grads(loss)([x, ...names.map((n) => variables.get(n)!)]);
      const eps = 1e-6;
      const check = (grad: tf.Tensor, perturb: (i: number, delta: number) => number, count: number, what: string) => {
        const got = grad.dataSync();
        // Every coordinate of the small tensors; a spread of 40 coordinates of the input.
        const indices = count <= 60 ? [...Array(count).keys()] : Array.from({ length: 40 }, (_, j) => Math.floor((j * count) / 40));
        for (const i of indices) {
          const fd = (perturb(i, eps) - perturb(i, -eps)) / (2 * eps);
          if (Math.abs(got[i]! - fd) > 2e-4 + 2e-3 * Math.abs(fd)) throw new Error(`${what}[${i}]: autodiff ${got[i]} vs finite difference ${fd}`);
        }
      };
      check(grads[0]!, (i, d) => {
        const shifted = Float64Array.from(xs);
        shifted[i] += d;
        return referenceLoss(shifted, Object.fromEntries(weights));
      }, xs.length, 'x');
      names.forEach((name, j) => {
        const base = weights.get(name)!;
        check(grads[j + 1]!, (i, d) => {
          const shifted = Float64Array.from(base);
          shifted[i] += d;
          return referenceLoss(xs, { ...Object.fromEntries(weights), [name]: shifted });
        }, base.length, name);
      });
    });
  });
});

describe('image data in a trace', () => {
  const source = 'data x: binary[6, 6, 1]\nmodel {\n  net d = cnn(3 -> 3 * 3 * 2 -> reshape(3, 3, 2) -> deconv2d(1, 3, stride: 2), relu)\n  z: real[3] ~ Normal(0, 1)\n  x ~ Bernoulli(logits: d(z))\n}\nguide q {\n  net e = cnn([6, 6, 1] -> conv2d(2, 3, stride: 2) -> flatten -> 6, relu)\n  h = e(x)\n  z ~ Normal(h[0:3], exp(h[3:]))\n}\n';

  it('takes flat rows [batch, 36] or images [batch, 6, 6, 1], with the same log-weights, and says what it wants otherwise', () => {
    const model = new CompiledModel(checkSource(source).ir!, 3);
    try {
      const rows = Float32Array.from({ length: 4 * 36 }, (_, i) => ((i * 7) % 5 === 0 ? 1 : 0));
      const logW = (x: tf.Tensor) => tf.tidy(() => {
        const t = model.trace({ x }, { k: 5, seed: 11 });
        return tf.add(t.observed.get('x')!, tf.sub(t.latents[0]!.logP, t.latents[0]!.logQ));
      });
      tf.tidy(() => {
        const flat = logW(tf.tensor2d(rows, [4, 36]));
        expect(flat.shape).toEqual([5, 4]);
        expectClose(logW(tf.tensor4d(rows, [4, 6, 6, 1])), flat, 0, 0);
      });
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        expect(() => model.trace({ x: tf.zeros([4, 6, 6]) }, { k: 1 })).toThrow("data 'x' must have shape [batch, 6, 6, 1] or [batch, 36] but has [4, 6, 6]");
      });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });

  it('scores the image likelihood over all its pixels: Bernoulli log p summed over [6, 6, 1]', () => {
    const model = new CompiledModel(checkSource(source).ir!, 4);
    try {
      tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from({ length: 2 * 36 }, (_, i) => i % 2), [2, 36]);
        const t = model.trace({ x }, { k: 3, seed: 5 });
        const z = t.samples.get('z')!;
        const logits = tf.reshape(applyNet(model.ir.nets.find((n) => n.name === 'd')!, z, model.variables), [3, 2, 36]);
        const expected = tf.neg(tf.sum(tf.add(tf.mul(x, tf.softplus(tf.neg(logits))), tf.mul(tf.sub(1, x), tf.softplus(logits))), -1));
        expectClose(t.observed.get('x')!, expected, 1e-4, 1e-5);
      });
    } finally {
      model.dispose();
    }
  });
});

describe('initial weights', () => {
  it('Glorot-uniform convolution kernels use fans kh·kw·in and kh·kw·out', () => {
    const ir = irWithNet('cnn([8, 8, 4] -> conv2d(6, 3) -> flatten -> 2)', [8, 8, 4]);
    const variables = createVariables(ir.parameters, 1);
    try {
      const w = variables.get('e.0.weight')!.dataSync();
      const limit = Math.sqrt(6 / (9 * 4 + 9 * 6));
      expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(limit);
      expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.9 * limit);
    } finally {
      variables.forEach((v) => v.dispose());
    }
  });
});
