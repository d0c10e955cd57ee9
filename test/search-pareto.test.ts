import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/errors.js';
import { additive } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { solveIlp } from '../src/search/ilp.js';
import { paretoSweep, sweepLimits, sweepRange } from '../src/search/pareto.js';
import type { Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';

test('sweepLimits spaces evenly and ends exactly on max', () => {
  assert.deepEqual(sweepLimits(1, 2, 5), [1, 1.25, 1.5, 1.75, 2]);
  assert.deepEqual(sweepLimits(0.1, 0.7, 3).at(-1), 0.7);
  assert.deepEqual(sweepLimits(3, 9, 1), [9]);
  assert.throws(() => sweepLimits(2, 1, 3), UserError);
  assert.throws(() => sweepLimits(0, 1, 0), UserError);
  assert.throws(() => sweepLimits(0, Infinity, 3), UserError);
});

test('pareto sweep: objective never decreases as the limit loosens, and matches enumeration', async () => {
  const rng = createRng(1234);
  let swept = 0;
  for (let k = 0; k < 6; k++) {
    const p = randomProblem(rng, { nodes: [4, 6], blocks: [3, 5], limits: [2, 2], rules: [1, 2], fractional: k % 2 === 1 });
    const range = await sweepRange(p, 'm0');
    if (!range) continue;
    const limits = sweepLimits(range.min, range.max, 7);
    const rows = await paretoSweep(p, 'm0', limits);
    const reference = await paretoSweep(p, 'm0', limits, { solver: 'exhaustive' });
    assert.equal(rows.length, limits.length);
    // The sweep starts at the smallest achievable value, so even the tightest limit is feasible.
    assert.ok(rows.every((r) => r.status === 'optimal'), `instance ${k}`);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      assert.equal(row.limit, limits[i]);
      assert.ok(Math.abs(row.objective - reference[i]!.objective) <= 1e-9 * Math.max(1, Math.abs(row.objective)));
      assert.ok(row.metrics.m0! <= row.limit + 1e-9 * Math.max(1, Math.abs(row.limit)));
      if (i > 0) assert.ok(row.objective >= rows[i - 1]!.objective - 1e-12, `instance ${k}: row ${i} decreased`);
    }
    // At range.max the limit no longer binds: the last point is the optimum with m0 unlimited.
    const free = await solveIlp({ ...p, limits: p.limits.filter((l) => l.metric !== 'm0') });
    assert.ok(Math.abs(rows.at(-1)!.objective - free.objective) <= 1e-9 * Math.max(1, Math.abs(free.objective)));
    swept++;
  }
  assert.ok(swept >= 4, `only ${swept} instances swept`);
});

test('pareto sweep trades objective for the metric on a hand-made problem', async () => {
  // Bigger blocks are more accurate and slower: accuracy 1,2,3 per node, latency 1,2,3 per node.
  const p: Problem = {
    radix: [3, 3],
    objective: { model: { intercept: 0, values: [[1, 2, 3], [1, 2, 3]] } },
    limits: [],
    rules: [],
  };
  const latency = { metric: 'latency', model: { intercept: 0, values: [[1, 2, 3], [1, 2, 3]] } };
  const rows = await paretoSweep(p, latency, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(
    rows.map((r) => r.status),
    ['infeasible', 'optimal', 'optimal', 'optimal', 'optimal', 'optimal'],
  );
  assert.deepEqual(rows.slice(1).map((r) => r.objective), [2, 3, 4, 5, 6]);
  assert.ok(rows.slice(1).every((r) => additive(latency.model, r.genome!) === r.objective));
  const range = await sweepRange(p, latency);
  assert.deepEqual({ min: range?.min, max: range?.max }, { min: 2, max: 6 });
  // the optimum with the metric unlimited: the most accurate (and slowest) network
  assert.deepEqual(range?.free.genome, rows.at(-1)!.genome);
  assert.equal(range?.free.objective, 6);
});

test('sweeping a metric the problem does not limit, by name, is a UserError', async () => {
  const p = randomProblem(createRng(1), { limits: [1, 1] });
  await assert.rejects(paretoSweep(p, 'energy', [1]), (e: unknown) => e instanceof UserError && /energy/.test(e.message));
});
