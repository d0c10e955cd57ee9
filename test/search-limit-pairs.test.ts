import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/errors.js';
import type { PairTerm } from '../src/core/additive.js';
import { createRng, type Rng } from '../src/random.js';
import type { CouplingRule } from '../src/space/types.js';
import { branchAndBound } from '../src/search/branch-bound.js';
import { choiceProgram, Propagator } from '../src/search/choice-program.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { buildProgram, columnValues, type BinaryProgram } from '../src/search/formulation.js';
import { solveIlp } from '../src/search/ilp.js';
import { findIncumbent } from '../src/search/incumbent.js';
import type { MipModel } from '../src/search/mip-model.js';
import { sweepRange } from '../src/search/pareto.js';
import type { Limit, Problem, Solution } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';
import { paretoPool } from '../src/switching/pool.js';

// The truth here is written out from the definitions, independently of every solver.

function* product(radix: readonly number[]): Generator<number[]> {
  const g = radix.map(() => 0);
  for (;;) {
    yield [...g];
    let i = radix.length - 1;
    while (i >= 0 && ++g[i]! === radix[i]!) g[i--] = 0;
    if (i < 0) return;
  }
}

function limitOf(l: Limit, g: readonly number[]): number {
  let v = l.model.intercept;
  g.forEach((a, i) => (v += l.model.values[i]![a]!));
  for (const p of l.pairs ?? []) v += p.values[g[p.i]!]![g[p.j]!]!;
  return v;
}

function objectiveOf(p: Problem, g: readonly number[]): number {
  const { model, pairs, scale } = p.objective;
  let v = 0;
  g.forEach((a, i) => (v += model.values[i]![a]!));
  for (const q of pairs ?? []) v += q.values[g[q.i]!]![g[q.j]!]!;
  if (!scale) return model.intercept + v;
  let d = scale.denominator.intercept;
  g.forEach((a, i) => (d += scale.denominator.values[i]![a]!));
  return model.intercept + (scale.reference * v) / d;
}

function rulesHold(rules: readonly CouplingRule[], g: readonly number[]): boolean {
  return rules.every((r) => {
    const lhs = r.terms.reduce((s, t) => s + (g[t.node] === t.block ? t.coef : 0), 0);
    return r.op === '<=' ? lhs <= r.rhs + 1e-9 : r.op === '>=' ? lhs >= r.rhs - 1e-9 : Math.abs(lhs - r.rhs) <= 1e-9;
  });
}

const within = (l: Limit, g: readonly number[]) => limitOf(l, g) <= l.max + 1e-9 * Math.max(1, Math.abs(l.max));

interface Truth {
  readonly best: number;
  /** Smallest value of each limit over the genomes that keep the rules; null when none does. */
  readonly min: Record<string, number> | null;
}

function bruteForce(p: Problem): Truth {
  let best = -Infinity;
  let min: Record<string, number> | null = null;
  for (const g of product(p.radix)) {
    if (!rulesHold(p.rules, g)) continue;
    min ??= {};
    for (const l of p.limits) min[l.metric] = Math.min(min[l.metric] ?? Infinity, limitOf(l, g));
    if (p.limits.every((l) => within(l, g))) best = Math.max(best, objectiveOf(p, g));
  }
  return { best, min };
}

function randomPairs(rng: Rng, radix: readonly number[], count: number, size: number): PairTerm[] {
  return Array.from({ length: count }, () => {
    const i = rng.int(radix.length);
    const j = (i + 1 + rng.int(radix.length - 1)) % radix.length;
    return { i, j, values: Array.from({ length: radix[i]! }, () => Array.from({ length: radix[j]! }, () => size * (2 * rng.next() - 1))) };
  });
}

/**
 * A random problem whose limits carry pair terms as large as a node's spread, with each limit's max drawn from the
 * values its rule-feasible genomes take: below the smallest (infeasible), near the low end (tight) or high (loose).
 */
