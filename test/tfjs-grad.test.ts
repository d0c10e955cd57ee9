import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend } from '../src/tfjs/backend.js';
import { createSmallCnn, fixedBatch, seededValues, type SmallCnnSpec } from '../src/tfjs/small-cnn.js';

const TOLERANCE = 1e-4;

/** max |a - b| relative to the largest |b|: float32 sums in a different order differ by ~1e-6 of the scale. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

type Fn = (...inputs: tf.Tensor[]) => tf.Tensor;

/** Gradients of sum(f(inputs) * dy) for all inputs, on one backend, from seeded data. */
async function gradsOn(backend: BackendName, f: Fn, shapes: number[][]): Promise<Float32Array[]> {
  await initBackend(backend);
  return tf.tidy(() => {
    const inputs = shapes.map((s, i) => tf.tensor(seededValues(size(s), 11 + i), s));
    const outShape = f(...inputs).shape;
    const dy = tf.tensor(seededValues(size(outShape), 99), outShape);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), dy)))(inputs);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

async function valuesOn(backend: BackendName, f: Fn, shapes: number[][]): Promise<Float32Array> {
  await initBackend(backend);
  return tf.tidy(() => f(...shapes.map((s, i) => tf.tensor(seededValues(size(s), 21 + i), s))).dataSync() as Float32Array);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

async function assertGradsMatch(f: Fn, shapes: number[][]): Promise<void> {
  const wasm = await gradsOn('wasm', f, shapes);
  const cpu = await gradsOn('cpu', f, shapes);
  wasm.forEach((g, i) => {
    const err = relativeError(g, cpu[i]!);
    assert.ok(err < TOLERANCE, `gradient of input ${i}: relative error ${err.toExponential(2)}`);
  });
}

type Pad = 'same' | 'valid';
const conv4 = (x: tf.Tensor, w: tf.Tensor, s: number, pad: Pad) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad);

test('Conv2D gradients (Conv2DBackpropInput/Filter) match cpu', async (t) => {
  // [hw, cin, cout, k, stride, pad]; 24+ px exercises the whole-grid im2col path, smaller the per-row one.
  const cases: [number, number, number, number, number, Pad][] = [
    [8, 3, 4, 3, 1, 'same'],
    [8, 3, 4, 3, 2, 'same'],
    [9, 2, 5, 3, 2, 'valid'],
    [10, 3, 2, 5, 2, 'valid'],
    [11, 2, 3, 5, 1, 'same'],
    [8, 4, 3, 1, 2, 'same'],
    [7, 2, 3, 1, 1, 'valid'],
    [6, 2, 2, 4, 1, 'same'],
    [9, 3, 4, 2, 3, 'valid'],
    [11, 2, 3, 7, 2, 'same'],
    [24, 4, 6, 3, 1, 'same'],
    [25, 3, 4, 3, 2, 'same'],
    [28, 3, 5, 5, 1, 'valid'],
    [24, 5, 4, 1, 1, 'same'],
  ];
  for (const [hw, cin, cout, k, s, pad] of cases) {
    await t.test(`${hw}x${hw} ${cin}->${cout} k${k} s${s} ${pad}`, () =>
      assertGradsMatch((x, w) => conv4(x!, w!, s, pad), [[2, hw, hw, cin], [k, k, cin, cout]]),
    );
  }
});

test('conv2dTranspose (Conv2DBackpropInput forward) matches cpu, odd output sizes included', async (t) => {
  for (const [hw, s, pad, outHw] of [[5, 2, 'same', 10], [5, 2, 'valid', 11], [4, 3, 'same', 12], [6, 1, 'valid', 8]] as const) {
    await t.test(`${hw} -> ${outHw} s${s} ${pad}`, async () => {
      const f: Fn = (x, w) =>
        tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, outHw, outHw, 3], s, pad);
      const shapes = [[2, hw, hw, 4], [3, 3, 3, 4]];
      assert.ok(relativeError(await valuesOn('wasm', f, shapes), await valuesOn('cpu', f, shapes)) < TOLERANCE);
      await assertGradsMatch(f, shapes);
    });
  }
});

function dot(a: tf.Tensor, b: tf.Tensor): number {
  const [u, v] = [a.dataSync(), b.dataSync()];
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i]! * v[i]!;
  return sum;
}

test('large Conv2D gradients (several im2col chunks) are the adjoints of the forward pass', async (t) => {
  // Too big for the cpu backend's loops; <dx, x> = <dy, conv(x, w)> = <dW, w> checks them on wasm alone.
  await initBackend('wasm');
  type Shape4 = [number, number, number, number];
  const cases: [string, Shape4, Shape4, number, Pad][] = [
    ['whole-grid rows', [32, 32, 32, 32], [3, 3, 32, 8], 1, 'same'],
    ['per-row copies', [96, 12, 12, 64], [5, 5, 64, 4], 1, 'valid'],
    ['stride 2', [40, 32, 32, 32], [3, 3, 32, 8], 2, 'same'],
  ];
  for (const [name, xShape, fShape, stride, pad] of cases) {
    await t.test(name, () => {
      tf.tidy(() => {
        const x = tf.tensor(seededValues(size(xShape), 1), xShape) as tf.Tensor4D;
        const w = tf.tensor(seededValues(size(fShape), 2), fShape) as tf.Tensor4D;
        const y = tf.conv2d(x, w, stride, pad);
        const dy = tf.tensor(seededValues(y.size, 3), y.shape);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv4(a, b, stride, pad), dy)))([x, w]);
        const forward = dot(dy, y);
        for (const [label, value] of [['dx', dot(dx!, x)], ['dW', dot(dw!, w)]] as const) {
          assert.ok(Math.abs(value - forward) < TOLERANCE * Math.abs(forward), `${label}: ${value} vs ${forward}`);
        }
      });
    });
  }
});

