import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundsOf, igd, igdPlus, normalize } from '../src/moo/indicators.js';

const reference = [
  [0, 1],
  [1, 0],
];

test('IGD and IGD+ on a hand case', () => {
  const obtained = [
    [0.5, 1],
    [3, 0],
  ];
  // IGD: (0,1) is 0.5 from (0.5,1) and sqrt(10) from (3,0) -> 0.5; (1,0) is sqrt(0.25+1) from (0.5,1) and 2 from
  // (3,0) -> sqrt(1.25). Mean (0.5 + sqrt(1.25)) / 2.
  assert.ok(Math.abs(igd(obtained, reference) - (0.5 + Math.sqrt(1.25)) / 2) < 1e-15);
  // IGD+: only excesses count. (0,1): (0.5,1) exceeds by (0.5,0) -> 0.5, (3,0) by (3,0) -> 3; min 0.5.
  // (1,0): (0.5,1) exceeds by (0,1) -> 1, (3,0) by (2,0) -> 2; min 1. Mean 0.75.
  assert.equal(igdPlus(obtained, reference), 0.75);
});

test('IGD+ is zero for a set dominating the reference front, IGD is not', () => {
  assert.equal(igd([[0, 0]], reference), 1);
  assert.equal(igdPlus([[0, 0]], reference), 0);
  assert.equal(igd(reference, reference), 0);
  assert.equal(igd([], reference), Infinity);
  assert.throws(() => igd([[1, 2, 3]], reference));
});

test('normalize maps ideal to 0 and nadir to 1 and leaves flat objectives at 0', () => {
  const pts = [
    [2, 10],
    [4, 10],
    [3, 10],
  ];
  const bounds = boundsOf(pts);
  assert.deepEqual(bounds, { ideal: [2, 10], nadir: [4, 10] });
  assert.deepEqual(normalize(pts, bounds), [
    [0, 0],
    [1, 0],
    [0.5, 0],
  ]);
  assert.deepEqual(normalize([[6, 12]], bounds), [[2, 2]]);
  assert.throws(() => boundsOf([]));
});
