import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { nb201CostOf } from '../src/spaces/nb201/cost.js';
import { initBackend } from '../src/tfjs/backend.js';
import { chainInputGrad, wholeInputGrad } from '../src/tfjs/chain-grad.js';
import { createNb201Net } from '../src/spaces/nb201/tfjs-net.js';
import { avgPool3x3, batchNormTrain, BN_EPSILON, conv, createParamFactory } from '../src/tfjs/nb201-ops.js';
import { seededValues } from '../src/tfjs/small-cnn.js';
import { assertClose } from './helpers/assert.js';

before(async () => {
  await initBackend('wasm');
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'same length');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const seeded = (shape: number[], seed: number) => tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);

test('parameter count equals the analytic NB201 params (cifar10) for several genomes', () => {
  const genomes = [
    [3, 3, 3, 3, 3, 3],
    [0, 0, 0, 0, 0, 0],
    [4, 2, 1, 2, 1, 1],
    [1, 3, 0, 2, 4, 3],
    [2, 2, 2, 2, 2, 2],
  ];
  for (const g of genomes) {
    const net = createNb201Net({ genome: g }, 1);
    try {
      assert.equal(net.paramCount, Math.round(nb201CostOf(g, 'cifar10').params * 1e6), `params of [${g.join(',')}]`);
    } finally {
      net.dispose();
    }
  }
});

test('forward gives [batch, classes] logits, deterministic in the seed; disconnected cells do not see the input', () => {
  const x = seeded([2, 8, 8, 3], 3) as tf.Tensor4D;
  const spec = { genome: [3, 4, 1, 2, 0, 3], channels: 4, cellsPerStage: 1, classes: 7 };
  const a = createNb201Net(spec, 11);
  const b = createNb201Net(spec, 11);
  const c = createNb201Net(spec, 12);
  const none = createNb201Net({ ...spec, genome: [2, 3, 0, 0, 0, 0] }, 1);
  try {
    for (const bn of ['train', 'eval'] as const) {
      const ya = a.forward(x, bn);
      assert.deepEqual(ya.shape, [2, 7], 'logit shape');
      assert.equal(maxAbsDiff(ya.dataSync(), b.forward(x, bn).dataSync()), 0, `${bn}: same seed, same logits`);
      assert.ok(maxAbsDiff(ya.dataSync(), c.forward(x, bn).dataSync()) > 1e-4, `${bn}: another seed, other logits`);
    }
    assert.equal(a.dependsOnInput, true, 'a connected cell depends on the input');
    assert.equal(none.dependsOnInput, false, 'node 3 unreachable: constant logits');
  } finally {
    [a, b, c, none].forEach((n) => n.dispose());
    x.dispose();
  }
});

test('stride-2 conv pads like PyTorch (one pixel on every side), not like tfjs SAME', () => {
  tf.tidy(() => {
    const x = tf.reshape(tf.range(0, 16), [1, 4, 4, 1]) as tf.Tensor4D;
    // A centre-tap filter reads x[2i][2j] under symmetric padding; SAME would read x[2i+1][2j+1].
    const centre = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]);
    assert.deepEqual(Array.from(conv(x, centre, 2).dataSync()), [0, 2, 8, 10], 'PyTorch padding');
  });
});

