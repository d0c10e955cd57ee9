import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additive } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { solveIlp } from '../src/search/ilp.js';
import type { Problem, Solution } from '../src/search/problem.js';
import { searchTable } from '../src/search/table-search.js';
import { verifiedSearch, type Measure } from '../src/search/verify.js';
import { genomeKey } from '../src/space/space.js';
import type { Genome } from '../src/space/types.js';
import type { BlockTable } from '../src/core/block-table.js';
import { createSpace } from '../src/space/space.js';

function allGenomes(radix: readonly number[]): Genome[] {
  let out: number[][] = [[]];
  for (const r of radix) out = out.flatMap((g) => Array.from({ length: r }, (_, b) => [...g, b]));
  return out;
}

const solvers: [string, (p: Problem) => Promise<Solution>][] = [
  ['enumeration', (p) => Promise.resolve(solveExhaustive(p))],
  ['branch and bound', (p) => solveIlp(p)],
  ['HiGHS', (p) => solveIlp(p, { solver: 'highs' })],
];

test('verified search: the answer is the best predicted network whose measured cost meets the limit, by every solver', async () => {
  const rng = createRng(11);
  const radix = [4, 3, 4, 3];
  let cutsSeen = 0;
  for (let trial = 0; trial < 20; trial++) {
    const table = (scale: number) => radix.map((r) => Array.from({ length: r }, () => Math.round(scale * rng.next() * 100) / 100));
    const objective = { intercept: 0, values: table(10) };
    // Costs grow with accuracy, as on real devices, so the best predicted networks press against the limit.
    const noise = table(1);
    const cost = { intercept: 1, values: objective.values.map((row, i) => row.map((v, b) => 0.3 * v + noise[i]![b]!)) };
    // The device is not additive: some block pairs cost extra, which the model does not know.
    const extra = new Map(allGenomes(radix).map((g) => [genomeKey(g), g[0] === g[2] ? 3 : g[1]! * g[3]! * 1.2]));
    const truth = (g: Genome) => additive(cost, g) + extra.get(genomeKey(g))!;
    const predicted = allGenomes(radix).map((g) => additive(cost, g));
    const [lo, hi] = [Math.min(...predicted), Math.max(...predicted)];
    const max = lo + (hi - lo) * (0.3 + 0.6 * rng.next());
    const problem: Problem = { radix, objective: { model: objective }, limits: [{ metric: 'lat', model: cost, max }], rules: [] };
    let calls = 0;
    const measure: Measure = async (gs, metrics) => {
      calls += gs.length;
      assert.deepEqual(metrics, ['lat']);
      return gs.map((g) => ({ lat: truth(g) }));
    };
    // The truth: by brute force over every genome the model allows, the best one whose true cost meets the limit.
    const allowed = allGenomes(radix).filter((g) => additive(cost, g) <= max + 1e-9);
    const meets = allowed.filter((g) => truth(g) <= max + 1e-9);
    const best = meets.length ? Math.max(...meets.map((g) => additive(objective, g))) : null;
    const better = allowed.filter((g) => best === null || additive(objective, g) > best + 1e-9);
    cutsSeen += best === null ? 0 : better.length;
    for (const [name, solve] of solvers) {
      calls = 0;
      const v = await verifiedSearch({ problem, limits: [{ metric: 'lat', max }], solve, measure });
      if (best === null) {
        assert.equal(v.status, 'infeasible', `${name}, trial ${trial}`);
        continue;
      }
      assert.equal(v.status, 'verified', `${name}, trial ${trial}`);
      assert.ok(Math.abs(additive(objective, v.solution.genome!) - best) < 1e-9, `${name}, trial ${trial}: ${additive(objective, v.solution.genome!)} vs ${best}`);
      assert.ok(truth(v.solution.genome!) <= max + 1e-9, 'the answer meets the limit on its measured cost');
      assert.equal(v.measured!.lat, truth(v.solution.genome!));
      // Exactly the networks predicted better than the answer were measured (and cut off), then the answer.
      assert.equal(v.measurements, better.length + 1, `${name}, trial ${trial}`);
      assert.equal(calls, v.measurements);
      assert.deepEqual(v.checks.map((c) => c.meets), [...better.map(() => false), true]);
    }
  }
  assert.ok(cutsSeen >= 15, `the trials must make the solvers work through cuts (${cutsSeen} cut-off networks)`);
});

