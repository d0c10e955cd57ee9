import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/errors.js';
import { additive } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { satisfiesRules } from '../src/space/space.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { explainInfeasible } from '../src/search/explain.js';
import { solveIlp } from '../src/search/ilp.js';
import { objectiveValue, type Problem, type Solution } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';

/** Every test against enumeration runs through the default branch and bound and through HiGHS alone. */
const SOLVERS = ['auto', 'highs'] as const;

function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

function assertObeys(problem: Problem, s: Solution): void {
  assert.ok(s.genome);
  assert.ok(satisfiesRules(problem.rules, s.genome), `rules broken by ${s.genome}`);
  for (const l of problem.limits) {
    const v = additive(l.model, s.genome);
    assert.ok(v <= l.max + 1e-9 * Math.max(1, Math.abs(l.max)), `${l.metric} ${v} > ${l.max}`);
    assert.equal(s.metrics[l.metric], v);
  }
  assert.equal(s.objective, objectiveValue(problem.objective, s.genome));
}

// Worked by hand: with the rule, [1,2,1] (19.5, latency exactly 7) is forbidden and [0,1,1] wins with 18.5.
const handProblem: Problem = {
  radix: [2, 3, 2],
  objective: { model: { intercept: 10, values: [[1, 3], [2, 5, 4], [0, 2.5]] } },
  limits: [{ metric: 'latency', model: { intercept: 0, values: [[1, 3], [1, 3, 2], [1, 2]] }, max: 7 }],
  rules: [{ name: 'not-both', terms: [{ node: 0, block: 1, coef: 1 }, { node: 2, block: 1, coef: 1 }], op: '<=', rhs: 1 }],
};

test('ILP finds the hand-computed optimum, and the rule is what changes it', async () => {
  const s = await solveIlp(handProblem);
  assert.equal(s.status, 'optimal');
  assert.equal(s.method, 'ilp');
  assert.equal(s.iterations, 1);
  assert.deepEqual(s.genome, [0, 1, 1]);
  assert.equal(s.objective, 18.5);
  assert.deepEqual(s.metrics, { latency: 6 });
  assert.ok(s.solveMs > 0);

  // Without the rule the optimum sits exactly on the limit (3 + 2 + 2 = 7): a boundary genome must count as feasible.
  const free = await solveIlp({ ...handProblem, rules: [] });
  assert.deepEqual(free.genome, [1, 2, 1]);
  assert.equal(free.objective, 19.5);
  assert.deepEqual(free.metrics, { latency: 7 });
});

for (const solver of SOLVERS) {
  test(`ILP optimum equals the exhaustive optimum on 60 random linear problems ({solver})`, async () => {
    const rng = createRng(20240611);
    let feasible = 0;
    let infeasible = 0;
    for (let k = 0; k < 60; k++) {
      const p = randomProblem(rng, { nodes: [3, 6], blocks: [2, 5], limits: [1, 3], rules: [0, 3] });
      const ilp = await solveIlp(p, { solver });
      const ref = solveExhaustive(p);
      assert.equal(ilp.status, ref.status, `instance ${k}`);
      if (ref.status === 'infeasible') {
        infeasible++;
        assert.equal(ilp.genome, null);
        continue;
      }
      feasible++;
      assert.ok(close(ilp.objective, ref.objective), `instance ${k}: ilp ${ilp.objective} vs exhaustive ${ref.objective}`);
      assertObeys(p, ilp);
    }
    // The generator must exercise both paths or the comparison proves little.
    assert.ok(feasible >= 30, `only ${feasible} feasible instances`);
    assert.ok(infeasible >= 3, `only ${infeasible} infeasible instances`);
  });
}

