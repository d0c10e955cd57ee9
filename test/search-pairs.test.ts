import { test } from 'node:test';
import assert from 'node:assert/strict';
import { additive, pairSum, type PairTerm } from '../src/core/additive.js';
import { createRng } from '../src/random.js';
import { genomeFromRank, satisfiesRules } from '../src/space/space.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { buildProgram, columnValues, type BinaryProgram } from '../src/search/formulation.js';
import { highsStats, solveMip, solveModel } from '../src/search/highs.js';
import { solveIlp, type IlpOptions } from '../src/search/ilp.js';
import { findIncumbent } from '../src/search/incumbent.js';
import { genomeFromColumns, modelToLp } from '../src/search/lp-format.js';
import type { MipModel } from '../src/search/mip-model.js';
import { canonicalPairs, foldAdditive } from '../src/search/pair-terms.js';
import { objectiveValue, type Problem } from '../src/search/problem.js';
import { randomProblem } from './helpers/random-problem.js';

function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

function genomes(radix: readonly number[]): number[][] {
  const n = radix.reduce((a, r) => a * r, 1);
  return Array.from({ length: n }, (_, k) => genomeFromRank(radix, k));
}

function programOf(p: Problem): BinaryProgram {
  const pairs = p.objective.pairs ?? [];
  const { radix, limits, rules } = p;
  return { radix, sense: 'maximize', objective: p.objective.model.values, pairs, limits, rules };
}

function feasible(p: Problem, g: readonly number[]): boolean {
  const within = (l: Problem['limits'][number]) => additive(l.model, g) <= l.max + 1e-9 * Math.max(1, Math.abs(l.max));
  return satisfiesRules(p.rules, g) && p.limits.every(within);
}

function incumbentOf(p: Problem): number[] | null {
  const { radix, limits, rules } = p;
  return findIncumbent({ radix, values: p.objective.model.values, pairs: p.objective.pairs ?? [], limits, rules });
}

/** Σ cost·value and whether every row holds (to 1e-9) at the given column values. */
function evaluate(model: MipModel, cols: readonly number[]): { objective: number; holds: boolean } {
  const objective = model.cost.reduce((s, c, k) => s + c * cols[k]!, 0);
  const holds = model.rows.every((row) => {
    const lhs = row.cols.reduce((s, c, k) => s + row.coefs[k]! * cols[c]!, 0);
    const slack = 1e-9 * Math.max(1, Math.abs(row.rhs));
    if (row.op === '<=') return lhs <= row.rhs + slack;
    return row.op === '>=' ? lhs >= row.rhs - slack : Math.abs(lhs - row.rhs) <= slack;
  });
  return { objective, holds };
}

test('canonicalPairs sums terms on one node pair, whichever order they name the nodes in', () => {
  const a: PairTerm = { i: 0, j: 1, values: [[1, 2, 3], [4, 5, 6]] };
  const b: PairTerm = { i: 1, j: 0, values: [[10, 20], [30, 40], [50, 60]] };
  const [c, ...rest] = canonicalPairs([a, b], [2, 3]);
  assert.equal(rest.length, 0);
  assert.deepEqual(c, { i: 0, j: 1, values: [[11, 32, 53], [24, 45, 66]] });
});

test('foldAdditive keeps every genome\'s objective and drops tables that are row plus column effects', () => {
  const rng = createRng(3);
  const radix = [3, 4, 2, 3];
  const values = radix.map((r) => Array.from({ length: r }, () => rng.next()));
  const random: PairTerm = { i: 0, j: 2, values: [[0.3, -0.2], [0.1, 0.5], [-0.4, 0.2]] };
  // r_a + c_b exactly: no product columns needed.
  const additiveValues = [0, 1, 2, 3].map((a) => [0, 1, 2].map((b) => 0.25 * a - 0.5 * b));
  const additiveTable: PairTerm = { i: 1, j: 3, values: additiveValues };
  const pairs = canonicalPairs([random, additiveTable], radix);
  const folded = foldAdditive(values, pairs);
  assert.deepEqual(folded.pairs.map((p) => [p.i, p.j]), [[0, 2]]);
  for (const p of folded.pairs) {
    for (const row of p.values) assert.ok(Math.abs(row.reduce((s, v) => s + v, 0)) < 1e-15, 'residual rows sum to zero');
  }
  for (const g of genomes(radix)) {
    const before = values.reduce((s, row, i) => s + row[g[i]!]!, 0) + pairSum(pairs, g);
    const after = folded.values.reduce((s, row, i) => s + row[g[i]!]!, 0) + pairSum(folded.pairs, g);
    assert.ok(close(before, after, 1e-14), `genome ${g}: ${before} vs ${after}`);
  }
});

