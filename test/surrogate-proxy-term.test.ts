import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Genome } from '../src/space/types.js';
import { withProxyTerm } from '../src/surrogate/proxy-term.js';
import type { Surrogate } from '../src/surrogate/types.js';

/** Predicts the training mean whatever it is asked: all it leaves is residuals. */
function meanModel(): Surrogate {
  let m: number | undefined;
  return {
    name: 'mean',
    fit: (_x, y) => void (m = y.reduce((s, v) => s + v, 0) / y.length),
    predict: (x) => new Float64Array(x.length).fill(m!),
  };
}

/** Predicts the first block's index: part of the truth. */
function firstBlock(): Surrogate {
  return { name: 'first', fit() {}, predict: (x) => Float64Array.from(x, (g) => g[0]!) };
}

test('proxy term: fits the residuals by least squares, so a target linear in the feature is predicted exactly', () => {
  const feature = (g: Genome) => g[1]! / 4;
  const x: Genome[] = [[0, 0], [1, 1], [2, 2], [0, 4], [3, 3]];
  const y = x.map((g) => 2 + 3 * feature(g));
  const s = withProxyTerm(meanModel(), feature);
  s.fit(x, y);
  // mean of y = 2 + 3 * mean(f) = 2 + 3 * 0.5 = 3.5; the residual y - 3.5 = -1.5 + 3 f: intercept -1.5, slope 3
  assert.ok(Math.abs(s.term!.intercept + 1.5) < 1e-12 && Math.abs(s.term!.slope - 3) < 1e-12, JSON.stringify(s.term));
  const fresh: Genome[] = [[4, 3], [1, 0]];
  assert.deepEqual([...s.predict(fresh)].map((v) => +v.toFixed(12)), [2 + 3 * 0.75, 2]);
  assert.equal(s.name, 'mean+proxy');
});

test('proxy term: only what the inner model leaves is fitted, and a feature constant over the fit adds the mean residual', () => {
  const feature = (g: Genome) => g[1]!;
  const x: Genome[] = [[0, 0], [1, 1], [2, 0], [3, 1]];
  // y = first block + 2 * feature: the inner model explains the first part, the term the rest
  const s = withProxyTerm(firstBlock(), feature);
  s.fit(x, x.map((g) => g[0]! + 2 * g[1]!));
  assert.deepEqual(s.term, { intercept: 0, slope: 2 });
  const flat = withProxyTerm(meanModel(), () => 0.5);
  flat.fit(x, [1, 2, 3, 6]);
  assert.deepEqual(flat.term, { intercept: 0, slope: 0 });
  assert.throws(() => withProxyTerm(meanModel(), feature).predict(x), /predict before fit/);
});
