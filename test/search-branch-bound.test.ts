import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additive } from '../src/core/additive.js';
import { createRng, type Rng } from '../src/random.js';
import { satisfiesRules } from '../src/space/space.js';
import { branchAndBound } from '../src/search/branch-bound.js';
import { dropDominated, Propagator } from '../src/search/choice-program.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { solveIlp } from '../src/search/ilp.js';
import { lagrangeMultipliers } from '../src/search/lagrange.js';
import { objectiveValue, type Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';
import { genomes, programOf } from './helpers/choice.js';
import { assertClose } from './helpers/assert.js';

function feasible(p: Problem, g: readonly number[]): boolean {
  const within = (l: Problem['limits'][number]) => additive(l.model, g) <= l.max + 1e-9 * Math.max(1, Math.abs(l.max));
  return satisfiesRules(p.rules, g) && p.limits.every(within);
}

/** Values rounded to quarters, so that many architectures tie (as with MathNAS's rounded BLEU and top-1 tables). */
function quantised(p: Problem): Problem {
  const round = (rows: readonly (readonly number[])[]) => rows.map((row) => row.map((v) => Math.round(v * 4) / 4));
  return { ...p, objective: { ...p.objective, model: { ...p.objective.model, values: round(p.objective.model.values) } } };
}

function randomShape(rng: Rng, k: number): Problem {
  const p = randomProblem(rng, { nodes: [2, 7], blocks: [1, 6], limits: [0, 3], rules: [0, 4], pairs: k % 2 ? [1, 10] : [0, 0] });
  return k % 3 === 0 ? quantised(p) : p;
}

test('branch and bound returns the genome enumeration returns, ties included, on 400 random problems', () => {
  const rng = createRng(2718);
  const seen = { optimal: 0, infeasible: 0, tied: 0 };
  for (let k = 0; k < 400; k++) {
    const p = randomShape(rng, k);
    const ref = solveExhaustive(p);
    const r = branchAndBound(programOf(p));
    assert.notEqual(r.status, 'unfinished', `instance ${k}`);
    assert.equal(r.status, ref.status, `instance ${k}`);
    if (r.status !== 'optimal') {
      seen.infeasible++;
      continue;
    }
    seen.optimal++;
    assert.deepEqual(r.genome, ref.genome, `instance ${k}: first optimum in rank order`);
    const ties = genomes(p.radix).filter((g) => feasible(p, g) && objectiveValue(p.objective, g) === ref.objective);
    if (ties.length > 1) seen.tied++;
  }
  assert.ok(seen.optimal >= 250 && seen.infeasible >= 20, `optimal ${seen.optimal}, infeasible ${seen.infeasible}`);
  assert.ok(seen.tied >= 20, `only ${seen.tied} instances with tied optima: the tie-breaking went untested`);
});

test('solveIlp equals enumeration through the branch and bound, linear and FLOPs-scaled, with minAchievable', async () => {
  const rng = createRng(31415);
  for (let k = 0; k < 60; k++) {
    const p = randomProblem(rng, { nodes: [3, 6], blocks: [2, 5], pairs: k % 2 ? [1, 6] : [0, 0], fractional: k % 3 === 0, negativeReference: 0.25 });
    const ilp = await solveIlp(p);
    const ref = solveExhaustive(p);
    assert.equal(ilp.status, ref.status, `instance ${k}`);
    if (ref.status === 'infeasible') {
      assert.deepEqual(Object.keys(ilp.minAchievable ?? {}), Object.keys(ref.minAchievable ?? {}), `instance ${k}`);
      for (const [m, v] of Object.entries(ref.minAchievable ?? {})) assertClose(ilp.minAchievable![m]!, v, 1e-9 * Math.max(1, Math.abs(v)), `instance ${k} ${m}`);
      continue;
    }
    assertClose(ilp.objective, ref.objective, 1e-9 * Math.max(1, Math.abs(ref.objective)), `instance ${k}`);
    assert.ok(feasible(p, ilp.genome!), `instance ${k}: [${ilp.genome}] breaks a limit or rule`);
  }
});

test('past its work limit the search hands over to HiGHS with its incumbent, and the optimum is the same', async () => {
  const rng = createRng(1618);
  let handedOver = 0;
  for (let k = 0; k < 40; k++) {
    const p = randomProblem(rng, { nodes: [4, 6], blocks: [3, 5], limits: [1, 2], rules: [0, 2], pairs: k % 2 ? [2, 8] : [0, 0] });
    const ref = solveExhaustive(p);
    const bb = branchAndBound(programOf(p), { workLimit: 8 });
    if (bb.status === 'unfinished') handedOver++;
    if (bb.status === 'unfinished' && bb.genome) assert.ok(feasible(p, bb.genome), `instance ${k}: the incumbent must be feasible`);
    const ilp = await solveIlp(p, { workLimit: 8 });
    assert.equal(ilp.status, ref.status, `instance ${k}`);
    if (ref.status === 'optimal') assertClose(ilp.objective, ref.objective, 1e-9 * Math.max(1, Math.abs(ref.objective)), `instance ${k}`);
  }
  assert.ok(handedOver >= 20, `only ${handedOver} searches reached the work limit`);
});

test('propagation keeps every block some feasible genome uses, and drops blocks none can use', () => {
  const rng = createRng(99);
  let dropped = 0;
  for (let k = 0; k < 150; k++) {
    const p = randomProblem(rng, { nodes: [2, 5], blocks: [2, 5], limits: [1, 3], rules: [1, 4] });
    const program = programOf(p);
    const d = p.radix.map((r) => Array.from({ length: r }, (_, a) => a));
    const ok = new Propagator(program).propagate(d, p.radix.map((_, i) => i));
    const used = p.radix.map(() => new Set<number>());
    for (const g of genomes(p.radix).filter((x) => feasible(p, x))) g.forEach((a, i) => used[i]!.add(a));
    if (!ok) {
      assert.ok(used.every((s) => s.size === 0), `instance ${k}: propagation called a feasible problem infeasible`);
      continue;
    }
    used.forEach((s, i) => s.forEach((a) => assert.ok(d[i]!.includes(a), `instance ${k}: node ${i} block ${a} dropped`)));
    dropped += d.reduce((n, dom, i) => n + p.radix[i]! - dom.length, 0);
  }
  assert.ok(dropped > 50, `propagation dropped only ${dropped} blocks: the test shows nothing`);
});

test('dominated blocks go only when a kept block does at least as well and comes earlier in rank order', () => {
  const p: Problem = {
    radix: [4, 2],
    // Block 1 is beaten by block 0 (same value, lighter, earlier); block 3 ties block 2 but comes later; block 2 is
    // heavier than block 0 but better, so it stays.
    objective: { model: { intercept: 0, values: [[5, 5, 7, 7], [0, 1]] } },
    limits: [{ metric: 'lat', model: { intercept: 0, values: [[1, 2, 3, 3], [0, 0]] }, max: 10 }],
    rules: [],
  };
  const d = p.radix.map((r) => Array.from({ length: r }, (_, a) => a));
  assert.deepEqual(dropDominated(programOf(p), d, 1e-12), [0, 1]);
  assert.deepEqual(d, [[0, 2], [1]]);
});

/** The bound at μ, and the best value of the relaxation (max Σ values subject to Σ weights <= capacity) by enumeration. */
function relaxationAt(values: Float64Array[], weights: number[][][], caps: number[], mu: Float64Array): number {
  let bound = caps.reduce((s, c, l) => s + mu[l]! * c, 0);
  values.forEach((row, j) => (bound += Math.max(...Array.from(row, (v, a) => v - weights.reduce((s, w, l) => s + mu[l]! * w[j]![a]!, 0)))));
  return bound;
}

test('Lagrange multipliers give a bound at or above the relaxation optimum, minimal along each multiplier', () => {
  const rng = createRng(42);
  for (let k = 0; k < 200; k++) {
    const radix = Array.from({ length: 2 + rng.int(4) }, () => 1 + rng.int(5));
    const limits = 1 + (k % 3);
    const values = radix.map((r) => Float64Array.from({ length: r }, () => rng.next()));
    const weights = Array.from({ length: limits }, () => radix.map((r) => Array.from({ length: r }, () => rng.next())));
    // Between the lightest and the heaviest choice, so the relaxation is feasible and its bound has a minimum.
    const sum = (w: number[][], f: (row: number[]) => number) => w.reduce((s, row) => s + f(row), 0);
    const caps = weights.map((w) => sum(w, (row) => Math.min(...row)) + rng.next() * (sum(w, (row) => Math.max(...row)) - sum(w, (row) => Math.min(...row))));
    const mu = lagrangeMultipliers({ free: radix.map((r) => Array.from({ length: r }, (_, a) => a)), values, weights, capacity: caps }, new Float64Array(limits));
    assert.ok(mu.every((m) => m >= 0), `instance ${k}: negative multiplier`);
    let best = -Infinity;
    for (const g of genomes(radix)) {
      if (weights.every((w, l) => g.reduce((s, a, j) => s + w[j]![a]!, 0) <= caps[l]!)) best = Math.max(best, g.reduce((s, a, j) => s + values[j]![a]!, 0));
    }
    const bound = relaxationAt(values, weights, caps, mu);
    assert.ok(bound >= best - 1e-12, `instance ${k}: bound ${bound} below the optimum ${best}`);
    if (limits > 1) continue;
    // One limit: exact line minimum, so moving μ either way cannot lower the bound.
    for (const step of [1e-3, 1e-6]) {
      for (const m of [mu[0]! + step, Math.max(0, mu[0]! - step)]) {
        assert.ok(relaxationAt(values, weights, caps, Float64Array.of(m)) >= bound - 1e-12, `instance ${k}: μ ${mu[0]} is not the minimum`);
      }
    }
  }
});
