import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdditiveModel } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { highsStats, solveMip } from '../src/search/highs.js';
import { solveIlp } from '../src/search/ilp.js';
import { formatNumber, genomeFromColumns, problemToLp, writeLp } from '../src/search/lp-format.js';
import type { Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';

test('HiGHS reads exponent-form coefficients with their exponent', async () => {
  // Read correctly, c allows one of a, b and d allows both; read as bare mantissas, c allows both and d neither.
  const lp = [
    'Maximize',
    ' obj: 1 a + 1 b',
    'Subject To',
    ' c: 1e1 a + 1e+1 b <= 15',
    ' d: 5e-1 a + 5E-1 b <= 1',
    'Binary',
    ' a b',
    'End',
  ].join('\n');
  const r = await solveMip(lp);
  assert.equal(r.status, 'optimal');
  assert.equal((r.columns.get('a') ?? 0) + (r.columns.get('b') ?? 0), 1);
  for (const x of [1e-7, 2.5e-12, 1.5e21, -3.25e-9, 123456.789, 0.1 + 0.2]) assert.equal(Number(formatNumber(x)), x);
  assert.throws(() => formatNumber(Number.NaN));
  assert.throws(() => formatNumber(Infinity));
});

test('2,000 consecutive solves stay correct and do not grow Wasm memory', async () => {
  const rng = createRng(11);
  const radix = [6, 6, 6, 6, 6];
  const before = await highsStats();
  for (let k = 0; k < 2000; k++) {
    const objective = radix.map((r) => Array.from({ length: r }, () => rng.next()));
    const r = await solveMip(writeLp({ radix, sense: 'maximize', objective, limits: [], rules: [] }));
    assert.equal(r.status, 'optimal');
    const g = genomeFromColumns(r.columns, radix);
    // With only the one-hot rows the optimum takes each node's best block.
    objective.forEach((row, i) => assert.equal(g[i], row.indexOf(Math.max(...row)), `solve ${k} node ${i}`));
  }
  const after = await highsStats();
  assert.equal(after.solves - before.solves, 2000);
  assert.equal(after.loads, 1);
  assert.equal(after.memoryBytes, before.memoryBytes, `Wasm memory grew from ${before.memoryBytes} to ${after.memoryBytes}`);
});

test('LP text uses generated row names, so odd rule names cannot break it', async () => {
  const p: Problem = {
    radix: [2, 2],
    objective: { model: { intercept: 0, values: [[0, 1], [0, 1]] } },
    limits: [],
    rules: [
      { name: 'a: b <= c\nEnd', terms: [{ node: 0, block: 1, coef: 1 }, { node: 1, block: 1, coef: 1 }], op: '<=', rhs: 1 },
    ],
  };
  const lp = problemToLp(p);
  assert.ok(!lp.includes('a: b'));
  assert.match(lp, /^ rule_0: \+ 1 x_0_1 \+ 1 x_1_1 <= 1$/m);
  assert.match(lp, /^ one_1: \+ 1 x_1_0 \+ 1 x_1_1 = 1$/m);
  const s = await solveIlp(p, { solver: 'highs' });
  assert.equal(s.objective, 1);
});

function rescale(m: AdditiveModel, f: (v: number) => number): AdditiveModel {
  return { intercept: f(m.intercept), values: m.values.map((row) => row.map(f)) };
}

// Both solvers: HiGHS through formulation.ts's scaling, the branch and bound through its relative margins.
for (const solver of ['auto', 'highs'] as const) {
  test(`conditioning: FLOPs-sized limits and 1e-7-sized accuracy gaps still give the exact optimum (${solver})`, async () => {
    const rng = createRng(8);
    let compared = 0;
    for (let k = 0; k < 40; k++) {
      const p0 = randomProblem(rng, { nodes: [4, 6], blocks: [3, 5], fractional: k % 2 === 0 });
      // Accuracy around 0.7 whose per-block effects are ~1e-7 apart; limits and denominators in the 1e8-1e9 range.
      const acc = (v: number) => 0.7 + 1e-7 * v;
      const flops = (v: number) => 1e8 * v;
      const scale = p0.objective.scale;
      const p: Problem = {
        ...p0,
        objective: {
          model: rescale(p0.objective.model, acc),
          ...(scale ? { scale: { reference: scale.reference, denominator: rescale(scale.denominator, flops) } } : {}),
        },
        limits: p0.limits.map((l) => ({ ...l, model: rescale(l.model, flops), max: flops(l.max) })),
      };
      const ilp = await solveIlp(p, { solver });
      const ref = solveExhaustive(p);
      assert.equal(ilp.status, ref.status, `instance ${k}`);
      if (ref.status !== 'optimal') continue;
      compared++;
      const gap = Math.abs(ilp.objective - ref.objective);
      assert.ok(gap <= 1e-13 * Math.abs(ref.objective), `instance ${k}: ${ilp.objective} vs ${ref.objective}`);
    }
    assert.ok(compared >= 20);
  });
}
