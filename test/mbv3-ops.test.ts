import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/tfjs/backend.js';
import { BN_EPSILON, batchNormTrain, hswish } from '../src/tfjs/mbv3/ops.js';
import { seededValues } from '../src/tfjs/small-cnn.js';

const SHAPE = [4, 5, 5, 6];
const size = SHAPE.reduce((a, b) => a * b, 1);

/** max |a − b| over max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** Value and gradients (x, γ, β) of sum(f(x, γ, β)·dy) from seeded inputs. */
function valueAndGrads(f: (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    // Spread and offset unlike N(0,1) so a wrong mean or variance term shows.
    const x = tf.add(tf.mul(tf.tensor(seededValues(size, 1), SHAPE), 3), 1.5) as tf.Tensor4D;
    const g = tf.tensor1d(seededValues(6, 2, 2));
    const b = tf.tensor1d(seededValues(6, 3));
    const dy = tf.tensor(seededValues(size, 4), SHAPE);
    const loss = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor4D, gg as tf.Tensor1D, bb as tf.Tensor1D), dy));
    const grads = tf.grads(loss)([x, g, b]);
    return [loss(x, g, b), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

test('training-mode BN kernel: value and gradients for x, γ and β match autodiff of tf.moments + tf.batchNorm', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    const mine = valueAndGrads((x, g, b) => batchNormTrain(x, g, b));
    const ref = valueAndGrads((x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, b, g, BN_EPSILON);
    });
    ['value', 'dx', 'dγ', 'dβ'].forEach((what, i) => {
      const err = relErr(mine[i]!, ref[i]!);
      assert.ok(err < 1e-4, `${backend} ${what}: relative error ${err.toExponential(2)}`);
    });
  }
});

test('h-swish kernel: value and gradient match x·relu6(x + 3)/6 differentiated by tfjs, including |x| > 3', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    // tf.grads needs every input used: h-swish of an affine map of x.
    const affine = (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.add(tf.mul(x, g), b);
    const mine = valueAndGrads((x, g, b) => hswish(affine(x, g, b)));
    const ref = valueAndGrads((x, g, b) => {
      const z = affine(x, g, b);
      return tf.mul(z, tf.div(tf.relu6(tf.add(z, 3)), 6));
    });
    ['value', 'dx', 'dγ', 'dβ'].forEach((what, i) => {
      const err = relErr(mine[i]!, ref[i]!);
      assert.ok(err < 1e-5, `${backend} h-swish ${what}: relative error ${err.toExponential(2)}`);
    });
    const values = tf.tidy(() => hswish(tf.tensor1d([-4, -3, -1.5, 0, 1, 3, 4])).dataSync());
    assert.deepEqual(Array.from(values, (v) => Math.round(v * 1e6) / 1e6), [0, 0, -0.375, 0, 0.666667, 3, 4]);
  }
});