for (const solver of SOLVERS) {
  test(`Dinkelbach equals the exhaustive maximum of the FLOPs-scaled objective on 60 random problems ({solver})`, async () => {
    const rng = createRng(77);
    let feasible = 0;
    let negative = 0;
    for (let k = 0; k < 60; k++) {
      const p = randomProblem(rng, { fractional: true, negativeReference: 0.25 });
      const ilp = await solveIlp(p, { solver });
      const ref = solveExhaustive(p);
      assert.equal(ilp.status, ref.status, `instance ${k}`);
      if (ref.status === 'infeasible') continue;
      feasible++;
      if (p.objective.scale!.reference < 0) negative++;
      assert.equal(ilp.method, 'ilp-dinkelbach');
      assert.ok(ilp.iterations >= 2, 'Dinkelbach needs a confirming solve');
      assert.ok(close(ilp.objective, ref.objective), `instance ${k}: ilp ${ilp.objective} vs exhaustive ${ref.objective}`);
      assertObeys(p, ilp);
    }
    assert.ok(feasible >= 30);
    assert.ok(negative >= 3, 'negative references must be covered');
  });
}

test('the fractional optimum differs from the linear one when FLOPs matter', async () => {
  // Linear: blocks 1,1 give N = 5 but D = 18 (ratio 0.28); the ratio optimum is blocks 0,0 with 2 / 2 = 1.
  const model = { intercept: 0, values: [[1, 3], [1, 2]] };
  const denominator = { intercept: 0, values: [[1, 10], [1, 8]] };
  const base = { radix: [2, 2], limits: [], rules: [] };
  const linear = await solveIlp({ ...base, objective: { model } });
  const fractional = await solveIlp({ ...base, objective: { model, scale: { reference: 1, denominator } } });
  assert.deepEqual(linear.genome, [1, 1]);
  assert.deepEqual(fractional.genome, [0, 0]);
  assert.equal(fractional.objective, 1);
  const scaled = { model, scale: { reference: 1, denominator } };
  assert.ok(objectiveValue(scaled, linear.genome!) < fractional.objective - 0.5);
});

test('pair terms are part of the objective, in either node order', async () => {
  // Alone, [1,1] scores 2.2; the interaction costs it 1.5, so [0,1] (1.2) wins.
  const model = { intercept: 0, values: [[0, 1], [0, 1.2]] };
  const base = { radix: [2, 2], limits: [], rules: [] };
  assert.deepEqual((await solveIlp({ ...base, objective: { model } })).genome, [1, 1]);
  for (const pair of [{ i: 0, j: 1, values: [[0, 0], [0, -1.5]] }, { i: 1, j: 0, values: [[0, 0], [0, -1.5]] }]) {
    const s = await solveIlp({ ...base, objective: { model, pairs: [pair] } });
    assert.deepEqual(s.genome, [0, 1]);
    assert.ok(close(s.objective, 1.2, 1e-15));
  }
});

for (const solver of SOLVERS) {
  test(`with pair terms, ILP equals enumeration on 40 random problems (linear and FLOPs-scaled) ({solver})`, async () => {
    const rng = createRng(4242);
    let compared = 0;
    for (let k = 0; k < 40; k++) {
      const p = randomProblem(rng, { pairs: [1, 4], fractional: k % 2 === 0, negativeReference: 0.25 });
      const ilp = await solveIlp(p, { solver });
      const ref = solveExhaustive(p);
      assert.equal(ilp.status, ref.status, `instance ${k}`);
      if (ref.status === 'infeasible') continue;
      compared++;
      assert.ok(close(ilp.objective, ref.objective), `instance ${k}: ilp ${ilp.objective} vs exhaustive ${ref.objective}`);
      assertObeys(p, ilp);
    }
    assert.ok(compared >= 25);
  });
}

test('a negative reference minimises the ratio', async () => {
  const model = { intercept: 2, values: [[1, 3], [1, 2]] };
  const denominator = { intercept: 0, values: [[1, 10], [1, 8]] };
  const s = await solveIlp({ radix: [2, 2], limits: [], rules: [], objective: { model, scale: { reference: -1, denominator } } });
  // Smallest N/D is 5 / 18 at [1,1]: objective 2 - 5/18.
  assert.deepEqual(s.genome, [1, 1]);
  assert.ok(close(s.objective, 2 - 5 / 18, 1e-15));
});

