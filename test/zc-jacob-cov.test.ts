import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { readCsv } from '../src/data/csv.js';
import { effectiveNb201, parseNb201 } from '../src/spaces/nb201/space.js';
import { spearman } from '../src/stats/rank.js';
import { initBackend } from '../src/tfjs/backend.js';
import { createNb201Net } from '../src/spaces/nb201/tfjs-net.js';
import { mnistBatch, MNIST_MEAN, MNIST_STD, mnistSample } from '../src/zc/images.js';
import { EVAL_CHUNK, JACOB_COV_K, jacobCov, type JacobianNet } from '../src/zc/jacob-cov.js';
import { nb201JacobCov } from '../src/zc/nb201-jacov.js';
import { DATA_DIR, needsData } from './helpers/data.js';
import { assertClose } from './helpers/assert.js';

const ACCURACY = 'nb201/nb201_accuracy.csv';

before(async () => {
  await initBackend('wasm');
});

test('MNIST batch: seeded subset, 32x32, grey replicated to 3 channels, MNIST-normalised', () => {
  const a = mnistSample(50, 1);
  const b = mnistSample(50, 1);
  assert.deepEqual(a.labels, b.labels, 'same seed, same images');
  assert.notDeepEqual(mnistSample(50, 2).labels, a.labels, 'another seed, other images');
  assert.ok(new Set(a.labels).size >= 8, `50 random digits cover most classes (got ${new Set(a.labels).size})`);
  tf.tidy(() => {
    const x = mnistBatch({ count: 6, seed: 1 });
    assert.deepEqual(x.shape, [6, 32, 32, 3], 'batch shape');
    const [r, g, bl] = tf.split(x, 3, 3) as [tf.Tensor, tf.Tensor, tf.Tensor];
    assert.equal(tf.max(tf.abs(tf.sub(r, g))).dataSync()[0], 0, 'channels 0 and 1 equal');
    assert.equal(tf.max(tf.abs(tf.sub(r, bl))).dataSync()[0], 0, 'channels 0 and 2 equal');
    // Background pixels are 0 before normalisation; bilinear resizing keeps them 0 away from the strokes.
    assertClose(tf.min(x).dataSync()[0]!, -MNIST_MEAN / MNIST_STD, 1e-5, 'background level');
    assert.ok(tf.max(x).dataSync()[0]! > 2, 'strokes are bright');
  });
});

/** f(x) = Σ w·x per image: every image has the Jacobian w, so the correlation matrix is all ones. */
function linearNet(w: tf.Tensor): JacobianNet {
  return { dependsOnInput: true, blocks: () => [(x) => tf.sum(tf.mul(x, w), [1, 2, 3])] };
}

test('jacob_cov of a linear map: rank-one correlation, score by hand, in both BN modes and across eval chunks', async () => {
  const n = EVAL_CHUNK + 5;
  const w = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 3);
  const x = tf.randomNormal([n, 4, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
  const k = JACOB_COV_K;
  const expected = -(Math.log(n + k) + 1 / (n + k)) - (n - 1) * (Math.log(k) + 1 / k);
  try {
    for (const bn of ['eval', 'train'] as const) {
      assertClose(await jacobCov(linearNet(w), x, { bn }), expected, 1e-5 * Math.abs(expected), `${bn} score`);
    }
  } finally {
    tf.dispose([w, x]);
  }
});

test('jacob_cov of a small NB201 network is finite and at most −batch; NaN when the input cannot reach the output', async () => {
  const x = mnistBatch({ count: 8, seed: 3, size: 8 });
  try {
    for (const bn of ['train', 'eval'] as const) {
      const net = createNb201Net({ genome: [3, 1, 4, 2, 0, 3], channels: 4, cellsPerStage: 1 }, 2);
      try {
        const s = await jacobCov(net, x, { bn });
        assert.ok(Number.isFinite(s) && s <= -8, `${bn}: score ${s} is finite and ≤ −8`);
      } finally {
        net.dispose();
      }
    }
    assert.ok(Number.isNaN(await nb201JacobCov([2, 3, 4, 0, 0, 0], x, { seed: 1, net: { channels: 4, cellsPerStage: 1 } })), 'disconnected');
  } finally {
    x.dispose();
  }
});

test('published jacob_cov is blank exactly for the cells with no input-to-output path', { skip: needsData(ACCURACY) }, () => {
  const csv = readCsv(DATA_DIR, ACCURACY, ['arch_str', 'jacob_cov_cifar10']);
  const published = csv.numbers('jacob_cov_cifar10');
  let blank = 0;
  csv.column('arch_str').forEach((arch, i) => {
    const disconnected = effectiveNb201(parseNb201(arch)) === null;
    assert.equal(Number.isNaN(published[i]!), disconnected, `row ${i}: blank iff disconnected`);
    if (disconnected) blank++;
  });
  assert.equal(blank, 341, 'the data README counts 341 blanks');
});

test('on six cells far apart in the published score, ours ranks them alike (batch 16)', { skip: needsData(ACCURACY) }, async () => {
  const csv = readCsv(DATA_DIR, ACCURACY, ['arch_str', 'jacob_cov_cifar10']);
  const archs = csv.column('arch_str');
  const published = csv.numbers('jacob_cov_cifar10');
  // Published scores from −276 (near the batch-256 optimum) down to −23,000.
  const cells = [8918, 14725, 3753, 6214, 1978, 12550];
  const x = mnistBatch({ count: 16, seed: 2 });
  try {
    const ours: number[] = [];
    for (const i of cells) ours.push(await nb201JacobCov(parseNb201(archs[i]!), x, { seed: 1000 + i }));
    const rho = spearman(ours, cells.map((i) => published[i]!));
    assert.ok(rho >= 0.8, `Spearman ${rho.toFixed(3)} of [${ours.map((s) => s.toFixed(1)).join(', ')}] against the published scores`);
  } finally {
    x.dispose();
  }
});
