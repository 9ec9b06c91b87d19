/**
 * Image-shaped data and `cnn(...)` networks in the checker: every layer's
 * output shape worked out statically (against TensorFlow's 'same'/'valid'
 * rules, and against a brute-force count of window positions), parameter
 * names and shapes, multi-dimensional data types, how networks apply to
 * images, and the located errors (PPL2041, PPL2042, PPL2003, PPL2018).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkSource } from '../../src/frontend/check.js';
import { convOutputSize, deconvOutputSize } from '../../src/frontend/checker/layer-shapes.js';
import type { IrModel, IrNet, Padding } from '../../src/ir/ir.js';

function errorsOf(source: string): Diagnostic[] {
  return checkSource(source).diagnostics.filter((d) => d.severity === 'error');
}

function irOf(source: string): IrModel {
  const result = checkSource(source);
  expect(errorsOf(source).map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
  return result.ir!;
}

/** A file whose guide declares `net` and applies it to data x of type `xType` (its result unused but for z's loc). */
function guideNet(net: string, xType = 'real[28, 28, 1]', zSize = 4): string {
  return `data x: ${xType}\nmodel {\n  z: real[${zSize}] ~ Normal(0, 1)\n  x ~ Normal(0, 1)\n}\nguide q {\n  net e = ${net}\n  h = e(x)\n  z ~ Normal(h[0:${zSize}], 1)\n}\n`;
}

/** A file whose model decodes z: real[Z] with `net` into x of type `xType`. */
function decoderNet(net: string, xType: string, zSize = 4): string {
  return `data x: ${xType}\nmodel {\n  net d = ${net}\n  z: real[${zSize}] ~ Normal(0, 1)\n  x ~ Bernoulli(logits: d(z))\n}\nguide q {\n  z ~ Normal(0, 1)\n}\n`;
}

/** Output shapes of every layer of the first net of a file, in order. */
function layerShapes(net: IrNet): number[][] {
  return net.layers.map((l) => [...(l.kind === 'dense' ? [l.outputs] : l.outputShape)]);
}

describe('layer output sizes', () => {
  it('follow TensorFlow: same is ceil(in / stride), valid counts the windows that fit', () => {
    expect(convOutputSize(28, 3, 2, 'same')).toBe(14);
    expect(convOutputSize(7, 3, 2, 'same')).toBe(4);
    expect(convOutputSize(28, 5, 1, 'valid')).toBe(24);
    expect(convOutputSize(28, 2, 2, 'valid')).toBe(14);
    expect(convOutputSize(3, 5, 1, 'valid')).toBeLessThan(1);
    expect(deconvOutputSize(7, 3, 2, 'same')).toBe(14);
    expect(deconvOutputSize(7, 3, 2, 'valid')).toBe(15);
  });

  it('valid padding: the number of window positions inside the image (brute force)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), (size, kernel, stride) => {
        let windows = 0;
        for (let start = 0; start + kernel <= size; start += stride) windows++;
        expect(Math.max(0, convOutputSize(size, kernel, stride, 'valid'))).toBe(windows);
      }),
    );
  });

  it('a deconv2d maps back to the size a conv2d with the same settings came from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<Padding>('same', 'valid'),
        (size, kernel, stride, padding) => {
          expect(convOutputSize(deconvOutputSize(size, kernel, stride, padding), kernel, stride, padding)).toBe(size);
        }),
    );
  });
});