test('avg_pool_3x3 divides by the in-image count and its gradient is the exact transpose', () => {
  tf.tidy(() => {
    const [h, w] = [4, 5];
    const x = seeded([1, h, w, 2], 7) as tf.Tensor4D;
    const xs = x.arraySync()[0]!;
    const expected: number[] = [];
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let ch = 0; ch < 2; ch++) {
          let sum = 0;
          let count = 0;
          for (let di = -1; di <= 1; di++) {
            for (let dj = -1; dj <= 1; dj++) {
              const row = xs[i + di];
              const v = row?.[j + dj]?.[ch];
              if (v === undefined) continue;
              sum += v;
              count++;
            }
          }
          expected.push(sum / count);
        }
      }
    }
    assert.ok(maxAbsDiff(avgPool3x3(x).dataSync(), expected) < 1e-6, 'count_include_pad=False forward');
    // d/dx of Σ dy·pool(x): each window spreads dy/count over its in-image pixels.
    const dy = seeded([1, h, w, 2], 8);
    const dys = dy.arraySync() as number[][][][];
    const grad = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(avgPool3x3(z as tf.Tensor4D), dy)))(x).arraySync() as number[][][][];
    const counts = (i: number, n: number) => Math.min(i + 1, n - 1) - Math.max(i - 1, 0) + 1;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let want = 0;
        for (let oi = Math.max(0, i - 1); oi <= Math.min(h - 1, i + 1); oi++) {
          for (let oj = Math.max(0, j - 1); oj <= Math.min(w - 1, j + 1); oj++) want += dys[0]![oi]![oj]![1]! / (counts(oi, h) * counts(oj, w));
        }
        assertClose(grad[0]![i]![j]![1]!, want, 1e-6, `gradient at (${i}, ${j})`);
      }
    }
  });
});

test('train-mode BN matches tf.moments + tf.batchNorm in value and input gradient', () => {
  const factory = createParamFactory(3);
  try {
    tf.tidy(() => {
      const p = factory.bn(3);
      const gamma = seeded([3], 4) as tf.Tensor1D;
      const beta = seeded([3], 5) as tf.Tensor1D;
      const params = { ...p, gamma, beta, zeroShift: false };
      const x = tf.add(tf.mul(seeded([4, 3, 5, 3], 6), 2), 0.7) as tf.Tensor4D;
      const dy = seeded([4, 3, 5, 3], 9);
      const reference = (z: tf.Tensor4D) => {
        const { mean, variance } = tf.moments(z, [0, 1, 2]);
        return tf.batchNorm4d(z, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, BN_EPSILON);
      };
      assert.ok(maxAbsDiff(batchNormTrain(x, params).dataSync(), reference(x).dataSync()) < 1e-5, 'BN value');
      const g = (f: (z: tf.Tensor4D) => tf.Tensor) => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(f(z as tf.Tensor4D), dy)))(x).dataSync();
      assert.ok(maxAbsDiff(g((z) => batchNormTrain(z, params)), g(reference)) < 1e-5, 'BN input gradient');
    });
  } finally {
    factory.dispose();
  }
});

test('block-wise recomputed gradient equals the plain one; in eval mode images are independent', () => {
  const net = createNb201Net({ genome: [3, 4, 1, 2, 1, 3], channels: 4, cellsPerStage: 1, classes: 3 }, 5);
  // Only e3 (skip) is live: every cell returns its input unchanged.
  const skipOnly = createNb201Net({ genome: [0, 0, 0, 1, 0, 0], channels: 4, cellsPerStage: 2, classes: 3 }, 5);
  try {
    tf.tidy(() => {
      const x = seeded([4, 8, 8, 3], 13) as tf.Tensor4D;
      for (const bn of ['train', 'eval'] as const) {
        for (const [name, n] of [['cell', net], ['skip-only cell', skipOnly]] as const) {
          const whole = wholeInputGrad(n.blocks(bn), x).dataSync();
          const chain = chainInputGrad(n.blocks(bn), x).dataSync();
          assert.ok(maxAbsDiff(chain, whole) < 1e-6, `${bn}, ${name}: chained vs whole gradient`);
        }
      }
      // Eval mode: image 0's input gradient does not change when the others do; train mode couples them.
      const other = tf.concat([tf.slice(x, [0], [1]), seeded([3, 8, 8, 3], 14)]) as tf.Tensor4D;
      const first = (bn: 'train' | 'eval', z: tf.Tensor4D) => tf.slice(wholeInputGrad(net.blocks(bn), z), [0], [1]).dataSync();
      assert.ok(maxAbsDiff(first('eval', x), first('eval', other)) < 1e-7, 'eval: per-image Jacobians');
      assert.ok(maxAbsDiff(first('train', x), first('train', other)) > 1e-6, 'train: batch statistics couple images');
    });
  } finally {
    net.dispose();
    skipOnly.dispose();
  }
});
