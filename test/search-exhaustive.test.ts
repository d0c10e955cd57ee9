import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additive } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { allGenomes, satisfiesRules } from '../src/space/space.js';
import { enumerationFeasibleLimit, solveExhaustive, spaceSizeOf } from '../src/search/exhaustive.js';
import { objectiveValue, type Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';

/** The obvious definition, with no pruning or prefix sums, to check the fast walk against. */
function naive(p: Problem): { best: number; min: Record<string, number> | null } {
  let best = -Infinity;
  const min: Record<string, number> = {};
  let anyRuleOk = false;
  for (const g of allGenomes(p.radix)) {
    if (!satisfiesRules(p.rules, g)) continue;
    anyRuleOk = true;
    for (const l of p.limits) min[l.metric] = Math.min(min[l.metric] ?? Infinity, additive(l.model, g));
    if (p.limits.some((l) => additive(l.model, g) > l.max)) continue;
    best = Math.max(best, objectiveValue(p.objective, g));
  }
  return { best, min: anyRuleOk ? min : null };
}

test('pruned enumeration matches the naive definition on 150 random problems', () => {
  const rng = createRng(99);
  let infeasible = 0;
  for (let k = 0; k < 150; k++) {
    const p = randomProblem(rng, { fractional: k % 3 === 0, negativeReference: 0.3, rules: [0, 4], pairs: [0, 3] });
    const s = solveExhaustive(p);
    const ref = naive(p);
    if (ref.best === -Infinity) {
      infeasible++;
      assert.equal(s.status, 'infeasible', `instance ${k}`);
      assert.equal(s.genome, null);
      if (p.limits.length > 0 && ref.min) assert.deepEqual(s.minAchievable, ref.min);
      continue;
    }
    assert.equal(s.status, 'optimal', `instance ${k}`);
    assert.ok(Math.abs(s.objective - ref.best) <= 1e-12 * Math.max(1, Math.abs(ref.best)), `instance ${k}`);
    assert.equal(s.objective, objectiveValue(p.objective, s.genome!));
    assert.ok(satisfiesRules(p.rules, s.genome!));
  }
  assert.ok(infeasible >= 5 && infeasible <= 140, `${infeasible} infeasible`);
});

test('ties go to the first genome in rank order', () => {
  const model = { intercept: 0, values: [[1, 2, 2], [0, 0]] };
  const p: Problem = { radix: [3, 2], objective: { model }, limits: [], rules: [] };
  assert.deepEqual(solveExhaustive(p).genome, [1, 0]);
});

test('enumerates 5^6 = 15,625 genomes in well under 50 ms', () => {
  const rng = createRng(3);
  const p = randomProblem(rng, { nodes: [6, 6], blocks: [5, 5], limits: [2, 2], rules: [2, 2], fractional: true });
  assert.equal(spaceSizeOf(p), 15_625);
  assert.ok(spaceSizeOf(p) <= enumerationFeasibleLimit);
  // Loose limits so pruning cannot make the timing trivially small.
  const loose: Problem = { ...p, limits: p.limits.map((l) => ({ ...l, max: l.max + 100 })) };
  solveExhaustive(loose);
  const times: number[] = [];
  for (let k = 0; k < 5; k++) times.push(solveExhaustive(loose).solveMs);
  times.sort((a, b) => a - b);
  assert.ok(times[2]! < 50, `median ${times[2]} ms`);
});

test('spaceSizeOf is the product of block counts', () => {
  assert.equal(spaceSizeOf({ radix: [5, 5, 5, 5, 5, 5] }), 15_625);
  assert.equal(spaceSizeOf({ radix: [2, 3, 7] }), 42);
});
