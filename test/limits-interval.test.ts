import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conformalQuantile, costInterval } from '../src/predict/interval.js';
import { holdLimits } from '../src/search/from-table.js';
import { createRng } from '../src/random.js';
import type { BlockTable } from '../src/core/block-table.js';

test('conformal quantile: the ceil((n+1)p)-th smallest residual, infinite when n is too small for p', () => {
  const r = Array.from({ length: 19 }, (_, k) => k + 1); // 1..19
  assert.equal(conformalQuantile(r, 0.95), 19); // ceil(20 * 0.95) = 19
  assert.equal(conformalQuantile(r, 0.9), 18); // ceil(18) = 18
  assert.equal(conformalQuantile(r, 0.5), 10); // ceil(10) = 10
  assert.equal(conformalQuantile(r, 0.96), Infinity); // ceil(19.2) = 20 > 19
  assert.equal(conformalQuantile(r, 0.01), 1); // ceil(0.2) = 1
});

test('cost interval: one-sided bounds from unsorted residuals; a new residual falls below the upper one about p of the time', () => {
  // residuals -5..4 shuffled: upper at 0.8 is the ceil(11 * 0.8) = 9th smallest (3), lower the 9th largest (-4).
  const iv = costInterval({ residuals: [3, -5, 0, 4, -1, 2, -3, 1, -2, -4] }, 0.8)!;
  assert.deepEqual({ lower: iv.lower, upper: iv.upper, n: iv.n }, { lower: -4, upper: 3, n: 10 });
  assert.equal(costInterval({}, 0.9), null);
  // Exchangeable draws: over many repetitions the coverage of the next draw is at least p (and not far above it).
  const rng = createRng(7);
  const p = 0.9;
  let covered = 0;
  const trials = 4000;
  for (let t = 0; t < trials; t++) {
    const draw = () => Math.log(rng.next()) * (rng.next() < 0.5 ? 1 : -2); // skewed, heavy on one side
    const iv2 = costInterval({ residuals: Array.from({ length: 30 }, draw) }, p)!;
    if (draw() <= iv2.upper) covered++;
  }
  const rate = covered / trials;
  assert.ok(rate >= p - 0.015 && rate <= p + 0.05, `coverage ${rate} for p = ${p}`);
});

function table(residuals?: number[]): BlockTable {
  return {
    format: 'blocknas-block-table/1',
    space: 'toy',
    estimator: 'test',
    evaluated: 3,
    seed: 0,
    base: [0],
    metrics: [{ metric: 'lat', intercept: 1, values: [[0, 1]], ...(residuals ? { residuals } : {}) }],
  };
}

test('holdLimits: at the upper bound with a confidence, at the prediction without; bad confidences name the field', () => {
  const residuals = Array.from({ length: 19 }, (_, k) => (k - 9) / 10); // -0.9..0.9
  const [h] = holdLimits(table(residuals), [{ metric: 'lat', max: 5 }], 0.95);
  assert.equal(h!.interval!.upper, 0.9);
  assert.ok(Math.abs(h!.held - 4.1) < 1e-12);
  assert.equal(holdLimits(table(residuals), [{ metric: 'lat', max: 5 }])[0]!.held, 5, 'no confidence: the prediction');
  assert.equal(holdLimits(table(), [{ metric: 'lat', max: 5 }], 0.95)[0]!.held, 5, 'no residuals: the prediction');
  // A model that over-predicts everywhere does not loosen the limit.
  assert.equal(holdLimits(table(residuals.map((r) => r - 2)), [{ metric: 'lat', max: 5 }], 0.95)[0]!.held, 5);
  for (const c of [0, 1, -0.1, Number.NaN]) assert.throws(() => holdLimits(table(residuals), [{ metric: 'lat', max: 5 }], c), /confidence: expected a number between 0 and 1/);
  assert.throws(() => holdLimits(table(residuals), [{ metric: 'lat', max: 5 }], 0.99), /rests on 19 cross-validated residuals, too few for it \(needs 99\)/);
  assert.throws(() => holdLimits(table(residuals), [{ metric: 'energy', max: 5 }], 0.9), /limit on energy: the block table has no such metric/);
});
