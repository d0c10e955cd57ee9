import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNb201 } from '../src/benchmarks/nb201.js';
import { costCandidates, describeCostCandidate, fitCostMetric } from '../src/predict/cost-model.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { predictMetric } from '../src/predict/predict.js';
import { createRng } from '../src/random.js';
import { createNb201Space, effectiveNb201 } from '../src/spaces/nb201/space.js';
import type { Genome } from '../src/space/types.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const space = createNb201Space();
const rng = createRng(3);
/** 160 random connected cells. */
const cells: Genome[] = [];
while (cells.length < 160) {
  const g = Array.from({ length: 6 }, () => rng.int(5));
  if (effectiveNb201(g)) cells.push(g);
}
/** Per edge and op, a cost in ms; `none` costs nothing. */
const w = [0, 1, 2, 3, 4, 5].map((e) => [0, 0.1 + 0.01 * e, 1 + 0.2 * e, 3 + 0.3 * e, 0.5 + 0.05 * e]);
const drawnCost = (g: Genome) => 2 + g.reduce((s, op, e) => s + w[e]![op]!, 0);
/** A device that drops dead edges: the cost of the effective form. */
const prunedCost = (g: Genome) => drawnCost(effectiveNb201(g)!);
/** A device on which two 3x3 convolutions on edges 0 and 5 together cost 4 ms more than apart. */
const pairedCost = (g: Genome) => drawnCost(g) + (g[0] === 3 && g[5] === 3 ? 4 : 0);

function chosen(cost: (g: Genome) => number) {
  const results = cells.map((g) => ({ lat: cost(g) }));
  return fitCostMetric(space, cells, results, 'lat', 0, costCandidates(space), { genome: [0, 0, 0, 0, 0, 0], value: 0.01 });
}

test('cost model: each synthetic device gets the model that is exact for it, and predicts every cell exactly', () => {
  const cases = [
    { cost: drawnCost, family: 'additive over every block' },
    { cost: prunedCost, family: 'additive over the effective form' },
    { cost: pairedCost, family: /^pair terms .* over every block$/ },
  ];
  for (const { cost, family } of cases) {
    const fit = chosen(cost);
    const name = describeCostCandidate(fit.candidate);
    if (typeof family === 'string') assert.equal(name, family);
    else assert.match(name, family);
    // Judged on own-form cells: the exact candidate's residuals are (near) zero, the others' are not.
    const best = Math.min(...fit.cvRmse.filter(Number.isFinite));
    assert.equal(fit.cvRmse[costCandidates(space).findIndex((c) => describeCostCandidate(c) === name)], best);
    const worst = Math.max(...fit.cvRmse.filter(Number.isFinite));
    assert.ok(worst > 0.05, `${name}: some candidate must be wrong for this device (worst RMSE ${worst})`);
    const ownForm = cells.filter((g) => effectiveNb201(g)!.every((b, i) => b === g[i]));
    assert.equal(fit.table.residuals!.length, ownForm.length, 'one residual per own-form cell');
    if (!name.startsWith('pair')) {
      // Least squares on an exact model: residuals are rounding noise, predictions exact on unseen cells too.
      assert.ok(fit.table.residuals!.every((r) => Math.abs(r) < 1e-6), `${name}: residuals ${fit.table.residuals!.slice(0, 3)}`);
      for (const g of [[3, 3, 3, 3, 3, 3], [0, 0, 0, 3, 0, 0], [1, 0, 4, 0, 2, 0]]) {
        assert.ok(Math.abs(predictMetric(fit.table, space, g) - cost(g)) < 1e-6, `${name} at [${g}]`);
      }
    }
    // The one disconnected value stands for every disconnected cell.
    assert.equal(predictMetric(fit.table, space, [0, 0, 0, 0, 0, 0]), 0.01);
    assert.equal(predictMetric(fit.table, space, [3, 0, 0, 0, 0, 0]), 0.01);
  }
  // The drawn table predicts dead edges at their cost; the effective one at none.
  assert.equal(chosen(drawnCost).table.graph?.form, 'drawn');
  assert.equal(chosen(prunedCost).table.graph?.form, undefined);
  // A device that runs a disconnected cell at the cost of its blocks (fpga) keeps them in the sum: no graph semantics.
  const results = cells.map((g) => ({ lat: drawnCost(g) }));
  const dead = [3, 0, 0, 0, 0, 0];
  const additiveDead = fitCostMetric(space, cells, results, 'lat', 0, costCandidates(space), { genome: dead, value: drawnCost(dead) });
  assert.equal(additiveDead.table.graph, undefined);
  assert.ok(Math.abs(predictMetric(additiveDead.table, space, [0, 4, 0, 0, 0, 0]) - drawnCost([0, 4, 0, 0, 0, 0])) < 1e-6);
});

