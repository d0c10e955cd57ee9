import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserError } from '../src/errors.js';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import { trueBest } from '../src/benchmarks/true-best.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { refineSearch } from '../src/search/refine.js';
import { solveIlp } from '../src/search/ilp.js';
import { genomeKey } from '../src/space/space.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData(NB201_FILES.accuracy, NB201_FILES.latency);

test('refine evaluates only unmeasured networks, answers with the best measured one, and never does worse', { skip }, async () => {
  const bench = loadNb201(DATA_DIR);
  const ids = ['accuracy:imagenet16-120', 'latency:fpga'];
  const table = await regressionEstimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator(ids),
    accuracy: ids[0]!,
    costs: [ids[1]!],
    flops: bench.flopsModel!('imagenet16-120'),
    budget: 100,
    seed: 1,
    graphAware: true,
  });
  const acc = bench.values(ids[0]!);
  let plainRegret = 0;
  let refinedRegret = 0;
  for (const max of [2.2, 3, 4.5]) {
    const limits = [{ metric: ids[1]!, max }];
    const plain = solveExhaustive(problemFromTable(table, bench.space, ids[0]!, limits));
    const r = await refineSearch({ table, space: bench.space, evaluator: bench.evaluator(ids), objective: ids[0]!, limits, steps: 4, solve: solveIlp });
    assert.equal(r.added, 4);
    assert.equal(r.table.evaluated, table.evaluated + 4);
    const before = new Set(table.observations!.genomes.map(genomeKey));
    for (const st of r.steps) assert.ok(!before.has(genomeKey(st.genome)), 'a measured network was evaluated again');
    assert.ok(r.measured![ids[1]!]! <= max + 1e-9);
    // the answer is the best measured feasible network among all evaluated ones
    const obs = r.table.observations!;
    const feasible = obs.genomes.map((_, i) => i).filter((i) => obs.metrics[ids[1]!]![i]! <= max + 1e-9);
    assert.equal(r.measured![ids[0]!], Math.max(...feasible.map((i) => obs.metrics[ids[0]!]![i]!)));
    const best = trueBest(bench, ids[0]!, limits)!.value;
    plainRegret += best - acc[bench.indexOf(plain.genome!)]!;
    refinedRegret += best - acc[bench.indexOf(r.genome!)]!;
  }
  assert.ok(refinedRegret <= plainRegret, `refined ${refinedRegret} vs plain ${plainRegret}`);
});

test('refine needs a table with observations', { skip }, async () => {
  const bench = loadNb201(DATA_DIR);
  const table = { format: 'blocknas-block-table/1' as const, space: 'nb201', estimator: 'mathnas', evaluated: 25, seed: 0, base: [3, 3, 3, 3, 3, 3], metrics: [{ metric: 'acc', intercept: 0, values: bench.space.nodes.map(() => [0, 0, 0, 0, 0]) }] };
  await assert.rejects(
    refineSearch({ table, space: bench.space, evaluator: bench.evaluator([]), objective: 'acc', limits: [], steps: 1, solve: solveIlp }),
    (e: Error) => (e as UserError).field === 'refine' && /^refine: needs a block table with its evaluated networks/.test(e.message),
  );
});

test('refine with cheap cost measurements: no evaluation is spent on a network measured over the limit', { skip }, async () => {
  const bench = loadNb201(DATA_DIR);
  const ids = ['accuracy:cifar100', 'latency:pixel3'];
  const table = await regressionEstimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator(ids),
    accuracy: ids[0]!,
    costs: [ids[1]!],
    budget: 80,
    seed: 2,
    graphAware: true,
  });
  const lat = bench.values(ids[1]!);
  let cut = 0;
  for (const max of [6, 9, 12]) {
    const limits = [{ metric: ids[1]!, max }];
    let measured = 0;
    const measure = async (gs: readonly (readonly number[])[]) => {
      measured += gs.length;
      return gs.map((g) => ({ [ids[1]!]: lat[bench.indexOf(g)]! }));
    };
    const r = await refineSearch({ table, space: bench.space, evaluator: bench.evaluator(ids), objective: ids[0]!, limits, steps: 4, solve: (p) => Promise.resolve(solveExhaustive(p)), measure });
    for (const st of r.steps) assert.ok(lat[bench.indexOf(st.genome)]! <= max + 1e-9, `step ${st.genome} evaluated though it runs in ${lat[bench.indexOf(st.genome)]} ms`);
    assert.equal(r.screened.measured, measured);
    assert.ok(r.screened.cut <= r.screened.measured);
    cut += r.screened.cut;
    assert.ok(r.measured![ids[1]!]! <= max + 1e-9);
  }
  assert.ok(cut > 0, 'pixel3 latency is not additive: some candidate must have been cut off by its measurement');
});
