import type { Metrics } from '../src/core/metrics.js';
import { loadOfaMbv3, OFA_ACCURACY, type OfaMbv3Benchmark } from '../src/benchmarks/ofa-mbv3/index.js';
import { mathnasStages } from '../src/benchmarks/ofa-mbv3/mathnas-stages.js';
import { checkOnSample, ofaTestSet } from '../src/benchmarks/ofa-mbv3/validate.js';
import { ESTIMATORS } from '../src/predict/estimators/index.js';
import { predictMetric } from '../src/predict/predict.js';
import { allGenomes, radices } from '../src/space/space.js';
import type { Genome } from '../src/space/types.js';
import { spearman } from '../src/stats/rank.js';
import { median } from '../src/stats/summary.js';
import { section, spread, table } from './common.js';

const DEVICES = ['note10', 'i7-8700k'] as const;
const COSTS = DEVICES.map((d) => `latency:${d}`);
const TEST_SIZE = 1000;
/** The tutorial's searched sub-network (ofa.ipynb): 81.71 % predicted, 24.73 ms on the Note10. */
export const TUTORIAL_NET = 'r192|k5e3,k3e3|k5e4,k3e4|k7e6,k7e3,k3e4|k5e4,k5e4,k7e4,k3e3|k3e6,k3e6,k5e6';

interface Config {
  readonly estimator: string;
  readonly budget?: number;
}

interface TestSet {
  readonly genomes: readonly Genome[];
  readonly truth: readonly Metrics[];
}

async function testSet(bench: OfaMbv3Benchmark, seed: number, sampler: 'ofa' | 'uniform'): Promise<TestSet> {
  const genomes = ofaTestSet(bench, TEST_SIZE, seed, sampler);
  return { genomes, truth: await bench.evaluator().evaluate(genomes) };
}

/** One estimator configuration over `seeds` seeds: the row of the table. */
async function row(bench: OfaMbv3Benchmark, c: Config, seeds: number, ofaSet: TestSet, uniformSet: TestSet) {
  const est = ESTIMATORS.find((e) => e.name === c.estimator)!;
  const runs = c.estimator === 'mathnas' ? 1 : seeds;
  const acc: number[] = [];
  const accU: number[] = [];
  const lat = DEVICES.map(() => ({ rho: [] as number[], mape: [] as number[] }));
  let genomes = 0;
  let networks = 0;
  for (let seed = 0; seed < runs; seed++) {
    const evaluator = bench.evaluator([OFA_ACCURACY, ...COSTS]);
    const t = await est.estimate({ space: bench.space, evaluator, accuracy: OFA_ACCURACY, costs: COSTS, seed, ...(c.budget ? { budget: c.budget } : {}) });
    genomes = Math.max(genomes, t.evaluated);
    networks = Math.max(networks, evaluator.evaluated);
    const v = checkOnSample(t, bench, ofaSet.genomes, ofaSet.truth);
    acc.push(v[0]!.spearman);
    accU.push(checkOnSample(t, bench, uniformSet.genomes, uniformSet.truth)[0]!.spearman);
    DEVICES.forEach((_, k) => {
      lat[k]!.rho.push(v[k + 1]!.spearman);
      lat[k]!.mape.push(v[k + 1]!.mape);
    });
  }
  return [
    `${c.estimator}${c.budget ? ` (budget ${c.budget})` : ''}`,
    `${genomes} (${networks})`,
    spread(acc),
    median(accU).toFixed(3),
    ...lat.flatMap((l) => [median(l.rho).toFixed(3), `${median(l.mape).toFixed(2)} %`]),
  ];
}

/**
 * Independent truth on the once-for-all MobileNetV3 space: the block estimators, each given only the evaluator,
 * against the OFA accuracy predictor and the Note10 / i7-8700K LUTs on 1,000 random sub-networks (fixed seeds),
 * over the full space (17 resolutions) and at a fixed 224 px.
 */