test('DepthwiseConv2dNative gradients match cpu', async (t) => {
  // [hw, channels, multiplier, k, stride, pad]
  const cases: [number, number, number, number, number, Pad][] = [
    [8, 3, 1, 3, 1, 'same'],
    [8, 3, 1, 3, 2, 'same'],
    [9, 2, 2, 3, 2, 'valid'],
    [10, 3, 1, 5, 2, 'same'],
    [7, 4, 3, 3, 1, 'valid'],
    [8, 2, 1, 1, 2, 'same'],
    [12, 4, 1, 5, 1, 'same'],
    // 7x7: XNNPACK has no fast path for it (0.49 GMAC/s against 1.45 for 5x5 here); the backprop kernels must not care.
    [9, 5, 1, 7, 1, 'same'],
    [9, 5, 1, 7, 2, 'same'],
    [10, 3, 1, 7, 1, 'valid'],
    [9, 2, 2, 7, 1, 'same'],
  ];
  for (const [hw, c, m, k, s, pad] of cases) {
    await t.test(`${hw}x${hw} c${c} m${m} k${k} s${s} ${pad}`, () =>
      assertGradsMatch(
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
        [[2, hw, hw, c], [k, k, c, m]],
      ),
    );
  }
});

test('fused 7x7 depthwise convolutions (bias, relu, relu6, dilation) give the cpu values', async (t) => {
  const cases: [number, 'linear' | 'relu' | 'relu6', number][] = [
    [1, 'relu', 1],
    [2, 'linear', 1],
    [1, 'relu6', 1],
    [1, 'linear', 2],
  ];
  for (const [stride, activation, dilation] of cases) {
    await t.test(`stride ${stride} ${activation} dilation ${dilation}`, async () => {
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: stride, pad: 'same', dilations: dilation, bias: b, activation });
      const shapes = [[2, 11, 11, 6], [7, 7, 6, 1], [6]];
      const err = relativeError(await valuesOn('wasm', f, shapes), await valuesOn('cpu', f, shapes));
      assert.ok(err < TOLERANCE, `relative error ${err.toExponential(2)}`);
    });
  }
});

test('depthwise backprop kernels with dilation are the adjoints of the dilated forward pass', async () => {
  // tf.grad refuses dilated depthwise convs and the cpu backprop-input kernel ignores dilation, so the kernels
  // are checked against the forward pass instead: <dx, x> = <dy, conv(x, w)> = <dW, w>.
  await initBackend('wasm');
  const xShape: [number, number, number, number] = [2, 9, 9, 3];
  const fShape: [number, number, number, number] = [3, 3, 3, 2];
  const dyShape = [2, 9, 9, 6];
  const { viaInput, viaFilter, forward } = tf.tidy(() => {
    const x = tf.tensor(seededValues(size(xShape), 1), xShape) as tf.Tensor4D;
    const w = tf.tensor(seededValues(size(fShape), 2), fShape) as tf.Tensor4D;
    const dy = tf.tensor(seededValues(size(dyShape), 3), dyShape);
    const attrs = { strides: 1, pad: 'same', dilations: 2 } as const;
    const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape });
    const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: fShape });
    const y = tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2);
    return {
      viaInput: tf.sum(tf.mul(dx as tf.Tensor, x)).dataSync()[0]!,
      viaFilter: tf.sum(tf.mul(dw as tf.Tensor, w)).dataSync()[0]!,
      forward: tf.sum(tf.mul(dy, y)).dataSync()[0]!,
    };
  });
  assert.ok(Math.abs(viaInput - forward) < TOLERANCE * Math.abs(forward), `${viaInput} vs ${forward}`);
  assert.ok(Math.abs(viaFilter - forward) < TOLERANCE * Math.abs(forward), `${viaFilter} vs ${forward}`);
});

