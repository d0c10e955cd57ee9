import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareDominance, dominates, nonDominatedSort, paretoFront } from '../src/moo/dominance.js';
import { createRng } from '../src/random.js';

test('dominates needs no-worse everywhere and better somewhere', () => {
  assert.equal(dominates([1, 2], [1, 3]), true);
  assert.equal(dominates([1, 3], [1, 2]), false);
  assert.equal(dominates([1, 3], [1, 3]), false, 'equal vectors do not dominate');
  assert.equal(dominates([1, 4], [2, 3]), false, 'trade-off');
  assert.equal(compareDominance([0, 0, 0], [0, 1, 0]), 1);
  assert.equal(compareDominance([0, 1, 0], [0, 0, 0]), -1);
  assert.equal(compareDominance([0, 1], [1, 0]), 0);
  assert.throws(() => dominates([1], [1, 2]));
});

// 0 (1,5), 1 (2,3), 2 (4,1), 5 (2,3) trade off against each other: front 0 (5 duplicates 1, so neither dominates).
// 3 (3,4) is dominated by 1 and 6 (4,2) by 2, and neither by anything else: front 1. 4 (5,5) is dominated by 3.
const hand = [
  [1, 5],
  [2, 3],
  [4, 1],
  [3, 4],
  [5, 5],
  [2, 3],
  [4, 2],
];

test('non-dominated sort peels the hand-made fronts', () => {
  const { fronts, rank } = nonDominatedSort(hand);
  assert.deepEqual(fronts, [[0, 1, 2, 5], [3, 6], [4]]);
  assert.deepEqual([...rank], [0, 0, 0, 1, 2, 0, 1]);
});

test('non-dominated sort stops once enough points are ranked', () => {
  const { fronts, rank } = nonDominatedSort(hand, { stopAfter: 4 });
  assert.deepEqual(fronts, [[0, 1, 2, 5]]);
  assert.deepEqual([...rank], [0, 0, 0, -1, -1, 0, -1]);
  assert.deepEqual(nonDominatedSort(hand, { stopAfter: 5 }).fronts, [[0, 1, 2, 5], [3, 6]]);
  assert.deepEqual(nonDominatedSort([]).fronts, []);
});

test('paretoFront keeps duplicates and matches the first front on random sets', () => {
  assert.deepEqual(paretoFront(hand), [0, 1, 2, 5]);
  const rng = createRng(11);
  for (const m of [2, 3, 4]) {
    // integer coordinates force many ties and duplicates
    const pts = Array.from({ length: 300 }, () => Array.from({ length: m }, () => rng.int(8)));
    const brute = pts
      .map((p, i) => ({ p, i }))
      .filter(({ p, i }) => !pts.some((q, j) => j !== i && dominates(q, p)))
      .map(({ i }) => i);
    assert.deepEqual(paretoFront(pts), brute, `m=${m}`);
    assert.deepEqual(nonDominatedSort(pts).fronts[0], brute, `m=${m}`);
  }
});

test('every point of front k is dominated by some point of front k-1 and by none of its own front', () => {
  const rng = createRng(5);
  const pts = Array.from({ length: 200 }, () => [rng.next(), rng.next(), rng.next()]);
  const { fronts } = nonDominatedSort(pts);
  assert.equal(fronts.flat().length, pts.length);
  fronts.forEach((front, k) => {
    for (const i of front) {
      for (const j of front) assert.equal(dominates(pts[j]!, pts[i]!), false);
      if (k > 0) assert.ok(fronts[k - 1]!.some((j) => dominates(pts[j]!, pts[i]!)));
    }
  });
});