function randomPairLimitProblem(rng: Rng, k: number): Problem {
  const p = randomProblem(rng, { nodes: [4, 7], blocks: [2, 5], limits: [1, 2], rules: k % 3 === 0 ? [1, 3] : [0, 0], pairs: k % 2 ? [1, 4] : [0, 0], fractional: k % 7 === 3 });
  const limits = p.limits.map((l) => ({ ...l, pairs: randomPairs(rng, p.radix, 1 + rng.int(4), 0.8) }));
  const values = limits.map((l) => [...product(p.radix)].filter((g) => rulesHold(p.rules, g)).map((g) => limitOf(l, g)).sort((a, b) => a - b));
  const kind = k % 4;
  return {
    ...p,
    limits: limits.map((l, m) => {
      const v = values[m]!;
      if (v.length === 0) return l;
      if (kind === 0 && m === 0) return { ...l, max: v[0]! - 0.05 };
      const q = kind === 1 ? 0.02 + 0.1 * rng.next() : kind === 2 ? 0.6 + 0.3 * rng.next() : 0.2 + 0.3 * rng.next();
      return { ...l, max: v[Math.floor(q * v.length)]! };
    }),
  };
}

function assertAgrees(p: Problem, s: Solution, truth: Truth, what: string): void {
  if (truth.best === -Infinity) {
    assert.equal(s.status, 'infeasible', `${what}: expected infeasible`);
    if (truth.min && p.limits.length > 0) {
      for (const l of p.limits) {
        const got = s.minAchievable?.[l.metric] ?? NaN;
        assert.ok(Math.abs(got - truth.min[l.metric]!) <= 1e-9, `${what}: minAchievable ${l.metric} ${got} vs ${truth.min[l.metric]}`);
      }
    }
    return;
  }
  assert.equal(s.status, 'optimal', `${what}: expected optimal`);
  const g = s.genome!;
  assert.ok(rulesHold(p.rules, g), `${what}: breaks a rule`);
  for (const l of p.limits) assert.ok(within(l, g), `${what}: ${l.metric} ${limitOf(l, g)} > ${l.max}`);
  assert.ok(Math.abs(objectiveOf(p, g) - truth.best) <= 1e-9 * Math.max(1, Math.abs(truth.best)), `${what}: objective ${objectiveOf(p, g)} vs ${truth.best}`);
  for (const l of p.limits) assert.ok(Math.abs(s.metrics[l.metric]! - limitOf(l, g)) <= 1e-12 * Math.max(1, Math.abs(l.max)), `${what}: reported ${l.metric}`);
}

async function allSolvers(p: Problem): Promise<[string, Solution][]> {
  return [
    ['enumeration', solveExhaustive(p)],
    ['branch and bound', await solveIlp(p)],
    ['HiGHS', await solveIlp(p, { solver: 'highs' })],
    ['HiGHS after the work limit', await solveIlp(p, { workLimit: 5 })],
  ];
}

test('hand-computed: a pair term in a limit excludes the genome an additive limit would allow, and admits one it would not', async () => {
  // Objective: node 0 adds [0, 1], node 1 adds [0, 0.8]. Latency: node rows [1, 2] each, plus pair[g0][g1].
  // (a) pair [[0, 0], [0, 1.5]], max 4: latencies (0,0) 2, (0,1) 3, (1,0) 3, (1,1) 4 + 1.5 = 5.5. Without the pair
  //     (1,1) would fit at 4 (objective 1.8); with it the best is (1,0): objective 1, latency 3.
  // (b) pair [[0, 0], [0, -1.5]], max 3: (1,1) is 4 − 1.5 = 2.5 <= 3, so it wins with 1.8, where an additive
  //     limit would stop at (1,0) with 1.
  // (c) pair (a), max 1.5: nothing fits; the smallest latency is 2, at (0,0).
  const base = (pair: number, max: number): Problem => ({
    radix: [2, 2],
    objective: { model: { intercept: 0, values: [[0, 1], [0, 0.8]] } },
    limits: [{ metric: 'latency', model: { intercept: 0, values: [[1, 2], [1, 2]] }, max, pairs: [{ i: 0, j: 1, values: [[0, 0], [0, pair]] }] }],
    rules: [],
  });
  for (const [name, s] of await allSolvers(base(1.5, 4))) {
    assert.deepEqual([s.genome, s.objective, s.metrics.latency], [[1, 0], 1, 3], `(a) ${name}`);
  }
  for (const [name, s] of await allSolvers(base(-1.5, 3))) {
    assert.deepEqual([s.genome, s.objective, s.metrics.latency], [[1, 1], 1.8, 2.5], `(b) ${name}`);
  }
  for (const [name, s] of await allSolvers(base(1.5, 1.5))) {
    assert.equal(s.status, 'infeasible', `(c) ${name}`);
    assert.deepEqual(s.minAchievable, { latency: 2 }, `(c) ${name}`);
  }
});