test('impossible limits: infeasible, minAchievable, and a message naming the metric and smallest value', async () => {
  const p: Problem = {
    radix: [2, 2],
    objective: { model: { intercept: 0, values: [[1, 2], [3, 4]] } },
    limits: [{ metric: 'latency:fpga', model: { intercept: 0, values: [[0.5, 0.9], [0.63, 0.7]] }, max: 1.0 }],
    rules: [],
  };
  const s = await solveIlp(p);
  assert.equal(s.status, 'infeasible');
  assert.equal(s.genome, null);
  assert.ok(close(s.minAchievable!['latency:fpga']!, 1.13, 1e-15));
  assert.equal(explainInfeasible(p, s), 'no architecture satisfies latency:fpga <= 1 (smallest achievable: latency:fpga 1.13)');
  assert.equal(
    explainInfeasible(p, s, { 'latency:fpga': 'ms' }),
    'no architecture satisfies latency:fpga <= 1 ms (smallest achievable: latency:fpga 1.13 ms)',
  );
  assert.deepEqual(solveExhaustive(p).minAchievable, s.minAchievable);
});

for (const solver of SOLVERS) {
  test(`infeasible random problems: ILP minAchievable equals the exhaustive minimum ({solver})`, async () => {
    const rng = createRng(5);
    let seen = 0;
    for (let k = 0; k < 200 && seen < 12; k++) {
      const p = randomProblem(rng, { limits: [2, 3], rules: [1, 3] });
      const ref = solveExhaustive(p);
      if (ref.status !== 'infeasible') continue;
      seen++;
      const ilp = await solveIlp(p, { solver });
      assert.equal(ilp.status, 'infeasible');
      assert.ok(ref.minAchievable && ilp.minAchievable);
      for (const l of p.limits) {
        assert.ok(close(ilp.minAchievable[l.metric]!, ref.minAchievable[l.metric]!, 1e-12), l.metric);
      }
      const msg = explainInfeasible(p, ilp);
      assert.match(msg, /^no architecture satisfies /);
      const culprits = p.limits.filter((l) => ref.minAchievable![l.metric]! > l.max);
      for (const l of culprits.length > 0 ? culprits : p.limits) assert.ok(msg.includes(`${l.metric} <= ${l.max}`), msg);
      if (culprits.length === 0) assert.match(msg, /together/);
    }
    assert.ok(seen >= 8, `only ${seen} infeasible instances found`);
  });
}

test('rules that admit no architecture give infeasible without minAchievable', async () => {
  const p: Problem = {
    ...handProblem,
    rules: [{ name: 'contradiction', terms: [{ node: 0, block: 0, coef: 1 }, { node: 0, block: 1, coef: 1 }], op: '=', rhs: 0 }],
  };
  const s = await solveIlp(p);
  assert.equal(s.status, 'infeasible');
  assert.equal(s.minAchievable, undefined);
  assert.equal(solveExhaustive(p).minAchievable, undefined);
  assert.match(explainInfeasible(p, s), /coupling rules .*contradiction/);
});

test('malformed problems throw UserError naming the field', async () => {
  const bad = (p: Problem, pattern: RegExp) =>
    assert.rejects(solveIlp(p), (e: unknown) => e instanceof UserError && pattern.test(e.message));
  const { model } = handProblem.objective;
  await bad({ ...handProblem, objective: { model: { intercept: 0, values: [[1, 2], [1, 2], [1, 2]] } } }, /values\[1\]: expected 3/);
  await bad({ ...handProblem, limits: [...handProblem.limits, handProblem.limits[0]!] }, /limited twice/);
  await bad({ ...handProblem, limits: [{ ...handProblem.limits[0]!, max: Number.NaN }] }, /limits\[0\]\.max/);
  await bad(
    { ...handProblem, rules: [{ name: 'r', terms: [{ node: 3, block: 0, coef: 1 }], op: '<=', rhs: 1 }] },
    /rules\[0\] \(r\)\.terms\[0\]\.node/,
  );
  const pairs = [{ i: 0, j: 1, values: [[1, 2, 3]] }];
  await bad({ ...handProblem, objective: { model, pairs } }, /pairs\[0\]\.values: expected 2 rows/);
  const denominator = { intercept: -5, values: [[1, 2], [1, 2, 3], [1, 2]] };
  await bad({ ...handProblem, objective: { model, scale: { reference: 1, denominator } } }, /denominator: expected a positive/);
});
