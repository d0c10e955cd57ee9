import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mathnasTable, MATHNAS_DATASET, type MathnasSpaceName } from '../src/benchmarks/mathnas-tables.js';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import { mathnasEstimator } from '../src/predict/estimators/mathnas.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { additive } from '../src/core/additive.js';
import { predict } from '../src/predict/predict.js';
import { satisfiesRules } from '../src/space/space.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { minimizeMetric, solveIlp } from '../src/search/ilp.js';
import { sweepLimits } from '../src/search/pareto.js';
import type { Problem } from '../src/search/problem.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

/*
 * The branch and bound on the real spaces, whose structure the random problems lack: SuperViT's lifting rules,
 * the SuperTransformer's decoder-depth rules, NB201's graph rules with 15 pair tables, and rounded tables with
 * many tied optima. Where the space is small enough it must return enumeration's genome; elsewhere HiGHS's optimum.
 */

const skipMathnas = needsData('mathnas/mathnas_tables.json', 'hat/hat_latency_dataset.csv');
const skipNb = needsData(NB201_FILES.accuracy, NB201_FILES.latency);

const close = (a: number, b: number, what: string) => assertClose(a, b, 1e-9 * Math.max(1, Math.abs(b)), what);

/** Limits spanning a metric's range over the space (from the smallest achievable value to the unconstrained optimum's). */
async function sweep(problem: Problem, metric: string, count: number): Promise<number[]> {
  const { model } = problem.limits.find((l) => l.metric === metric)!;
  const min = await minimizeMetric(problem, model);
  const free = await solveIlp({ ...problem, limits: [] });
  return sweepLimits(min!.value, additive(model, free.genome!), count);
}

function mathnasProblem(space: MathnasSpaceName, device: string | undefined, metric: string, max: number): Problem {
  const t = mathnasTable(DATA_DIR, space, device);
  return problemFromTable(t.table, t.space, `accuracy:${MATHNAS_DATASET[space]}`, [{ metric, max }]);
}

test('MobileNetV3: solveIlp returns the genome enumeration returns, on every device and 8 latency limits', { skip: skipMathnas }, async () => {
  for (const device of ['raspberrypi', 'tx2cpu', 'tx2gpu']) {
    const metric = `latency:${device}`;
    for (const max of await sweep(mathnasProblem('mobilenetv3', device, metric, 1e12), metric, 8)) {
      const p = mathnasProblem('mobilenetv3', device, metric, max);
      const [ilp, ref] = [await solveIlp(p), solveExhaustive(p)];
      assert.equal(ilp.status, ref.status, `${device} <= ${max}`);
      assert.deepEqual(ilp.genome, ref.genome, `${device} <= ${max}`);
    }
  }
});

test('SuperTransformer and SuperViT: the branch and bound proves the optimum HiGHS proves, over 6 limits each', { skip: skipMathnas }, async () => {
  const cases: [MathnasSpaceName, string | undefined, string][] = [
    ['supertransformer', 'raspberrypi', 'latency:raspberrypi'],
    ['supertransformer', 'titanxp', 'latency:titanxp'],
    ['supervit', undefined, 'flops:imagenet'],
  ];
  for (const [space, device, metric] of cases) {
    const { space: s, table } = mathnasTable(DATA_DIR, space, device);
    for (const max of await sweep(mathnasProblem(space, device, metric, 1e12), metric, 6)) {
      const p = mathnasProblem(space, device, metric, max);
      const [auto, highs] = [await solveIlp(p), await solveIlp(p, { solver: 'highs' })];
      assert.equal(auto.status, 'optimal', `${space} ${device ?? ''} <= ${max}`);
      assert.equal(highs.status, 'optimal');
      close(auto.objective, highs.objective, `${space} ${device ?? ''} <= ${max}`);
      assert.ok(predict(table, s, auto.genome!)[metric]! <= max * (1 + 1e-9), `${space} <= ${max}: limit broken`);
      assert.ok(satisfiesRules(s.rules, auto.genome!), `${space} <= ${max}: a rule is broken`);
    }
  }
});

test('NB201 tables (pair terms, graph rules, FLOPs scaling): solveIlp returns enumeration\'s genome', { skip: skipNb }, async () => {
  const bench = loadNb201(DATA_DIR);
  const ds = 'cifar10';
  const lat = bench.values('latency:fpga');
  const request = { space: bench.space, evaluator: bench.evaluator([`accuracy:${ds}`, 'latency:fpga']), accuracy: `accuracy:${ds}`, costs: ['latency:fpga'], flops: bench.flopsModel!(ds), seed: 0 };
  const tables = [
    await regressionEstimator.estimate({ ...request, budget: 100, graphAware: false }),
    await regressionEstimator.estimate({ ...request, budget: 100, graphAware: true }),
    await mathnasEstimator.estimate({ ...request, graphAware: true }),
  ];
  assert.ok(tables[0]!.metrics.some((m) => m.pairs && m.pairs.length > 0), 'the regression table must carry pair terms');
  let compared = 0;
  for (const t of tables) {
    for (const max of sweepLimits(Math.min(...lat), Math.max(...lat), 6)) {
      const p = problemFromTable(t, bench.space, `accuracy:${ds}`, [{ metric: 'latency:fpga', max }]);
      const [ilp, ref] = [await solveIlp(p), solveExhaustive(p)];
      assert.equal(ilp.status, ref.status);
      if (ref.status !== 'optimal') continue;
      compared++;
      close(ilp.objective, ref.objective, `limit ${max}`);
      assert.deepEqual(ilp.genome, ref.genome, `limit ${max}: not the first optimum in rank order`);
    }
  }
  assert.ok(compared >= 15, `only ${compared} feasible problems`);
});