test('at every genome the written program is satisfied exactly when the genome is feasible, and scores it', () => {
  const rng = createRng(17);
  for (let k = 0; k < 12; k++) {
    const p = randomProblem(rng, { nodes: [3, 4], blocks: [2, 4], pairs: [1, 5], rules: [0, 2] });
    const forms = [{ fold: true, compact: true }, { fold: false, compact: false }, { fold: true, compact: false }];
    for (const formulation of forms) {
      const model = buildProgram(programOf(p), formulation);
      // The written objective is an increasing affine image of the true one: one slope for all genomes.
      const points = genomes(p.radix).map((g) => {
        return { g, f: objectiveValue(p.objective, g), ...evaluate(model, columnValues(model, g)) };
      });
      const [first, ...others] = points;
      const far = others.reduce((a, q) => (Math.abs(q.f - first!.f) > Math.abs(a.f - first!.f) ? q : a), others[0]!);
      const slope = (far.objective - first!.objective) / (far.f - first!.f);
      assert.ok(slope > 0, `instance ${k}: written objective must increase with the true one`);
      for (const q of points) {
        assert.equal(q.holds, feasible(p, q.g), `instance ${k} ${JSON.stringify(formulation)} genome ${q.g}`);
        const predicted = first!.objective + slope * (q.f - first!.f);
        assert.ok(close(q.objective, predicted), `instance ${k} genome ${q.g}`);
      }
    }
  }
});

test('the LP text and the arrays given to HiGHS are the same program', async () => {
  const rng = createRng(31);
  for (let k = 0; k < 10; k++) {
    const p = randomProblem(rng, { nodes: [3, 5], blocks: [2, 4], pairs: [1, 6] });
    const model = buildProgram(programOf(p));
    const lp = modelToLp(model);
    if (model.binary.some((b) => !b)) assert.match(lp, /^Bounds\n y_\d+_\d+_\d+_\d+ <= 1$/m);
    const [text, arrays] = [await solveMip(lp), await solveModel(model)];
    assert.equal(text.status, arrays.status, `instance ${k}`);
    if (text.status === 'infeasible') continue;
    const score = (r: typeof text) => objectiveValue(p.objective, genomeFromColumns(r.columns, p.radix));
    assert.ok(close(score(text), score(arrays)), `instance ${k}`);
  }
});

/** HiGHS's pair-program settings, each through HiGHS alone (the default branch and bound does not use them). */
const SETTINGS: Record<string, IlpOptions> = {
  'branch and bound (default)': {},
  'HiGHS, default pair settings': { solver: 'highs' },
  'HiGHS, no fold': { solver: 'highs', pairs: { fold: false } },
  'HiGHS, full marginals': { solver: 'highs', pairs: { compact: false } },
  'HiGHS, neither fold nor compact': { solver: 'highs', pairs: { fold: false, compact: false } },
  'HiGHS, no incumbent': { solver: 'highs', pairs: { incumbent: false } },
  'HiGHS, default HiGHS settings': { solver: 'highs', pairs: { tuned: false } },
};

for (const [name, options] of Object.entries(SETTINGS)) {
  test(`pair problems (${name}): ILP equals enumeration on 30 random problems, linear and FLOPs-scaled`, async () => {
    const rng = createRng(808);
    let compared = 0;
    for (let k = 0; k < 30; k++) {
      const fractional = k % 3 === 0;
      const p = randomProblem(rng, { nodes: [3, 6], blocks: [2, 5], pairs: [1, 8], fractional, negativeReference: 0.25 });
      const ilp = await solveIlp(p, options);
      const ref = solveExhaustive(p);
      assert.equal(ilp.status, ref.status, `instance ${k}`);
      if (ref.status === 'infeasible') continue;
      compared++;
      assert.ok(close(ilp.objective, ref.objective), `instance ${k}: ${ilp.objective} vs ${ref.objective}`);
      assert.ok(feasible(p, ilp.genome!), `instance ${k}: ${ilp.genome}`);
    }
    assert.ok(compared >= 20);
  });
}

test('an incumbent that is already optimal is proved, not replaced by something worse', async () => {
  const rng = createRng(21);
  let proved = 0;
  for (let k = 0; k < 20; k++) {
    const p = randomProblem(rng, { nodes: [4, 6], blocks: [3, 5], pairs: [3, 10] });
    const ref = solveExhaustive(p);
    if (ref.status !== 'optimal') continue;
    const g = incumbentOf(p);
    assert.ok(g && feasible(p, g), `instance ${k}: the local search must find a feasible genome`);
    if (!close(objectiveValue(p.objective, g), ref.objective)) continue;
    proved++;
    const model = buildProgram(programOf(p));
    const r = await solveModel(model, { start: columnValues(model, g), pairTuned: true });
    assert.equal(r.status, 'optimal');
    assert.ok(close(objectiveValue(p.objective, genomeFromColumns(r.columns, p.radix)), ref.objective), `instance ${k}`);
  }
  assert.ok(proved >= 10, `only ${proved} instances had an optimal incumbent`);
});