describe('cnn networks: static shapes', () => {
  it('follows the shape through every layer of the conv VAE in models/', () => {
    const ir = irOf(readFileSync(new URL('../../models/conv-vae-mnist.ppl', import.meta.url), 'utf8'));
    expect(ir.data).toEqual([{ name: 'x', shape: [28, 28, 1], element: 'binary' }]);
    const encoder = ir.nets.find((n) => n.name === 'encoder')!;
    const decoder = ir.nets.find((n) => n.name === 'decoder')!;
    expect(encoder.inputShape).toEqual([28, 28, 1]);
    expect(layerShapes(encoder)).toEqual([[14, 14, 16], [7, 7, 32], [1568], [32]]);
    expect(encoder.outputShape).toEqual([32]);
    expect(decoder.inputShape).toEqual([16]);
    expect(layerShapes(decoder)).toEqual([[1568], [7, 7, 32], [14, 14, 32], [28, 28, 1]]);
    expect(decoder.outputShape).toEqual([28, 28, 1]);
    const x = ir.model.find((s) => s.name === 'x');
    expect(x).toMatchObject({ kind: 'sample', family: 'Bernoulli', shape: [28, 28, 1] });
  });

  it('names and shapes the weights of the layers with weights, counting only those', () => {
    const ir = irOf(guideNet('cnn([28, 28, 1] -> conv2d(8, 5, padding: valid) -> maxpool2d(2) -> conv2d(16, 3, stride: 2) -> avgpool2d(3, stride: 1, padding: same) -> flatten -> 10 -> 4, relu)'));
    const net = ir.nets[0]!;
    expect(net.layers.map((l) => l.kind)).toEqual(['conv2d', 'maxpool2d', 'conv2d', 'avgpool2d', 'reshape', 'dense', 'dense']);
    expect(layerShapes(net)).toEqual([[24, 24, 8], [12, 12, 8], [6, 6, 16], [6, 6, 16], [576], [10], [4]]);
    expect(ir.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['e.0.weight', [5, 5, 1, 8]], ['e.0.bias', [8]],
      ['e.1.weight', [3, 3, 8, 16]], ['e.1.bias', [16]],
      ['e.2.weight', [576, 10]], ['e.2.bias', [10]],
      ['e.3.weight', [10, 4]], ['e.3.bias', [4]],
    ]);
    expect(net.layers[1]).toMatchObject({ kind: 'maxpool2d', size: 2, stride: 2, padding: 'valid' });
    expect(net.layers[3]).toMatchObject({ kind: 'avgpool2d', size: 3, stride: 1, padding: 'same' });
    expect(net.activation).toBe('relu');
  });

  it('deconv2d weights are [kernel, kernel, filters, in channels]; reshape takes constants', () => {
    const ir = irOf(`C = 8\n${decoderNet('cnn(4 -> 7 * 7 * C -> reshape(7, 7, C) -> deconv2d(4, 3, stride: 2) -> deconv2d(1, kernel: 4, stride: 2, padding: same), tanh)', 'binary[28, 28, 1]')}`);
    const net = ir.nets[0]!;
    expect(layerShapes(net)).toEqual([[392], [7, 7, 8], [14, 14, 4], [28, 28, 1]]);
    expect(ir.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['d.0.weight', [4, 392]], ['d.0.bias', [392]],
      ['d.1.weight', [3, 3, 4, 8]], ['d.1.bias', [4]],
      ['d.2.weight', [4, 4, 1, 4]], ['d.2.bias', [1]],
    ]);
  });

  it('checks random conv stacks: the checker\'s shapes are the sizes formula, layer by layer', () => {
    const layer = fc.record({ filters: fc.integer({ min: 1, max: 9 }), kernel: fc.integer({ min: 1, max: 5 }), stride: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom<Padding>('same', 'valid') });
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 32 }), fc.integer({ min: 8, max: 32 }), fc.array(layer, { minLength: 1, maxLength: 3 }), (h, w, layers) => {
        let [hh, ww] = [h, w];
        const shapes: number[][] = [];
        for (const l of layers) {
          [hh, ww] = [convOutputSize(hh, l.kernel, l.stride, l.padding), convOutputSize(ww, l.kernel, l.stride, l.padding)];
          shapes.push([hh, ww, l.filters]);
        }
        const spec = layers.map((l) => `conv2d(${l.filters}, ${l.kernel}, stride: ${l.stride}, padding: ${l.padding})`).join(' -> ');
        const source = guideNet(`cnn([${h}, ${w}, 2] -> ${spec} -> flatten -> 4)`, `real[${h}, ${w}, 2]`);
        if (shapes.some(([a, b]) => a! < 1 || b! < 1)) {
          expect(errorsOf(source).map((d) => d.code)).toEqual(['PPL2041']);
          return;
        }
        const net = irOf(source).nets[0]!;
        expect(layerShapes(net).slice(0, layers.length)).toEqual(shapes);
      }),
      { numRuns: 200 },
    );
  });

  it('a linear or mlp network keeps its vector shapes and dense layers', () => {
    const ir = irOf(guideNet('mlp(784 -> 20 -> 4, tanh)', 'real[784]'));
    expect(ir.nets[0]).toMatchObject({ inputShape: [784], outputShape: [4] });
    expect(ir.nets[0]!.layers.map((l) => l.kind)).toEqual(['dense', 'dense']);
  });
});

describe('multi-dimensional types', () => {
  it('data and parameters may be images; broadcasting works axis by axis', () => {
    const ir = irOf('data x: real[4, 4, 2]\nmodel {\n  param b: real[4, 4, 2]\n  param s: real[1, 1, 2]\n  x ~ Normal(b * s + 1, exp(s))\n}\n');
    expect(ir.data[0]!.shape).toEqual([4, 4, 2]);
    const x = ir.model.find((s) => s.name === 'x');
    expect(x?.kind === 'sample' ? x.params['loc']!.shape : undefined).toEqual([4, 4, 2]);
  });

  it('a latent must be a vector (PPL2042), and reports no follow-on errors in the guide', () => {
    const errors = errorsOf(decoderNet('cnn([2, 2, 1] -> deconv2d(1, 2, stride: 2))', 'binary[4, 4, 1]').replace('z: real[4]', 'z: real[2, 2, 1]'));
    expect(errors.map((d) => d.code)).toEqual(['PPL2042']);
  });

  it('image values cannot be sliced or concatenated', () => {
    expect(errorsOf('data x: real[4, 4, 1]\nmodel {\n  param p: real[4, 4, 1]\n  x ~ Normal(p[0:2], 1)\n}\n').map((d) => d.message)).toEqual(['only vectors can be sliced, but this is of shape [4, 4, 1]']);
    expect(errorsOf('data x: real[4, 4, 1]\nmodel {\n  param p: real[4, 4, 1]\n  h = concat(p, p)\n  x ~ Normal(0, 1)\n}\n').map((d) => d.code)).toEqual(['PPL2004', 'PPL2004']); // one per argument
  });
});

