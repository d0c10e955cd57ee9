import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publishedMathnasNb201 } from '../src/benchmarks/mathnas-nb201.js';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';
import { additive } from '../src/core/additive.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { solveIlp } from '../src/search/ilp.js';
import type { Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';
import { createRng } from '../src/random.js';
import { satisfiesRules } from '../src/space/space.js';
import { createNb201Space } from '../src/spaces/nb201/space.js';
import { paretoPool, toFull, toPool } from '../src/switching/pool.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const TABLES = 'mathnas/mathnas_tables.json';

/** The same problem with every limit set to `at` of the way from its smallest to its largest product-space value. */
function atLimits(p: Problem, at: number): Problem {
  const limits = p.limits.map((l) => {
    const lo = l.model.values.reduce((s, row) => s + Math.min(...row), l.model.intercept);
    const hi = l.model.values.reduce((s, row) => s + Math.max(...row), l.model.intercept);
    return { ...l, max: lo + at * (hi - lo) };
  });
  return { ...p, limits };
}

function assertSameOptimum(full: Problem, poolSolution: Awaited<ReturnType<typeof solveIlp>>, what: string) {
  const ref = solveExhaustive(full);
  assert.equal(poolSolution.status, ref.status, `${what}: status`);
  if (ref.status === 'optimal') assertClose(poolSolution.objective, ref.objective, 1e-9 * Math.max(1, Math.abs(ref.objective)), `${what}: optimum`);
}

test('a hand-made node keeps exactly its Pareto blocks; a rule term makes a block incomparable', () => {
  // node 0 blocks as (objective, latency): (1,5) (2,4) (0,6) (2,4) (3,7); node 1 has one block.
  const problem: Problem = {
    radix: [5, 1],
    objective: { model: { intercept: 0, values: [[1, 2, 0, 2, 3], [0]] } },
    limits: [{ metric: 'lat', model: { intercept: 0, values: [[5, 4, 6, 4, 7], [1]] }, max: 10 }],
    rules: [],
  };
  const pool = paretoPool(problem);
  // (1,5) and (0,6) are dominated by (2,4); the second (2,4) is a duplicate of the first.
  assert.deepEqual(pool.kept, [[1, 4], [0]]);
  assert.equal(pool.removed, 3);
  assert.deepEqual(pool.problem.radix, [2, 1]);
  assert.deepEqual(pool.problem.objective.model.values, [[2, 3], [0]]);
  assert.deepEqual(toFull(pool, [1, 0]), [4, 0]);
  assert.deepEqual(toPool(pool, [4, 0]), [1, 0]);
  assert.equal(toPool(pool, [0, 0]), null);
  const ruled = paretoPool({ ...problem, rules: [{ name: 'r', terms: [{ node: 0, block: 0, coef: 1 }, { node: 1, block: 0, coef: 1 }], op: '<=', rhs: 2 }] });
  assert.deepEqual(ruled.kept[0], [0, 1, 4], 'block 0 is in a rule the others are not in, so nothing may replace it');
  assert.deepEqual(ruled.problem.rules[0]!.terms, [{ node: 0, block: 0, coef: 1 }, { node: 1, block: 0, coef: 1 }]);
});

test('on random additive problems with rules the optimum over the pool equals the optimum over the space', () => {
  const rng = createRng(11);
  let removed = 0;
  for (let k = 0; k < 60; k++) {
    const p = randomProblem(rng, { nodes: [3, 6], blocks: [2, 7], limits: [1, 2], rules: [0, 3] });
    for (const at of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const full = atLimits(p, at);
      const pool = paretoPool(full);
      removed += pool.removed;
      const sol = solveExhaustive(pool.problem);
      assertSameOptimum(full, sol, `problem ${k} at ${at}`);
    }
  }
  assert.ok(removed > 500, `pruning must do something on random problems, removed ${removed} blocks in all`);
});

test('pair terms keep their nodes whole, a scaled objective keeps every node whole, and both stay exact', () => {
  const rng = createRng(12);
  for (let k = 0; k < 40; k++) {
    const fractional = k % 2 === 1;
    const p = atLimits(randomProblem(rng, { nodes: [3, 6], blocks: [2, 6], pairs: [1, 2], fractional }), 0.4);
    const pool = paretoPool(p);
    const paired = new Set((p.objective.pairs ?? []).flatMap((t) => [t.i, t.j]));
    for (const w of pool.whole) assert.equal(w.reason, fractional ? 'scaled objective' : 'pair terms');
    if (fractional) assert.equal(pool.removed, 0, `problem ${k}: nothing is pruned under a ratio objective`);
    else for (const node of paired) assert.equal(pool.kept[node]!.length, p.radix[node], `problem ${k}: node ${node} is in a pair term`);
    assertSameOptimum(p, solveExhaustive(pool.problem), `problem ${k}`);
  }
});

test("MathNAS's NB201 table: the ILP on the pool (16 of 30 blocks) equals enumeration of all 15,625 cells for 20 limits", { skip: needsData(TABLES) }, async () => {
  const problem = problemFromTable(publishedMathnasNb201(DATA_DIR), createNb201Space(), 'accuracy:imagenet16-120', [
    { metric: 'latency:fpga', max: 0 },
    { metric: 'energy:fpga', max: 1e9 },
  ]);
  const pool = paretoPool(problem);
  assert.equal(problem.radix.reduce((s, r) => s + r, 0) - pool.removed, 16);
  for (let k = 0; k < 20; k++) {
    const full = atLimits(problem, 0.02 + 0.05 * k);
    const p = paretoPool(full);
    assert.deepEqual(p.kept, pool.kept, 'limit values do not change which blocks are dominated');
    const sol = await solveIlp(p.problem);
    assertSameOptimum(full, sol, `limit ${k}`);
  }
});

test('SuperTransformer (rules on absent decoder layers): the ILP on the pool equals the ILP on the full space', { skip: needsData(TABLES, 'hat/hat_latency_dataset.csv') }, async () => {
  const { space, table } = mathnasTable(DATA_DIR, 'supertransformer', 'titanxp');
  const base = problemFromTable(table, space, 'accuracy:wmt14-en-de', [{ metric: 'latency:titanxp', max: 0 }]);
  const pool = paretoPool(base);
  assert.equal(pool.kept.flat().length, 49, 'of 257 blocks');
  for (const max of [60, 80, 100, 130, 160, 200, 260]) {
    const full = { ...base, limits: [{ ...base.limits[0]!, max }] };
    const p = paretoPool(full);
    const [a, b] = [await solveIlp(full), await solveIlp(p.problem)];
    assert.equal(b.status, a.status, `limit ${max}`);
    assertClose(b.objective, a.objective, 1e-9, `limit ${max}: optimum`);
    const g = toFull(p, b.genome!);
    assert.ok(satisfiesRules(full.rules, g), `limit ${max}: the pool's answer obeys the full space's rules`);
    assertClose(additive(full.limits[0]!.model, g), b.metrics['latency:titanxp']!, 1e-9, `limit ${max}: latency of the mapped genome`);
  }
});