test('HiGHS beats a start that is not optimal, and ignores one that breaks a limit', async () => {
  const rng = createRng(5150);
  let checked = 0;
  for (let k = 0; k < 20 && checked < 8; k++) {
    const p = randomProblem(rng, { nodes: [4, 5], blocks: [3, 4], pairs: [2, 6], rules: [0, 1] });
    const ref = solveExhaustive(p);
    if (ref.status !== 'optimal') continue;
    const all = genomes(p.radix);
    const score = (g: number[]) => objectiveValue(p.objective, g);
    const worst = all.filter((g) => feasible(p, g)).reduce((a, g) => (score(g) < score(a) ? g : a));
    const broken = all.find((g) => !feasible(p, g));
    if (close(objectiveValue(p.objective, worst), ref.objective) || !broken) continue;
    checked++;
    const model = buildProgram(programOf(p));
    for (const start of [worst, broken]) {
      const r = await solveModel(model, { start: columnValues(model, start), pairTuned: true });
      assert.equal(r.status, 'optimal');
      const g = genomeFromColumns(r.columns, p.radix);
      assert.ok(feasible(p, g) && close(objectiveValue(p.objective, g), ref.objective), `instance ${k} from [${start}]`);
    }
  }
  assert.ok(checked >= 5);
});

test('from random feasible starts HiGHS never stops at a worse architecture (cutoff soundness)', async () => {
  // A start becomes HiGHS's cutoff; an unsound early stop against it returns the start instead of the optimum.
  const rng = createRng(4711);
  let starts = 0;
  for (let k = 0; k < 40; k++) {
    const p = randomProblem(rng, { nodes: [4, 6], blocks: [3, 5], pairs: [3, 12], rules: [0, 3] });
    const ref = solveExhaustive(p);
    if (ref.status !== 'optimal') continue;
    const all = genomes(p.radix).filter((g) => feasible(p, g));
    const model = buildProgram(programOf(p));
    for (const start of [all[rng.int(all.length)]!, all[rng.int(all.length)]!]) {
      starts++;
      const r = await solveModel(model, { start: columnValues(model, start), pairTuned: true });
      const g = genomeFromColumns(r.columns, p.radix);
      assert.ok(close(objectiveValue(p.objective, g), ref.objective), `instance ${k} from [${start}]`);
    }
  }
  assert.ok(starts >= 50);
});

test('where the local search falls short of the optimum, solveIlp still returns it', async () => {
  const rng = createRng(99);
  let short = 0;
  for (let k = 0; k < 100 && short < 3; k++) {
    const p = randomProblem(rng, { nodes: [5, 7], blocks: [4, 6], pairs: [6, 15] });
    const ref = solveExhaustive(p);
    if (ref.status !== 'optimal') continue;
    const g = incumbentOf(p);
    if (!g || close(objectiveValue(p.objective, g), ref.objective)) continue;
    short++;
    // HiGHS alone: the branch and bound would not use the local search's start.
    const ilp = await solveIlp(p, { solver: 'highs' });
    assert.ok(close(ilp.objective, ref.objective), `instance ${k}: ilp ${ilp.objective} vs exhaustive ${ref.objective}`);
  }
  assert.ok(short >= 1, 'the generator must produce instances the local search does not solve');
});

test('exact ties between architectures do not make the proof fail or pick a worse one', async () => {
  // Block 2 of every node is a copy of block 1 (values, pairs, limits), so every optimum using it has a tied twin.
  const twin = <T>(row: readonly T[]): T[] => [row[0]!, row[1]!, row[1]!];
  const rng = createRng(64);
  let compared = 0;
  for (let k = 0; k < 40 && compared < 8; k++) {
    const p0 = randomProblem(rng, { nodes: [4, 5], blocks: [3, 3], pairs: [2, 6], limits: [1, 1], rules: [0, 0] });
    const p: Problem = {
      ...p0,
      objective: {
        model: { ...p0.objective.model, values: p0.objective.model.values.map(twin) },
        pairs: (p0.objective.pairs ?? []).map((q) => ({ ...q, values: twin(q.values.map(twin)) })),
      },
      limits: p0.limits.map((l) => ({ ...l, model: { ...l.model, values: l.model.values.map(twin) } })),
    };
    const ref = solveExhaustive(p);
    for (const solver of ['auto', 'highs'] as const) {
      const ilp = await solveIlp(p, { solver });
      assert.equal(ilp.status, ref.status, `instance ${k} (${solver})`);
      if (ref.status === 'optimal') assert.ok(close(ilp.objective, ref.objective), `instance ${k} (${solver})`);
    }
    if (ref.status !== 'optimal') continue;
    compared++;
  }
  assert.equal(compared, 8);
});

test('solves through the array API keep Wasm memory flat', async () => {
  const rng = createRng(12);
  const p = randomProblem(rng, { nodes: [5, 5], blocks: [4, 4], pairs: [6, 6], limits: [1, 1], rules: [0, 0] });
  const model = buildProgram(programOf(p));
  await solveModel(model, { pairTuned: true });
  const before = await highsStats();
  for (let k = 0; k < 300; k++) {
    const r = await solveModel(model, { start: columnValues(model, genomeFromRank(p.radix, 0)), pairTuned: true });
    assert.ok(r.status === 'optimal' || r.status === 'infeasible');
  }
  const after = await highsStats();
  assert.equal(after.loads, before.loads);
  assert.equal(after.memoryBytes, before.memoryBytes);
});
