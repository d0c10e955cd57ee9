import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { trueBest } from '../src/benchmarks/true-best.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { warmUpHighs } from '../src/search/highs.js';
import { solveIlp } from '../src/search/ilp.js';
import { refineSearch } from '../src/search/refine.js';
import type { BlockTable } from '../src/core/block-table.js';
import { sweepLimits } from '../src/search/pareto.js';
import { mean, median, quantile } from '../src/stats/summary.js';
import { section, table } from './common.js';
import { DATASETS, DEVICES, estimate, estimatorConfigs } from './nb201-estimators.js';
import { measureSolveTimes, nb201Problems, printSolveTimes, SOLVE_TARGETS_MS, targetOf } from './solve-times.js';

/**
 * Search quality and speed: for 20 latency limits spanning the true feasible range (fastest cell to the latency
 * of the most accurate cell), the ILP's choice against the true best cell under the same limit, and the ILP's
 * solve time against enumerating every prediction. Fitted tables are also run with verification (refine), whose
 * answers are measured networks; their ILP time is not listed (the refine loop solves by enumeration here).
 */
export async function benchSearch(bench: TabularBenchmark, budgets: readonly number[], limitsCount = 20, refineSteps = 5) {
  section(`NB201: search over ${limitsCount} latency limits (regret = true best accuracy - true accuracy of the choice)`);
  await warmUpHighs();
  const configs = estimatorConfigs(budgets).filter((c) => c.estimator.name !== 'mathnas-sampled');
  const summary: Record<string, { regret: number; violations: number; ilpMs: number; enumMs: number }> = {};
  const rows: (string | number)[][] = [];
  /** Every solveIlp time of the sweep, per table kind (estimator, graph-aware or not, budget). */
  const ilpByKind = new Map<string, number[]>();
  for (const dataset of DATASETS) {
    const acc = bench.values(`accuracy:${dataset}`);
    for (const device of DEVICES) {
      const latId = `latency:${device}`;
      const lat = bench.values(latId);
      let best = 0;
      acc.forEach((v, i) => (v > acc[best]! ? (best = i) : 0));
      const limits = sweepLimits(Math.min(...lat), lat[best]!, limitsCount);
      for (const c of configs) {
        const t = await estimate(bench, c, dataset, [device], 0);
        const regrets: number[] = [];
        const ilpMs: number[] = [];
        const enumMs: number[] = [];
        let violations = 0;
        let mismatches = 0;
        for (const max of limits) {
          const p = problemFromTable(t, bench.space, `accuracy:${dataset}`, [{ metric: latId, max }]);
          const ilp = await solveIlp(p);
          const ex = solveExhaustive(p);
          ilpMs.push(ilp.solveMs);
          enumMs.push(ex.solveMs);
          const truth = trueBest(bench, `accuracy:${dataset}`, [{ metric: latId, max }]);
          if (ilp.status !== 'optimal' || !truth) {
            regrets.push(NaN);
            continue;
          }
          if (Math.abs(ilp.objective - ex.objective) > 1e-6 * Math.max(1, Math.abs(ex.objective))) mismatches++;
          const i = bench.indexOf(ilp.genome!);
          regrets.push(truth.value - acc[i]!);
          if (lat[i]! > max * (1 + 1e-9)) violations++;
        }
        const solved = regrets.filter(Number.isFinite);
        const label = `${c.estimator.name}${c.graph ? '+graph' : ''}${c.budget ? `@${c.budget}` : ''}`;
        ilpByKind.set(label, [...(ilpByKind.get(label) ?? []), ...ilpMs]);
        rows.push([dataset, device, label, t.evaluated, mean(solved), Math.max(...solved), `${violations}/${limits.length}`, median(ilpMs), median(enumMs), median(ilpMs) / median(enumMs), mismatches]);
        summary[`${dataset} ${device} ${label}`] = { regret: mean(solved), violations, ilpMs: median(ilpMs), enumMs: median(enumMs) };
        if (t.observations && refineSteps > 0) {
          const r = await refinedSweep(bench, t, dataset, latId, limits, refineSteps);
          const l = `${label} refine ${refineSteps}`;
          rows.push([dataset, device, l, r.evaluated, mean(r.regrets), Math.max(...r.regrets), `${r.violations}/${limits.length}`, '-', '-', '-', '-']);
          summary[`${dataset} ${device} ${l}`] = { regret: mean(r.regrets), violations: r.violations, ilpMs: NaN, enumMs: NaN };
        }
      }
    }
  }
  table(
    ['dataset', 'device', 'estimator', 'networks', 'mean regret', 'max regret', 'true lat > limit', 'ILP ms (median)', 'enumerate ms', 'ILP/enum', 'ILP != enum'],
    rows,
  );
  console.log(`\nsolveIlp time per table kind, all datasets and devices (${limitsCount} limits each), proven optimal:`);
  for (const [kind, ms] of ilpByKind) {
    const target = SOLVE_TARGETS_MS['nb201']!;
    console.log(`  ${kind}: median ${median(ms).toFixed(2)} ms (target <= ${target} ms)${median(ms) <= target ? '' : ' MISSED'}, p90 ${quantile(ms, 0.9).toFixed(2)} ms over ${ms.length} solves`);
  }
  section('NB201: solveIlp against HiGHS alone on the same problems (cifar10, fpga; 1 untimed + 2 timed solves each)');
  printSolveTimes(await measureSolveTimes(await nb201Problems(bench), { repeats: 2 }), targetOf);
  return summary;
}

/** The same sweep with verification: each limit evaluates `steps` networks, and evaluations carry over. */
async function refinedSweep(bench: TabularBenchmark, table: BlockTable, dataset: string, latId: string, limits: number[], steps: number) {
  const accId = `accuracy:${dataset}`;
  const acc = bench.values(accId);
  const lat = bench.values(latId);
  let t = table;
  const regrets: number[] = [];
  let violations = 0;
  for (const max of limits) {
    const lim = [{ metric: latId, max }];
    const r = await refineSearch({ table: t, space: bench.space, evaluator: bench.evaluator([accId, latId]), objective: accId, limits: lim, steps, solve: async (p) => solveExhaustive(p) });
    t = r.table;
    const truth = trueBest(bench, accId, lim);
    if (!r.genome || !truth) continue;
    const i = bench.indexOf(r.genome);
    regrets.push(truth.value - acc[i]!);
    if (lat[i]! > max * (1 + 1e-9)) violations++;
  }
  return { regrets, violations, evaluated: t.evaluated };
}