export async function benchOfaMbv3(dataDir: string, options: { quick: boolean }) {
  section('OFA MobileNetV3 (w1.2): block estimators against the OFA accuracy predictor and latency LUTs');
  const full = loadOfaMbv3(dataDir);
  const [m] = await full.evaluator().evaluate([full.space.parse(TUTORIAL_NET)]);
  console.log(
    `truth check, tutorial net ${TUTORIAL_NET}: predicted top-1 ${m![OFA_ACCURACY]!.toFixed(3)} % (tutorial 81.71), ` +
      `Note10 ${m!['latency:note10']!.toFixed(2)} ms (tutorial 24.73), i7-8700K ${m!['latency:i7-8700k']!.toFixed(2)} ms, ${m!['flops']!.toFixed(1)} MFLOPs`,
  );
  const seeds = options.quick ? 1 : 3;
  const configs: Config[] = [
    { estimator: 'mathnas' },
    ...(options.quick ? [400] : [400, 1000]).map((budget) => ({ estimator: 'mathnas-sampled', budget })),
    ...(options.quick ? [300, 1000] : [150, 300, 1000]).map((budget) => ({ estimator: 'regression', budget })),
  ];
  const fixed = loadOfaMbv3(dataDir, { resolutions: [224] });
  for (const bench of [full, fixed]) {
    const ofaSet = await testSet(bench, 1, 'ofa');
    const uniformSet = await testSet(bench, 2, 'uniform');
    const rows: (string | number)[][] = [];
    for (const c of configs) rows.push(await row(bench, c, seeds, ofaSet, uniformSet));
    const res = bench.space.nodes[0]!.blocks;
    console.log(
      `\n${bench.space.name}: ${res.length > 1 ? `resolution ${res[0]!.id}..${res[res.length - 1]!.id} as node 0` : `fixed ${res[0]!.id}`}; ` +
        `${TEST_SIZE} test networks drawn as OFA does (depth uniform 2-4; seed 1), and ${TEST_SIZE} uniform valid genomes (seed 2)`,
    );
    table(
      ['estimator', 'evaluated genomes (networks)', `acc spearman (${seeds > 1 ? `median [min, max] of ${seeds} seeds` : '1 seed'})`, 'acc spearman, uniform genomes', 'note10 spearman', 'note10 MAPE', 'i7 spearman', 'i7 MAPE'],
      rows,
    );
  }
  console.log('\nlatency columns: the OFA-sampled test set; MAPE = mean |predicted - LUT| / LUT. Truth is derived (predictor, LUT sums), see docs/ofa-mbv3.md.');
  await benchMathnasGranularity(dataDir, fixed);
}

/**
 * The same truth at MathNAS's own granularity (5 stage nodes x 5 candidate stage configurations, 224 px): every one
 * of the 3,125 networks is scored, so the Spearman is exact. "Eq. 5" adds the FLOPs scaling of accuracy changes.
 */
async function benchMathnasGranularity(dataDir: string, fixed: OfaMbv3Benchmark) {
  const ids = [OFA_ACCURACY, ...COSTS];
  const rows: (string | number)[][] = [];
  for (const set of ['cpu', 'gpu'] as const) {
    const mb = mathnasStages(dataDir, fixed, set);
    const all = [...allGenomes(radices(mb.space))];
    const truth = await mb.evaluator(ids).evaluate(all);
    const configs = [
      { name: 'mathnas', eq5: false },
      { name: 'mathnas', eq5: true },
      { name: 'regression', eq5: false, budget: 100 },
    ];
    for (const c of configs) {
      const est = ESTIMATORS.find((e) => e.name === c.name)!;
      const t = await est.estimate({
        space: mb.space, evaluator: mb.evaluator(ids), accuracy: OFA_ACCURACY, costs: COSTS, seed: 0,
        ...(c.eq5 ? { flops: mb.flops } : {}), ...(c.budget ? { budget: c.budget } : {}),
      });
      const rho = t.metrics.map((m) => spearman(all.map((g) => predictMetric(m, mb.space, g)), truth.map((x) => x[m.metric]!)));
      rows.push([`mobilenetv3-${set}`, `${c.name}${c.eq5 ? ' + Eq. 5' : ''}${c.budget ? ` (budget ${c.budget})` : ''}`, t.evaluated, ...rho.map((r) => r.toFixed(3))]);
    }
  }
  console.log(`\nMathNAS granularity: 5 stage nodes x 5 candidates (MathNAS's CPU / GPU lists), 224 px, all 3,125 networks scored by the same truth`);
  table(['space', 'estimator', 'evaluated', 'acc spearman', 'note10 spearman', 'i7 spearman'], rows);
}
