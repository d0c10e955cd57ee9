import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCandidates } from '../src/predict/fit.js';
import { createRng } from '../src/random.js';
import { blockRidge } from '../src/surrogate/block-ridge.js';
import { gradientBoosting } from '../src/surrogate/boosting.js';
import { randomForest } from '../src/surrogate/forest.js';
import { createSurrogate, defaultSurrogates } from '../src/surrogate/registry.js';
import { rankTarget } from '../src/surrogate/rank-target.js';
import { selectSurrogate } from '../src/surrogate/select.js';
import { assertClose } from './helpers/assert.js';

const additiveOnly = (radix: number[]) => defaultCandidates(radix).filter((c) => !c.pairs);

function randomGenomes(radix: number[], count: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => radix.map((r) => rng.int(r)));
}

test('select: an additive target picks the block ridge, refitted on all the data', () => {
  const radix = [5, 5, 5, 5, 5, 5];
  const rng = createRng(8);
  const values = radix.map((r) => Array.from({ length: r }, () => rng.next()));
  const x = randomGenomes(radix, 150, 9);
  const y = x.map((g) => g.reduce((s, b, i) => s + values[i]![b]!, 0) + 0.01 * rng.next());
  // The ridge goes last, so it cannot win by the tie rule. Main-effect candidates only: pair terms would be
  // right too, but cost seconds per fit.
  const ridge = () => blockRidge({ radix, seed: 1, candidates: additiveOnly(radix) });
  const pool = [randomForest({ radix, trees: 30, seed: 1 }), gradientBoosting({ radix, rounds: 100, seed: 1 }), ridge()];
  const { best, scores } = selectSurrogate(pool, x, y, { folds: 5, seed: 2 });
  assert.equal(best.name, 'block-ridge');
  assert.deepEqual(scores.map((s) => s.name), ['random-forest', 'gradient-boosting', 'block-ridge']);
  scores.forEach((s) => assert.equal(s.foldTaus.length, 5, `${s.name}: one tau per fold`));
  assert.ok(scores[2]!.tau > 0.95, `ridge CV tau ${scores[2]!.tau}`);
  assert.ok(scores[2]!.tau > scores[0]!.tau + 0.1, `ridge ${scores[2]!.tau} clearly above forest ${scores[0]!.tau}`);
  // Refitted on everything: identical to a fresh ridge fitted on all 150 points.
  const fresh = ridge();
  fresh.fit(x, y);
  const probe = randomGenomes(radix, 20, 10);
  const a = best.predict(probe);
  const b = fresh.predict(probe);
  probe.forEach((_, i) => assertClose(a[i]!, b[i]!, 0, `refit prediction ${i}`));
});

test('select: an interaction target picks the forest over the additive block model', () => {
  const radix = [5, 5, 5, 5, 5];
  // An XOR of two thresholds: mostly interaction, but with enough marginal signal for greedy splits to find it.
  const f = (g: readonly number[]) => (g[0]! >= 3 !== g[1]! >= 3 ? 10 : 0) + 0.3 * g[2]!;
  const x = randomGenomes(radix, 120, 3);
  const y = x.map(f);
  const pool = [blockRidge({ radix, seed: 0, candidates: additiveOnly(radix) }), randomForest({ radix, encoding: 'ordinal', trees: 50, seed: 0 })];
  const { best, scores } = selectSurrogate(pool, x, y, { folds: 4, seed: 0 });
  assert.equal(best.name, 'random-forest');
  assert.ok(scores[1]!.tau > scores[0]!.tau + 0.3, `forest ${scores[1]!.tau} against additive ridge ${scores[0]!.tau}`);
});

test('select: deterministic in its seed, and repeats multiply the folds', () => {
  const radix = [4, 4, 4, 4];
  const x = randomGenomes(radix, 60, 4);
  const y = x.map((g) => g[0]! * g[1]! - g[2]! + 0.5 * g[3]!);
  const run = (seed: number, repeats = 1) =>
    selectSurrogate([randomForest({ radix, trees: 10, seed: 0 }), createSurrogate('rbf', { radix })], x, y, { folds: 3, repeats, seed }).scores.map((s) => s.foldTaus);
  assert.deepEqual(run(1), run(1));
  assert.notDeepEqual(run(1), run(2));
  assert.equal(run(1, 2)[0]!.length, 6);
  assert.throws(() => selectSurrogate(defaultSurrogates(radix), x.slice(0, 7), y.slice(0, 7), { folds: 5 }), /cannot make 5 folds/);
});

test('rank target: fits ranks, maps back to the metric, keeps the order', () => {
  const radix = [5, 5, 5];
  const x = randomGenomes(radix, 80, 12);
  // A failed-training tail: a few networks far below the rest.
  const y = x.map((g) => (g[0] === 0 ? 1 : 60 + g[1]! + 0.5 * g[2]!));
  const s = rankTarget(createSurrogate('gp', { radix }));
  s.fit(x, y);
  assert.equal(s.name, 'gp-matern52+rank');
  const p = s.predict(x);
  const lo = Math.min(...y);
  const hi = Math.max(...y);
  p.forEach((v, i) => assert.ok(v >= lo && v <= hi, `prediction ${i} = ${v} within the observed range [${lo}, ${hi}]`));
  const r = rankTarget(createSurrogate('gp', { radix }), { output: 'rank' });
  r.fit(x, y);
  const q = r.predict(x);
  q.forEach((v, i) => assert.ok(v > -0.5 && v < 1.5, `rank score ${i} = ${v} on the 0..1 scale`));
});