describe('cnn networks: located errors', () => {
  it('reports the first layer that does not fit, at that layer', () => {
    const source = guideNet('cnn([28, 28, 1] -> conv2d(8, 3) -> 16 -> conv2d(4, 3), relu)');
    const errors = errorsOf(source);
    expect(errors.map((d) => d.code)).toEqual(['PPL2041']);
    expect(source.slice(errors[0]!.span.start.offset, errors[0]!.span.end.offset)).toBe('16');
    expect(errors[0]!.hint).toMatch(/flatten/);
  });

  it('PPL2041 for pooling and conv windows that do not fit, reshape counts and image layers on vectors', () => {
    expect(errorsOf(guideNet('cnn([4, 4, 1] -> maxpool2d(5) -> flatten -> 4)', 'real[4, 4, 1]'))[0]).toMatchObject({ code: 'PPL2041', message: expect.stringMatching(/maxpool2d with a 5 x 5 window/) });
    expect(errorsOf(guideNet('cnn([28, 28] -> conv2d(4, 3) -> flatten -> 4)', 'real[28, 28]'))[0]).toMatchObject({ code: 'PPL2041', hint: expect.stringMatching(/channels last/) });
    expect(errorsOf(guideNet('cnn([28, 28, 1] -> reshape(10, 10) -> flatten -> 4)'))[0]).toMatchObject({ code: 'PPL2041', message: expect.stringMatching(/needs 100 values, but its input \[28, 28, 1\] has 784/) });
    expect(errorsOf(guideNet('cnn(784 -> deconv2d(4, 3) -> flatten -> 4)', 'real[784]'))[0]).toMatchObject({ code: 'PPL2041', message: expect.stringMatching(/deconv2d needs an image input/) });
  });

  it('PPL2018 for unknown layers, activations written as layers, and bad layer arguments', () => {
    const codesAndMessages = (net: string) => errorsOf(guideNet(net)).map((d) => `${d.code} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2D(8, 3) -> flatten -> 4)')).toEqual(["PPL2018 unknown layer 'conv2D' | did you mean 'conv2d'?"]);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3) -> flaten -> 4)')).toEqual(["PPL2018 unknown layer 'flaten' | did you mean 'flatten'?"]);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3) -> relu -> flatten -> 4)')[0]).toMatch(/^PPL2018 'relu' is an activation, not a layer/);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8) -> flatten -> 4)')).toEqual(["PPL2018 conv2d is missing its 'kernel' | write conv2d(filters, kernel, stride: ..., padding: ...)"]);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3, strides: 2) -> flatten -> 4)')).toEqual(["PPL2018 conv2d has no parameter 'strides' | did you mean 'stride'?"]);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3, 1, same, 2) -> flatten -> 4)')[0]).toMatch(/^PPL2018 conv2d takes at most 4 arguments/);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3, padding: sme) -> flatten -> 4)')).toEqual(["PPL2018 padding must be 'same' or 'valid', not 'sme' | did you mean 'same'?"]);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 1.5) -> flatten -> 4)')).toEqual(['PPL2022 the kernel of conv2d must be a positive integer, but it is 1.5']);
    expect(codesAndMessages('cnn([28, 28, 1])')[0]).toMatch(/^PPL2018 'cnn' needs at least one layer after its input/);
    expect(codesAndMessages('cnn([28, 28, 1] -> conv2d(8, 3) -> flatten -> 4, activation: relu, depth: 2)')[0]).toMatch(/^PPL2018 unknown network option 'depth'/);
  });

  it('PPL2003 when a network on images gets a vector, with the declared shape in the hint', () => {
    const error = errorsOf(guideNet('cnn([28, 28, 1] -> conv2d(8, 3) -> flatten -> 4)', 'real[784]'))[0]!;
    expect(error).toMatchObject({ code: 'PPL2003', message: "network 'e' expects an input of shape [28, 28, 1] but got [784]" });
    expect(error.hint).toMatch(/with input shape \[28, 28, 1\]/);
  });

  it('a network in error leaves its constants used (no PPL2016 on top of the error)', () => {
    const result = checkSource(`K = 3\nH = 28\n${guideNet('cnn([H, H, 1] -> conv2d(8, K) -> 16)')}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['PPL2041']);
  });
});
