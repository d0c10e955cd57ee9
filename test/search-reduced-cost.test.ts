import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { satisfiesRules } from '../src/space/space.js';
import { openBlocks } from '../src/search/branch-bound.js';
import { Propagator, type Domains } from '../src/search/choice-program.js';
import { lagrangeIncumbent } from '../src/search/lagrange-incumbent.js';
import { limitValue, type Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';
import { genomes, programOf } from './helpers/choice.js';

/** The choice program's objective (no intercept), summed from the definitions. */
function valueOf(p: Problem, g: readonly number[]): number {
  let v = 0;
  g.forEach((a, i) => (v += p.objective.model.values[i]![a]!));
  for (const q of p.objective.pairs ?? []) v += q.values[g[q.i]!]![g[q.j]!]!;
  return v;
}

function feasible(p: Problem, g: readonly number[]): boolean {
  return satisfiesRules(p.rules, g) && p.limits.every((l) => limitValue(l, g) <= l.max + 1e-9 * Math.max(1, Math.abs(l.max)));
}

/** Values rounded to quarters, so that many genomes tie at the target. */
function quantised(p: Problem): Problem {
  const values = p.objective.model.values.map((row) => row.map((v) => Math.round(v * 4) / 4));
  return { ...p, objective: { ...p.objective, model: { ...p.objective.model, values } } };
}

test('reduced-cost fixing keeps every block of every genome reaching the target, against enumeration', () => {
  const rng = createRng(5150);
  let dropped = 0;
  let checked = 0;
  for (let k = 0; k < 300; k++) {
    const raw = randomProblem(rng, { nodes: [3, 7], blocks: [2, 5], limits: [1, 3], rules: [0, 3], pairs: k % 2 ? [1, 6] : [0, 0], limitPairs: k % 3 === 0 ? [1, 4] : [0, 0] });
    const p = k % 4 === 0 ? quantised(raw) : raw;
    const scored = genomes(p.radix)
      .filter((g) => feasible(p, g))
      .map((g) => ({ g, v: valueOf(p, g) }))
      .sort((a, b) => b.v - a.v);
    if (scored.length === 0) continue;
    // The optimum, and a lower target that several genomes reach.
    for (const target of [scored[0]!.v, scored[Math.min(3, scored.length - 1)]!.v]) {
      const d = openBlocks(programOf(p), target);
      assert.ok(d, `instance ${k}: feasible genomes exist, yet no domains`);
      for (const { g, v } of scored) {
        if (v < target) break;
        checked++;
        g.forEach((a, i) => assert.ok(d[i]!.includes(a), `instance ${k}: node ${i} block ${a} of [${g}] (value ${v} >= ${target}) dropped`));
      }
      dropped += d.reduce((n, dom, i) => n + p.radix[i]! - dom.length, 0);
    }
  }
  assert.ok(checked > 500 && dropped > 500, `checked ${checked} genomes, dropped ${dropped} blocks: the test shows little`);
});

test('the Lagrangian incumbent keeps every limit and uses only blocks of the domains', () => {
  const rng = createRng(6061);
  let found = 0;
  let feasibleCount = 0;
  for (let k = 0; k < 200; k++) {
    const p = randomProblem(rng, { nodes: [3, 12], blocks: [2, 6], limits: [1, 3], rules: [0, 0] });
    const program = programOf(p);
    const d: Domains = p.radix.map((r) => Array.from({ length: r }, (_, a) => a).filter(() => rng.next() < 0.8));
    d.forEach((dom, i) => dom.length === 0 && (d[i] = [rng.int(p.radix[i]!)]));
    const start = d.map((dom) => dom[rng.int(dom.length)]!);
    const g = lagrangeIncumbent(program.values, program.weights, program.caps, d, start);
    const any = p.radix.reduce((n, r) => n * r, 1) <= 4096 ? genomes(p.radix).some((x) => x.every((a, i) => d[i]!.includes(a)) && feasible(p, x)) : null;
    if (any) feasibleCount++;
    if (!g) continue;
    if (any) found++;
    g.forEach((a, i) => assert.ok(d[i]!.includes(a), `instance ${k}: node ${i} block ${a} is outside its domain`));
    assert.ok(feasible(p, g), `instance ${k}: [${g}] breaks a limit`);
  }
  assert.ok(found >= 0.8 * feasibleCount && feasibleCount >= 40, `an incumbent in ${found} of ${feasibleCount} feasible instances`);
});

test('a propagator reused across domains narrows exactly as a fresh one', () => {
  const rng = createRng(7071);
  let narrowed = 0;
  for (let k = 0; k < 60; k++) {
    const p = randomProblem(rng, { nodes: [3, 8], blocks: [2, 6], limits: [1, 3], rules: [0, 4], limitPairs: k % 3 === 0 ? [1, 3] : [0, 0] });
    const program = programOf(p);
    const shared = new Propagator(program);
    // A few arrays per node, reused across calls, as the search shares domains between search nodes.
    const pool = p.radix.map((r) => [Array.from({ length: r }, (_, a) => a), ...Array.from({ length: 3 }, () => [rng.int(r)]), Array.from({ length: r }, (_, a) => a).filter((a) => a % 2 === 0)]);
    for (let t = 0; t < 30; t++) {
      const d: Domains = pool.map((arrays) => arrays[rng.int(arrays.length)]!);
      const changed = d.map((_, i) => i).filter(() => rng.next() < 0.5);
      const a = d.slice();
      const b = d.slice();
      const okA = shared.propagate(a, changed);
      const okB = new Propagator(program).propagate(b, changed);
      assert.equal(okA, okB, `instance ${k} step ${t}`);
      if (!okA) continue;
      assert.deepEqual(a, b, `instance ${k} step ${t}`);
      if (a.some((dom, i) => dom !== d[i])) narrowed++;
    }
  }
  assert.ok(narrowed > 100, `only ${narrowed} propagations narrowed a domain`);
});
