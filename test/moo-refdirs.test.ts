import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomial, dasDennis, dasDennisCount, partitionsFor } from '../src/moo/refdirs.js';

test('Das-Dennis counts are C(H+M-1, M-1)', () => {
  assert.equal(dasDennis(12, 3).length, 91);
  assert.equal(dasDennisCount(12, 3), 91);
  for (const [h, m, count] of [
    [4, 2, 5],
    [3, 4, 20],
    [6, 5, 210],
    [8, 4, 165],
    [1, 6, 6],
  ] as const) {
    assert.equal(dasDennis(h, m).length, count, `H=${h} M=${m}`);
    assert.equal(dasDennisCount(h, m), count);
    assert.equal(binomial(h + m - 1, m - 1), count);
  }
  assert.deepEqual(dasDennis(5, 1), [[1]]);
});

test('every direction lies on the simplex lattice and directions are distinct', () => {
  for (const [h, m] of [
    [12, 3],
    [6, 5],
    [8, 4],
  ] as const) {
    const dirs = dasDennis(h, m);
    const keys = new Set<string>();
    for (const d of dirs) {
      assert.equal(d.length, m);
      const sum = d.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `sum ${sum}`);
      for (const v of d) {
        assert.ok(v >= 0);
        assert.ok(Math.abs(v * h - Math.round(v * h)) < 1e-9, 'a multiple of 1/H');
      }
      keys.add(d.map((v) => Math.round(v * h)).join(','));
    }
    assert.equal(keys.size, dirs.length);
  }
  assert.deepEqual(dasDennis(4, 2), [
    [1, 0],
    [0.75, 0.25],
    [0.5, 0.5],
    [0.25, 0.75],
    [0, 1],
  ]);
});

test('partitionsFor picks the largest set that fits', () => {
  assert.equal(partitionsFor(91, 3), 12);
  assert.equal(partitionsFor(90, 3), 11); // C(13,2) = 78 <= 90 < 91
  assert.equal(partitionsFor(2, 3), 1); // never below one partition
  assert.throws(() => dasDennis(0, 3));
  assert.throws(() => dasDennis(3, 0));
});