test('NB201 regression tables: fpga latency (exactly additive) stays additive; each cost names its model and keeps residuals', { skip: needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, async () => {
  const bench = loadNb201(DATA_DIR);
  const costs = ['latency:fpga', 'latency:raspi4'];
  const t = await regressionEstimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator(['accuracy:cifar10', ...costs]),
    accuracy: 'accuracy:cifar10',
    costs,
    budget: 100,
    seed: 0,
    graphAware: true,
  });
  const fpga = t.metrics.find((m) => m.metric === 'latency:fpga')!;
  assert.ok(t.notes!.includes('latency:fpga model: additive over every block (lowest cross-validated error)'), t.notes!.join('\n'));
  assert.ok(fpga.residuals!.every((r) => Math.abs(r) < 1e-6), 'fpga latency is a sum of its edges');
  // Every one of the 15,625 cells predicted exactly from 100 networks.
  const lat = bench.values('latency:fpga');
  let worst = 0;
  bench.genomes.forEach((g, i) => (worst = Math.max(worst, Math.abs(predictMetric(fpga, bench.space, g) - lat[i]!))));
  assert.ok(worst < 1e-6, `largest fpga error ${worst}`);
  // fpga runs a disconnected cell at the cost of its edges: no special case, so every cell above was exact.
  assert.equal(fpga.graph, undefined);
  // raspi4 runs a disconnected cell in about 0.011 ms: the table gives every disconnected cell the measured value.
  const raspi = t.metrics.find((m) => m.metric === 'latency:raspi4')!;
  const dead = bench.genomes.findIndex((g) => effectiveNb201(g) === null);
  assert.equal(predictMetric(raspi, bench.space, bench.genomes[dead]!), raspi.graph!.disconnected);
  assert.ok(raspi.graph!.disconnected < 0.1, `raspi4 disconnected latency ${raspi.graph!.disconnected}`);
  assert.ok(raspi.residuals!.length > 30 && raspi.residuals!.some((r) => Math.abs(r) > 0.5), 'raspi4 latency is not a sum of blocks');
});

test('NB201 at 50 networks: a block seen by one network only does not make the exact fpga latency look inexact', { skip: needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, async () => {
  // With 50 networks the design holds a single network for some blocks; in the fold that tests it the block is
  // unknown, and before such rows were skipped seed 1 chose pair terms for fpga with non-zero residuals.
  const bench = loadNb201(DATA_DIR);
  for (const seed of [0, 1, 2]) {
    const t = await regressionEstimator.estimate({
      space: bench.space,
      evaluator: bench.evaluator(['accuracy:cifar10', 'latency:fpga']),
      accuracy: 'accuracy:cifar10',
      costs: ['latency:fpga'],
      budget: 50,
      seed,
      graphAware: true,
    });
    assert.ok(t.notes!.includes('latency:fpga model: additive over every block (lowest cross-validated error)'), `seed ${seed}: ${t.notes!.join('; ')}`);
    const fpga = t.metrics.find((m) => m.metric === 'latency:fpga')!;
    assert.ok(fpga.residuals!.length > 20 && fpga.residuals!.every((r) => Math.abs(r) < 1e-6), `seed ${seed}`);
  }
});
