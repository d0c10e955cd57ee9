import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe as stats, finitePairs, groupDiversity, pds, pdsFromSpreads, scaledSpread } from '../src/analysis/pds.js';
import { kendallTau } from '../src/stats/kendall.js';
import { assertClose } from './helpers/assert.js';

const acc = [1, 2, 3, 4, 5];
const proxy = [1, 2, 3, 4, 100];

test('literal (min-max) PDS by hand', () => {
  // acc scaled: 0, .25, .5, .75, 1 → mean .5, SD = sqrt((.25 + .0625 + 0 + .0625 + .25) / 5).
  const sAcc = Math.sqrt((0.25 + 0.0625 + 0 + 0.0625 + 0.25) / 5);
  // proxy scaled: 0, 1/99, 2/99, 3/99, 1 → mean 21/99.
  const p = [0, 1 / 99, 2 / 99, 3 / 99, 1];
  const m = 21 / 99;
  const sProxy = Math.sqrt(p.reduce((s, x) => s + (x - m) ** 2, 0) / 5);
  assertClose(scaledSpread(acc, 'minmax'), sAcc, 1e-12, 'acc spread');
  assertClose(scaledSpread(proxy, 'minmax'), sProxy, 1e-12, 'proxy spread');
  assertClose(pds(proxy, acc, 'minmax'), Math.abs(sProxy - sAcc) / ((sProxy + sAcc) / 2), 1e-12, 'PDS');
});

test('robust PDS by hand: IQR over the 5-95 % range, linear quantiles', () => {
  // n = 5: q05 at position 0.2, q25 at 1, q75 at 3, q95 at 3.8 of the sorted values.
  const sAcc = (4 - 2) / (4.8 - 1.2);
  const sProxy = (4 - 2) / (4 + 0.8 * 96 - 1.2);
  assertClose(scaledSpread(acc, 'robust'), sAcc, 1e-12, 'acc spread');
  assertClose(scaledSpread(proxy, 'robust'), sProxy, 1e-12, 'proxy spread');
  assertClose(pds(proxy, acc, 'robust'), Math.abs(sProxy - sAcc) / ((sProxy + sAcc) / 2), 1e-12, 'PDS');
});

test('rank PDS is 0 without ties and small with them: ranks make every variable uniform', () => {
  assert.equal(pds(proxy, acc, 'rank'), 0);
  const tied = [1, 1, 1, 2, 3];
  // Average ranks 2, 2, 2, 4, 5 over n = 5, against 1..5.
  const r = [2, 2, 2, 4, 5].map((x) => x / 5);
  const mean = r.reduce((a, b) => a + b) / 5;
  const sTied = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 5);
  const sPlain = Math.sqrt([1, 2, 3, 4, 5].reduce((s, x) => s + (x / 5 - 0.6) ** 2, 0) / 5);
  assertClose(pds(tied, acc, 'rank'), Math.abs(sTied - sPlain) / ((sTied + sPlain) / 2), 1e-12, 'tied rank PDS');
});

test('PDS edge cases: identical spreads give 0, the maximum is 2, constants give NaN', () => {
  assert.equal(pdsFromSpreads(0.3, 0.3), 0);
  assert.equal(pdsFromSpreads(0, 0.3), 2);
  assert.ok(Number.isNaN(pds([1, 1, 1], [1, 2, 3], 'minmax')), 'a constant proxy has no min-max scale');
  assert.ok(Number.isNaN(pds([1, 2, 3], [1, 2, 3].map(() => 7), 'robust')), 'a constant accuracy has no robust scale');
});

test('every variant is unchanged by a positive affine change of either variable', () => {
  const a = [3, 9, 4, 1, 7, 7, 2, 8, 5, 6];
  const p = [0.2, 5, 0.1, -3, 2, 2.5, 0, 9, 1, 1.5];
  for (const v of ['minmax', 'robust', 'rank'] as const) {
    assertClose(pds(p.map((x) => 1000 * x - 7), a.map((x) => x / 100 + 3), v), pds(p, a, v), 1e-12, v);
  }
});

test('one sentinel score moves the literal PDS a lot and the robust PDS not at all', () => {
  // 200 archs whose proxy tracks accuracy, then one failed score at the NASLib floor.
  const a = Array.from({ length: 200 }, (_, i) => 80 + (i % 20) * 0.5 + Math.floor(i / 20) * 0.1);
  const p = a.map((x, i) => -300 + 4 * x + ((i * 37) % 11));
  const withSentinel = { p: [...p, -1e8], a: [...a, 85] };
  const literalShift = Math.abs(pds(withSentinel.p, withSentinel.a, 'minmax') - pds(p, a, 'minmax'));
  const robustShift = Math.abs(pds(withSentinel.p, withSentinel.a, 'robust') - pds(p, a, 'robust'));
  assert.ok(literalShift > 0.5, `literal PDS moved only ${literalShift}`);
  assert.ok(robustShift < 0.05, `robust PDS moved ${robustShift}`);
});

test('groupDiversity drops non-finite pairs and reports Kendall tau-b of the rest', () => {
  const p = [1, NaN, 3, -Infinity, 5, 2];
  const a = [2, 4, 1, 3, 5, NaN];
  const kept = finitePairs(p, a);
  assert.deepEqual([...kept.proxy], [1, 3, 5]);
  assert.deepEqual([...kept.acc], [2, 1, 5]);
  const g = groupDiversity('t', p, a);
  assert.equal(g.n, 3);
  assertClose(g.kendall, kendallTau([1, 3, 5], [2, 1, 5]), 1e-15, 'kendall');
  assertClose(g.pds.robust, pds([1, 3, 5], [2, 1, 5], 'robust'), 1e-15, 'robust');
  const d = stats([1, 3, 5]);
  assertClose(d.sd, Math.sqrt(8 / 3), 1e-12, 'population SD');
  assert.equal(d.q25, 2);
});
