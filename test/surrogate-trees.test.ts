import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { fitTree, predictTree, treeDepth } from '../src/surrogate/cart.js';
import { gradientBoosting } from '../src/surrogate/boosting.js';
import { randomForest } from '../src/surrogate/forest.js';
import { assertClose } from './helpers/assert.js';

function randomGenomes(radix: number[], count: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => radix.map((r) => rng.int(r)));
}

test('cart: hand dataset gives the known split, threshold and leaf means', () => {
  // Feature 1 separates {1,1,1} from {5,5,6}; feature 0 is a worse, interleaved split.
  const rows = [[0, 1], [1, 2], [0, 3], [1, 4], [0, 5], [1, 6]].map((r) => Float64Array.from(r));
  const y = [1, 1, 1, 5, 5, 6];
  const stump = fitTree(rows, y, { maxDepth: 1 });
  assert.ok(!stump.leaf, 'root splits');
  assert.equal(stump.feature, 1);
  assertClose(stump.threshold, 3.5, 0, 'root threshold: midpoint of 3 and 4');
  assert.ok(stump.left.leaf && stump.right.leaf, 'depth 1 leaves');
  assertClose(stump.left.value, 1, 1e-15, 'left leaf mean');
  assertClose(stump.right.value, 16 / 3, 1e-15, 'right leaf mean');
  // Grown fully: the left side is pure, the right side splits {5,5} | {6} at 5.5 (SSE 0 against 0.5 for {5} | {5,6}).
  const full = fitTree(rows, y);
  assert.ok(!full.leaf && full.left.leaf && !full.right.leaf, 'only the right child splits again');
  assert.equal(full.right.feature, 1);
  assertClose(full.right.threshold, 5.5, 0, 'second threshold');
  assert.ok(full.right.left.leaf && full.right.right.leaf, 'leaves after the second split');
  assertClose(full.right.left.value, 5, 1e-15, 'leaf {5,5}');
  assertClose(full.right.right.value, 6, 1e-15, 'leaf {6}');
  assert.equal(treeDepth(full), 2);
  assertClose(predictTree(full, [0, 5.2]), 5, 0, 'prediction routes by thresholds');
});

test('cart: minSamplesLeaf blocks splits that would isolate fewer rows', () => {
  const rows = [[1], [2], [3], [4]].map((r) => Float64Array.from(r));
  const t = fitTree(rows, [0, 0, 0, 10], { minSamplesLeaf: 2 });
  assert.ok(!t.leaf && t.threshold === 2.5, 'the only admissible split is 2 | 2');
});

test('gradient boosting: an exactly additive target is fitted to near-zero training error', () => {
  const radix = [4, 4, 4, 4, 4];
  const rng = createRng(21);
  const values = radix.map((r) => Array.from({ length: r }, () => 10 * rng.next()));
  const f = (g: readonly number[]) => g.reduce((s, b, i) => s + values[i]![b]!, 0);
  const x = randomGenomes(radix, 200, 4);
  const y = x.map(f);
  // Stumps span exactly the additive functions, so boosting them is backfitting and the residual decays geometrically.
  const gb = gradientBoosting({ radix, encoding: 'ordinal', rounds: 1000, learningRate: 0.5, maxDepth: 1, subsample: 1 });
  gb.fit(x, y);
  const p = gb.predict(x);
  const rmse = Math.sqrt(y.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / y.length);
  assertClose(rmse, 0, 1e-5, 'training RMSE (target sd is about 6)');
});

test('random forest: beats the mean predictor on held-out data of an interacting target', () => {
  const radix = [5, 5, 5, 5, 5, 5];
  const f = (g: readonly number[]) => g[0]! * g[1]! + (g[2]! > 2 ? 4 : 0) - g[3]! + 0.5 * g[4]!;
  const train = randomGenomes(radix, 200, 1);
  const test = randomGenomes(radix, 500, 2);
  const y = train.map(f);
  const rf = randomForest({ radix, trees: 60, seed: 3 });
  rf.fit(train, y);
  const p = rf.predict(test);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  let mseForest = 0;
  let mseMean = 0;
  test.forEach((g, i) => {
    mseForest += (p[i]! - f(g)) ** 2;
    mseMean += (mean - f(g)) ** 2;
  });
  assert.ok(mseForest < 0.3 * mseMean, `forest MSE ${mseForest / 500} against mean-predictor MSE ${mseMean / 500}`);
});

test('trees: same seed, same predictions; another seed, another forest', () => {
  const radix = [5, 5, 5, 5];
  const x = randomGenomes(radix, 80, 7);
  const y = x.map((g) => g[0]! - g[1]! * g[2]! + g[3]! * 0.1);
  const probe = randomGenomes(radix, 50, 8);
  const run = (make: () => { fit(x: number[][], y: number[]): void; predict(x: number[][]): Float64Array }) => {
    const s = make();
    s.fit(x, y);
    return Array.from(s.predict(probe));
  };
  assert.deepEqual(run(() => randomForest({ radix, trees: 20, seed: 5 })), run(() => randomForest({ radix, trees: 20, seed: 5 })));
  assert.deepEqual(run(() => gradientBoosting({ radix, rounds: 50, seed: 5 })), run(() => gradientBoosting({ radix, rounds: 50, seed: 5 })));
  assert.notDeepEqual(run(() => randomForest({ radix, trees: 20, seed: 5 })), run(() => randomForest({ radix, trees: 20, seed: 6 })));
  // Refitting one instance must not continue the previous fit's random stream.
  const rf = randomForest({ radix, trees: 20, seed: 5 });
  rf.fit(x, y);
  const first = Array.from(rf.predict(probe));
  rf.fit(x, y);
  assert.deepEqual(Array.from(rf.predict(probe)), first);
});