test('every solver proves the brute-force optimum of 120 random problems with pair terms in their limits', async () => {
  const rng = createRng(4242);
  const seen = { optimal: 0, infeasible: 0, objectivePairs: 0, rules: 0, fractional: 0 };
  for (let k = 0; k < 120; k++) {
    const p = randomPairLimitProblem(rng, k);
    const truth = bruteForce(p);
    for (const [name, s] of await allSolvers(p)) assertAgrees(p, s, truth, `instance ${k}, ${name}`);
    if (truth.best === -Infinity) seen.infeasible++;
    else seen.optimal++;
    if (p.objective.pairs) seen.objectivePairs++;
    if (p.rules.length > 0) seen.rules++;
    if (p.objective.scale) seen.fractional++;
  }
  assert.ok(seen.optimal >= 70 && seen.infeasible >= 25, JSON.stringify(seen));
  assert.ok(seen.objectivePairs >= 40 && seen.rules >= 30 && seen.fractional >= 10, JSON.stringify(seen));
});

/** Whether every row of the model holds (to 1e-9) at the given column values. */
function rowsHold(model: MipModel, cols: readonly number[]): boolean {
  return model.rows.every((row) => {
    const lhs = row.cols.reduce((s, c, k) => s + row.coefs[k]! * cols[c]!, 0);
    const slack = 1e-9 * Math.max(1, Math.abs(row.rhs));
    if (row.op === '<=') return lhs <= row.rhs + slack;
    return row.op === '>=' ? lhs >= row.rhs - slack : Math.abs(lhs - row.rhs) <= slack;
  });
}

test('the integer program admits exactly the genomes within the limits, in every pair formulation', () => {
  const rng = createRng(5151);
  for (let k = 0; k < 30; k++) {
    const p = randomPairLimitProblem(rng, k);
    if (p.objective.scale) continue;
    const program: BinaryProgram = { radix: p.radix, sense: 'maximize', objective: p.objective.model.values, pairs: p.objective.pairs ?? [], limits: p.limits, rules: p.rules };
    for (const fold of [true, false]) {
      for (const compact of [true, false]) {
        const model = buildProgram(program, { fold, compact });
        for (const g of product(p.radix)) {
          const limitsHold = p.limits.every((l) => limitOf(l, g) <= l.max - 1e-7) ? true : p.limits.some((l) => limitOf(l, g) > l.max + 1e-7) ? false : null;
          if (limitsHold === null) continue;
          assert.equal(rowsHold(model, columnValues(model, g)), limitsHold && rulesHold(p.rules, g), `instance ${k}, fold ${fold}, compact ${compact}, genome ${g}`);
        }
      }
    }
  }
});

test('propagation at the root keeps every block a feasible genome uses, and the leaf test is the limit itself', () => {
  const rng = createRng(6161);
  for (let k = 0; k < 60; k++) {
    const p = randomPairLimitProblem(rng, k);
    const program = choiceProgram({ radix: p.radix, sense: 'maximize', objective: p.objective.model.values, limits: p.limits, rules: p.rules });
    const propagator = new Propagator(program);
    const d = p.radix.map((r) => Array.from({ length: r }, (_, a) => a));
    const ok = propagator.propagate(d, d.map((_, i) => i));
    for (const g of product(p.radix)) {
      const feasible = rulesHold(p.rules, g) && p.limits.every((l) => within(l, g));
      assert.equal(propagator.holds(g), feasible, `instance ${k}, genome ${g}`);
      if (feasible) assert.ok(ok && g.every((a, i) => d[i]!.includes(a)), `instance ${k}: propagation dropped part of feasible ${g}`);
    }
    const bb = branchAndBound(program);
    assert.equal(bb.status === 'infeasible', bruteForce(p).best === -Infinity, `instance ${k}`);
  }
});

