import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kendallTau } from '../src/stats/kendall.js';
import { averageRanks, spearman } from '../src/stats/rank.js';
import { createRng } from '../src/random.js';

/** O(n²) tau-b straight from its definition, the oracle for the O(n log n) version. */
function kendallNaive(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign(x[i]! - x[j]!);
      const b = Math.sign(y[i]! - y[j]!);
      if (a === 0 && b === 0) continue;
      if (a === 0) tx++;
      else if (b === 0) ty++;
      else if (a === b) c++;
      else d++;
    }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

test('average ranks give ties their mean rank', () => {
  assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5])), [2, 3.5, 3.5, 1]);
});

test('spearman: hand-computed case and perfect monotone relation', () => {
  // ranks x = 1..5, y ranks = [2,1,4,3,5]: d² = 1+1+1+1+0 = 4, rho = 1 - 6·4/(5·24) = 0.8
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50]) - 0.8) < 1e-12);
  assert.equal(spearman([1, 2, 3], [1, 8, 27]), 1);
  assert.equal(spearman([1, 2, 3], [3, 2, 1]), -1);
});

test('kendall tau-b: hand case, and equals the O(n²) definition on random data with ties', () => {
  // pairs of [1,2,3] vs [1,3,2]: 2 concordant, 1 discordant → tau = 1/3
  assert.ok(Math.abs(kendallTau([1, 2, 3], [1, 3, 2]) - 1 / 3) < 1e-12);
  const rng = createRng(7);
  for (let t = 0; t < 30; t++) {
    const n = 5 + rng.int(60);
    const x = Array.from({ length: n }, () => rng.int(8));
    const y = Array.from({ length: n }, () => rng.int(8));
    const fast = kendallTau(x, y);
    const slow = kendallNaive(x, y);
    assert.ok(Math.abs(fast - slow) < 1e-12, `n=${n}: ${fast} vs ${slow}`);
  }
});
