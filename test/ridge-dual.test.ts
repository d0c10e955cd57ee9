import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockEncoding } from '../src/predict/encoding.js';
import { choleskySolve, ridgeBinary, ridgeBinaryDual } from '../src/predict/ridge.js';
import { createRng } from '../src/random.js';

/** The primal ridge by dense normal equations, intercept unpenalised: the reference the dual must reproduce. */
function primal(rows: Int32Array[], y: number[], penalty: Float64Array): Float64Array {
  const p = penalty.length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  rows.forEach((x, r) => {
    for (const i of x) {
      b[i]! += y[r]!;
      for (const j of x) a[i * p + j]! += 1;
    }
  });
  for (let i = 0; i < p; i++) a[i * p + i]! += penalty[i]!;
  return choleskySolve(a, b, p);
}

test('dual ridge gives the primal weights when features outnumber rows (pair terms of a 12-node space)', () => {
  const radix = [9, 3, 4, 9, 3, 4, 2, 9, 3, 4, 2, 3];
  const enc = blockEncoding(radix, true);
  const rng = createRng(4);
  const genomes = Array.from({ length: 60 }, () => radix.map((k) => rng.int(k)));
  const rows = genomes.map(enc.encode);
  const y = genomes.map((g) => g.reduce((s, v, i) => s + v * (i + 1), 0) + g[0]! * g[4]! + rng.next());
  const penalty = new Float64Array(enc.size);
  for (let k = 1; k < enc.size; k++) penalty[k] = enc.isPair(k) ? 10 : 0.1;
  assert.ok(enc.size > 2 * rows.length, `${enc.size} features for ${rows.length} rows`);
  const ref = primal(rows, y, penalty);
  const dual = ridgeBinaryDual(rows, y, penalty);
  const viaEntry = ridgeBinary(rows, y, penalty);
  const pred = (w: Float64Array, x: Int32Array) => x.reduce((s, k) => s + w[k]!, 0);
  // Predictions must agree (weights of features in no row are 0 in both).
  const test = Array.from({ length: 40 }, () => enc.encode(radix.map((k) => rng.int(k))));
  for (const x of [...rows, ...test]) {
    const r = pred(ref, x);
    assert.ok(Math.abs(pred(dual, x) - r) < 1e-6 * (1 + Math.abs(r)), `dual ${pred(dual, x)} vs primal ${r}`);
    assert.ok(Math.abs(pred(viaEntry, x) - r) < 1e-6 * (1 + Math.abs(r)), 'ridgeBinary takes the dual path and agrees');
  }
  for (let k = 1; k < enc.size; k++) assert.ok(Math.abs(dual[k]! - ref[k]!) < 1e-6, `weight ${k}: ${dual[k]} vs ${ref[k]}`);
});
