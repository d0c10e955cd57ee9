import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type Dataset, firstN, loadDataset, parseDatasetName } from '../src/data/datasets.js';
import { UserError } from '../src/errors.js';
import { initBackend } from '../src/tfjs/backend.js';
import { assertClose } from './helpers/assert.js';

function assertDisjointCover(ds: Dataset, pool: number): void {
  const seen = new Set<number>();
  for (const split of [ds.train, ds.validation, ds.test]) {
    for (const id of split.ids) {
      assert.ok(!seen.has(id), `${ds.name}: image ${id} is in two splits`);
      seen.add(id);
    }
  }
  assert.equal(seen.size, pool, `${ds.name}: the splits cover the pool`);
}

test('mnist: 10,000 images split 7,000 / 1,000 / 2,000, disjoint, every class in every split', () => {
  const ds = loadDataset('mnist');
  assert.deepEqual(ds.source, { package: 'mnist', version: '1.1.0', shipped: 10000, empty: 0, duplicates: 0 });
  assert.deepEqual([ds.train.size, ds.validation.size, ds.test.size], [7000, 1000, 2000]);
  assert.equal(ds.train.images.length, 7000 * 784);
  assertDisjointCover(ds, 10000);
  for (const split of [ds.train, ds.validation, ds.test]) {
    const counts = Array.from({ length: 10 }, (_, c) => split.labels.filter((l) => l === c).length);
    assert.ok(counts.every((n) => n > split.size / 20), `class counts ${counts}`);
  }
  // MNIST's usual normalisation constants come from its 60k training set; this pool is close.
  assertClose(ds.mean, 0.1307, 0.005, 'mean');
  assertClose(ds.std, 0.3081, 0.005, 'std');
});

test('splits are a function of the split seed', () => {
  const a = loadDataset('mnist', 0);
  assert.equal(loadDataset('mnist', 0), a, 'cached per seed');
  const b = loadDataset('mnist', 1);
  assert.notDeepEqual(Array.from(b.test.ids.subarray(0, 20)), Array.from(a.test.ids.subarray(0, 20)));
  assertDisjointCover(b, 10000);
  // Pinned: a change in loading order or shuffling would move every split (the pool is in class order).
  assert.deepEqual(Array.from(a.test.ids.subarray(0, 6)), [2266, 9975, 8652, 267, 4563, 1917]);
  assert.deepEqual(Array.from(a.test.labels.subarray(0, 6)), [2, 9, 8, 0, 4, 1]);
  assert.deepEqual(Array.from(a.validation.ids.subarray(0, 3)), [5604, 5658, 3165]);
});

test('subsets are nested prefixes, and batches are normalised with the training statistics', async () => {
  await initBackend('wasm');
  const ds = loadDataset('mnist');
  const small = firstN(ds.train, 100);
  const large = firstN(ds.train, 1000);
  assert.equal(small.size, 100);
  assert.deepEqual(Array.from(small.ids), Array.from(large.ids.subarray(0, 100)));
  assert.equal(firstN(ds.train, 10 ** 6), ds.train, 'a subset larger than the split is the split');
  assert.throws(() => firstN(ds.train, 0, 'trainSize'), (e) => e instanceof UserError && e.field === 'trainSize' && /^trainSize: expected a positive integer/.test(e.message));
  const { x, y } = batchTensors(ds, ds.train, Array.from({ length: 1000 }, (_, i) => i));
  try {
    assert.deepEqual(x.shape, [1000, 28, 28, 1]);
    assert.deepEqual(y.shape, [1000, 10]);
    const [mean, sd] = tf.tidy(() => {
      const m = tf.moments(x);
      return [m.mean.dataSync()[0]!, Math.sqrt(m.variance.dataSync()[0]!)];
    });
    assertClose(mean, 0, 0.05, 'normalised mean');
    assertClose(sd, 1, 0.05, 'normalised std');
    assert.deepEqual(Array.from(tf.tidy(() => tf.argMax(y, 1).dataSync())), Array.from(ds.train.labels.subarray(0, 1000)));
  } finally {
    tf.dispose([x, y]);
  }
});

test('fashion-mnist: empty entries and duplicates dropped, 54,946 / 5,000 / 10,000', () => {
  const ds = loadDataset('fashion-mnist');
  assert.deepEqual(ds.source, { package: 'fashion-mnist', version: '1.1.0', shipped: 70002, empty: 2, duplicates: 54 });
  assert.deepEqual([ds.train.size, ds.validation.size, ds.test.size], [54946, 5000, 10000]);
  assertDisjointCover(ds, 69946);
  assertClose(ds.mean, 0.286, 0.005, 'mean');
  assertClose(ds.std, 0.353, 0.005, 'std');
});

test('unknown dataset names are UserErrors listing the choices', () => {
  assert.equal(parseDatasetName('fashion-mnist'), 'fashion-mnist');
  assert.throws(() => parseDatasetName('cifar10'), (e) => e instanceof UserError && /mnist, fashion-mnist/.test(e.message));
});