test('verified search: networks measured before are checked without a new measurement; the allowance is kept', async () => {
  const radix = [2, 2];
  const problem: Problem = {
    radix,
    objective: { model: { intercept: 0, values: [[0, 2], [0, 1]] } },
    limits: [{ metric: 'lat', model: { intercept: 0, values: [[0, 0], [0, 0]] }, max: 1 }],
    rules: [],
  };
  // Predicted free; measured: [1,1] 3 ms, [1,0] 2 ms, [0,1] 0.5 ms. Best predicted order: [1,1], [1,0], [0,1].
  const lat = new Map([['1,1', 3], ['1,0', 2], ['0,1', 0.5], ['0,0', 0]]);
  const measure: Measure = async (gs) => gs.map((g) => ({ lat: lat.get(g.join(','))! }));
  const solve = (p: Problem) => Promise.resolve(solveExhaustive(p));
  const known = { genomes: [[1, 1]], metrics: { lat: [3] } };
  const v = await verifiedSearch({ problem, limits: [{ metric: 'lat', max: 1 }], solve, measure, known });
  assert.deepEqual(v.solution.genome, [0, 1]);
  assert.deepEqual(v.checks.map((c) => [c.genome.join(','), c.fresh, c.meets]), [['1,1', false, false], ['1,0', true, false], ['0,1', true, true]]);
  assert.equal(v.measurements, 2, 'the known network cost no measurement');
  const capped = await verifiedSearch({ problem, limits: [{ metric: 'lat', max: 1 }], solve, measure, known, maxMeasurements: 1 });
  assert.equal(capped.status, 'unverified');
  assert.equal(capped.measurements, 1);
});

test('searchTable: without measurements a limit below every measured network is refused; with them it is searched', async () => {
  const space = createSpace({ name: 'toy', nodes: [0, 1].map((i) => ({ id: `n${i}`, label: `n${i}`, blocks: [0, 1].map((b) => ({ id: `b${b}`, label: `b${b}`, attrs: {} })) })), format: (g) => g.join(','), parse: (t) => t.split(',').map(Number) });
  const table: BlockTable = {
    format: 'blocknas-block-table/1',
    space: 'toy',
    estimator: 'test',
    evaluated: 2,
    seed: 0,
    base: [0, 0],
    metrics: [
      { metric: 'acc', intercept: 0, values: [[0, 2], [0, 1]] },
      // Predicts [0,0] at -1 ms: an extrapolation below both measured networks (2 and 3 ms).
      { metric: 'lat', intercept: -1, values: [[0, 3], [0, 2]] },
    ],
    observations: { genomes: [[1, 0], [0, 1]], metrics: { acc: [2, 1], lat: [2, 3] } },
  };
  const solve = (p: Problem) => Promise.resolve(solveExhaustive(p));
  const refused = await searchTable({ table, space, objective: 'acc', limits: [{ metric: 'lat', max: 1.5 }], solve });
  assert.equal(refused.status, 'refused');
  if (refused.status === 'refused') assert.deepEqual(refused.unreachable.map((u) => [u.metric, u.lowestMeasured]), [['lat', 2]]);
  const answered = await searchTable({ table, space, objective: 'acc', limits: [{ metric: 'lat', max: 2 }], solve });
  assert.equal(answered.status, 'found');
  // Measured, [0,0] really runs in 1 ms: verification shows the limit can be met.
  const measure: Measure = async (gs) => gs.map((g) => ({ lat: 1 + g[0]! + 2 * g[1]! }));
  const verified = await searchTable({ table, space, objective: 'acc', limits: [{ metric: 'lat', max: 1.5 }], solve, measure });
  assert.equal(verified.status, 'found');
  if (verified.status === 'found') {
    assert.deepEqual(verified.solution.genome, [0, 0]);
    assert.equal(verified.verified!.measured!.lat, 1);
  }
});