test('pooling, batch norm, activations and reductions used in training match cpu', async (t) => {
  const x = [2, 8, 8, 4];
  const cases: [string, Fn, number[][]][] = [
    ['avgPool 3x3 s1 same', (a) => tf.avgPool(a as tf.Tensor4D, 3, 1, 'same'), [x]],
    ['avgPool 2x2 s2 valid', (a) => tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'), [x]],
    ['avgPool 3x3 s2 same, odd size', (a) => tf.avgPool(a as tf.Tensor4D, 3, 2, 'same'), [[2, 9, 9, 3]]],
    ['maxPool 3x3 s2 same', (a) => tf.maxPool(a as tf.Tensor4D, 3, 2, 'same'), [x]],
    ['maxPool 2x2 s2 valid, all-negative windows', (a) => tf.maxPool(tf.sub(tf.abs(a!), 2) as tf.Tensor4D, 2, 2, 'valid'), [x]],
    ['batchNorm with batch statistics', (a, g, b) => {
      const { mean, variance } = tf.moments(a!, [0, 1, 2]);
      return tf.batchNorm(a!, mean, variance, b, g, 1e-3);
    }, [x, [4], [4]]],
    ['relu6 / hard-swish', (a) => tf.mul(a!, tf.div(tf.relu6(tf.add(a!, 3)), 6)), [x]],
    ['squeeze-excite (mean, sigmoid, broadcast mul)', (a) =>
      tf.mul(a!, tf.sigmoid(tf.mean(a!, [1, 2], true))), [x]],
    ['sum over middle axes', (a) => tf.sum(a!, [1, 2]), [x]],
    ['mean over leading axes, keepDims', (a) => tf.mean(a!, [0, 1], true), [x]],
    ['tile', (a) => tf.tile(a!, [2, 1, 3]), [[2, 3, 4]]],
    ['concat / slice', (a) => tf.slice(tf.concat([a!, a!], 3), [0, 1, 1, 2], [2, 5, 5, 4]), [x]],
    ['dense + softmax cross-entropy', (a, w) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 3], 'int32'), 5), tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D)),
      [[2, 6], [6, 5]]],
  ];
  for (const [name, f, shapes] of cases) await t.test(name, () => assertGradsMatch(f, shapes));
});

test('replaced Tile, Sum and Mean give the cpu values, stock fallbacks included', async (t) => {
  const cases: [string, Fn, number[][]][] = [
    ['tile rank 1', (a) => tf.tile(a!, [3]), [[5]]],
    ['tile rank 4', (a) => tf.tile(a!, [1, 2, 3, 2]), [[2, 3, 1, 4]]],
    ['tile int32', (a) => tf.tile(tf.cast(tf.mul(a!, 10), 'int32'), [2, 2]), [[3, 4]]],
    ['sum of leading axes', (a) => tf.sum(a!, [0, 1, 2]), [[3, 5, 6, 7]]],
    ['mean of middle axes, keepDims', (a) => tf.mean(a!, [1, 2], true), [[3, 5, 6, 7]]],
    ['sum of innermost axis (stock)', (a) => tf.sum(a!, -1), [[3, 5, 7]]],
    ['sum of scattered axes (stock)', (a) => tf.sum(a!, [0, 2]), [[3, 5, 7]]],
    ['sum of all axes (stock)', (a) => tf.sum(a!), [[3, 5, 7]]],
  ];
  for (const [name, f, shapes] of cases) {
    await t.test(name, async () => {
      const err = relativeError(await valuesOn('wasm', f, shapes), await valuesOn('cpu', f, shapes));
      assert.ok(err < TOLERANCE, `relative error ${err.toExponential(2)}`);
    });
  }
});

const TEST_CNN: SmallCnnSpec = { inputSize: 16, inChannels: 3, channels: [8, 16], strides: [1, 2], pool: 'max', classes: 5 };

async function firstStepGrads(backend: BackendName): Promise<Float32Array[]> {
  await initBackend(backend);
  const net = createSmallCnn(TEST_CNN, 3);
  const { x, y } = fixedBatch(TEST_CNN, 8, 4);
  const { grads } = tf.variableGrads(() => net.loss(x, y), net.params);
  const out = net.params.map((p) => grads[p.name]!.dataSync() as Float32Array);
  tf.dispose([x, y, ...net.params, ...Object.values(grads)]);
  return out;
}

test('small CNN: first-step gradients on wasm match cpu', async () => {
  const wasm = await firstStepGrads('wasm');
  const cpu = await firstStepGrads('cpu');
  assert.equal(wasm.length, cpu.length);
  wasm.forEach((g, i) => {
    const err = relativeError(g, cpu[i]!);
    assert.ok(err < TOLERANCE, `parameter ${i}: relative error ${err.toExponential(2)}`);
  });
});

test('small CNN: 20 SGD steps on wasm lower the loss of a fixed batch', async () => {
  await initBackend('wasm');
  const net = createSmallCnn(TEST_CNN, 3);
  const { x, y } = fixedBatch(TEST_CNN, 8, 4);
  const optimizer = tf.train.momentum(0.05, 0.9);
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const loss = optimizer.minimize(() => net.loss(x, y), true, net.params);
    losses.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  tf.dispose([x, y, ...net.params]);
  optimizer.dispose();
  assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
  assert.ok(losses[19]! < 0.5 * losses[0]!, `loss went ${losses[0]} -> ${losses[19]}`);
});

test('initBackend is idempotent and can switch back and forth', async () => {
  await initBackend('wasm');
  await initBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
  await initBackend('cpu');
  assert.equal(tf.getBackend(), 'cpu');
  await initBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined);
});
