import { benchDataDir, loadNb201, section, table, timeIt } from './common.js';
import { benchSurrogates, surrogateBenchTable } from './surrogate-bench.js';
import { benchJacobCov, printJacobCovBench } from './zc-jacov.js';
import { benchTraining } from './tfjs-train.js';
import { benchEstimators } from './nb201-estimators.js';
import { benchSearch } from './nb201-search.js';
import { benchMathnasReproduction } from './mathnas-repro.js';
import { benchHatLatency } from './hat-latency.js';
import { benchOfaMbv3 } from './ofa-mbv3.js';
import { benchMbv3Eval } from './mbv3-eval.js';
import { benchEvolve } from './evolve.js';
import { benchMbv3Estimate } from './mbv3-estimate.js';
import { benchHypervolume } from './hypervolume.js';
import { benchGpRows } from './gp-rows.js';
import { benchLimits } from './limits.js';
import { benchScale } from './scale.js';

/**
 * `npm run bench [-- --quick] [-- --only nb201|mathnas|scale]`: every figure is measured in this run, against a baseline measured in the same
 * run (published tables, exhaustive enumeration, enumeration of the true best).
 */
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const wants = (name: string) => only === undefined || only === name;
const dataDir = benchDataDir();
if (!dataDir) {
  console.error('bench: benchmark data not found: set BLOCKNAS_DATA or put the data at ../shared/data');
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
console.log(`# blocknas benchmarks (${quick ? 'quick' : 'full'}), node ${process.version}, data ${dataDir}`);
if (wants('nb201')) {
  const { value: bench, ms } = await timeIt(() => loadNb201(dataDir));
  console.log(`NB201 loaded in ${ms.toFixed(0)} ms`);
  const budgets = quick ? [100, 400] : [50, 100, 200, 400];
  await benchEstimators(bench, dataDir, budgets, quick ? 3 : 5);
  await benchSearch(bench, [100, 400], 20);
}
if (wants('limits')) await benchLimits(loadNb201(dataDir), { quick });
if (wants('mathnas')) await benchMathnasReproduction(dataDir);
if (wants('scale')) await benchScale({ quick });
if (wants('hat')) await benchHatLatency(dataDir);
if (wants('ofa')) await benchOfaMbv3(dataDir, { quick });
if (wants('mbv3')) await benchMbv3Eval({ quick });
if (wants('supernet')) await benchMbv3Estimate({ quick });
if (wants('hypervolume')) benchHypervolume({ quick });
if (wants('evolve')) await benchEvolve(dataDir, { quick });
if (wants('surrogates')) {
  section('Surrogates for evolutionary search (NB201 ImageNet16-120; Kendall / Spearman over all 15,625 cells)');
  const bench = loadNb201(dataDir);
  const t = surrogateBenchTable(benchSurrogates(bench, { seeds: quick ? 1 : 3 }));
  table(t.header, t.rows);
  benchGpRows(bench, { quick });
}
if (wants('zc')) printJacobCovBench(await benchJacobCov(dataDir, { cells: quick ? 60 : 200 }));
if (wants('tfjs')) {
  section('TensorFlow.js training throughput: WebAssembly backend with blocknas gradient kernels vs the CPU backend');
  const r = await benchTraining({});
  console.log(`small CNN ${r.spec.inputSize}x${r.spec.inputSize}, channels ${r.spec.channels.join('/')}, batch ${r.batch}`);
  for (const t of [r.wasm, r.cpu]) if (t) console.log(`${t.backend.padEnd(4)} ${t.imagesPerSec.toFixed(2).padStart(9)} images/s (${t.msPerStep.toFixed(0)} ms/step over ${t.steps} timed steps)`);
  if (r.speedup !== null) console.log(`wasm / cpu: ${r.speedup.toFixed(1)}x`);
}