test('a limit\'s pair terms are validated like the objective\'s, naming the limit', () => {
  const p: Problem = {
    radix: [2, 3],
    objective: { model: { intercept: 0, values: [[0, 1], [0, 1, 2]] } },
    limits: [{ metric: 'latency', model: { intercept: 0, values: [[1, 2], [1, 2, 3]] }, max: 4, pairs: [{ i: 0, j: 1, values: [[0, 0, 0], [0, 0]] }] }],
    rules: [],
  };
  assert.throws(() => solveExhaustive(p), (e: unknown) => e instanceof UserError && /limits\[0\]\.pairs\[0\]\.values\[1\]: expected 3 entries/.test(e.message));
  const sameNode = { ...p, limits: [{ ...p.limits[0]!, pairs: [{ i: 1, j: 1, values: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }] }] };
  assert.throws(() => solveExhaustive(sameNode), (e: unknown) => e instanceof UserError && /limits\[0\]\.pairs\[0\]\.j/.test(e.message));
});

test('sweepRange of a limit with pair terms starts at its brute-force minimum', async () => {
  const rng = createRng(7171);
  for (let k = 1; k < 24; k += 2) {
    const p = randomPairLimitProblem(rng, k);
    if (p.objective.scale) continue;
    const swept = p.limits[p.limits.length - 1]!;
    const others = p.limits.slice(0, -1);
    let min = Infinity;
    for (const g of product(p.radix)) {
      if (rulesHold(p.rules, g) && others.every((l) => within(l, g))) min = Math.min(min, limitOf(swept, g));
    }
    for (const solver of ['ilp', 'exhaustive'] as const) {
      const range = await sweepRange(p, swept.metric, { solver });
      if (min === Infinity) assert.equal(range, null, `instance ${k}, ${solver}`);
      else assert.ok(range && Math.abs(range.min - min) <= 1e-9, `instance ${k}, ${solver}: ${range?.min} vs ${min}`);
    }
  }
});

test('the local-search incumbent only returns genomes within limits that have pair terms', () => {
  const rng = createRng(8181);
  let found = 0;
  for (let k = 0; k < 60; k++) {
    const p = randomPairLimitProblem(rng, k);
    const g = findIncumbent({ radix: p.radix, values: p.objective.model.values, pairs: p.objective.pairs ?? [], limits: p.limits, rules: p.rules });
    if (!g) continue;
    found++;
    assert.ok(rulesHold(p.rules, g) && p.limits.every((l) => within(l, g)), `instance ${k}: ${g}`);
  }
  assert.ok(found >= 30, `only ${found} incumbents`);
});

test('a switching pool keeps whole the nodes a limit pairs, so its optimum is the full one', () => {
  const rng = createRng(9191);
  for (let k = 0; k < 30; k++) {
    const p = randomPairLimitProblem(rng, 4 * k + 2);
    if (p.objective.scale) continue;
    const pool = paretoPool(p);
    for (const l of p.limits) for (const q of l.pairs ?? []) assert.ok(pool.kept[q.i]!.length === p.radix[q.i] && pool.kept[q.j]!.length === p.radix[q.j]);
    const full = solveExhaustive(p);
    const restricted = solveExhaustive(pool.problem);
    assert.equal(restricted.status, full.status, `instance ${k}`);
    if (full.status === 'optimal') assert.ok(Math.abs(restricted.objective - full.objective) <= 1e-12 * Math.max(1, Math.abs(full.objective)), `instance ${k}`);
  }
});
