import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { trueBest } from '../src/benchmarks/true-best.js';
import type { BlockTable } from '../src/core/block-table.js';
import { fitCostMetric } from '../src/predict/cost-model.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { DEFAULT_CONFIDENCE } from '../src/predict/interval.js';
import { measuredRange } from '../src/predict/measured-range.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { holdLimits, problemFromTable } from '../src/search/from-table.js';
import { solveIlp } from '../src/search/ilp.js';
import type { Problem, Solution } from '../src/search/problem.js';
import { refineSearch } from '../src/search/refine.js';
import { verifiedSearch } from '../src/search/verify.js';
import { mean, median } from '../src/stats/summary.js';
import { section, table } from './common.js';

export const LIMIT_DATASETS = ['cifar10', 'cifar100', 'imagenet16-120'] as const;
/** HW-NAS-Bench's four devices, then HELP's GPUs and server CPUs. */
export const LIMIT_DEVICES = [
  'fpga', 'eyeriss', 'raspi4', 'pixel3',
  '1080ti_1', '1080ti_32', '1080ti_256', '2080ti_1', '2080ti_32', '2080ti_256',
  'titan_rtx_1', 'titan_rtx_32', 'titan_rtx_256', 'titanx_1', 'titanx_32', 'titanx_256', 'titanxp_1', 'titanxp_32', 'titanxp_256',
  'gold_6226', 'gold_6240', 'silver_4114', 'silver_4210r',
] as const;

/** Ten limits from 5 % to 100 % of the device's true latency range over all 15,625 cells. */
export function limitGrid(lat: Float64Array, count = 10): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of lat) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return Array.from({ length: count }, (_, k) => lo + (0.05 + (0.95 * k) / (count - 1)) * (hi - lo));
}

type Method = 'today' | 'predicted' | 'predicted@0.9' | 'predicted@0.8' | 'verified' | 'verified-point' | 'refine5';

interface Outcome {
  readonly method: Method;
  readonly device: string;
  readonly dataset: string;
  readonly budget: number;
  /** null: refused (no network can be shown to meet the limit) or infeasible. */
  readonly regret: number | null;
  readonly broken: boolean;
  readonly extra: number;
  readonly solveMs: number;
}

/** Today's cost model, rebuilt from the same networks: every cost additive over every block, no residuals. */
function additiveCosts(t: BlockTable, bench: TabularBenchmark, costs: readonly string[]): BlockTable {
  const obs = t.observations!;
  const results = obs.genomes.map((_, i) => Object.fromEntries(costs.map((m) => [m, obs.metrics[m]![i] ?? NaN])));
  const additive = { fit: { pairs: false, mainPenalty: 0, pairPenalty: 0 }, effective: false };
  return {
    ...t,
    metrics: t.metrics.map((m) => {
      if (!costs.includes(m.metric)) return m;
      const { residuals: _r, ...plain } = fitCostMetric(bench.space, obs.genomes, results, m.metric, t.seed, [additive]).table;
      return plain;
    }),
  };
}

const solveEnum = (p: Problem): Promise<Solution> => Promise.resolve(solveExhaustive(p));

/**
 * The limits bench: on NB201, for every dataset, budget and device, ten latency limits; each search judged by the
 * true latency of its answer (a broken limit) and the true best cell under the limit (regret). 'today' is the
 * table as blocknas fitted it before (accuracy without equivalents, every cost additive) held at its prediction; 'predicted' the cost model chosen per device held at the default
 * confidence's upper bound, refusing a limit no measured network can be shown to meet; 'verified' the same with the
 * answer's latency measured (a tabular lookup) and broken answers cut off; 'verified-point' verified with the
 * limit held at the prediction.
 */
export async function benchLimits(bench: TabularBenchmark, { quick = false, seeds = quick ? [0, 1] : [0, 1, 2, 3, 4] }: { quick?: boolean; seeds?: readonly number[] } = {}) {
  const budgets = quick ? [100] : [50, 100, 200];
  const datasets = quick ? (['imagenet16-120'] as const) : LIMIT_DATASETS;
  const devices = quick ? LIMIT_DEVICES.slice(0, 4) : LIMIT_DEVICES;
  section(`Limits on NB201: ${devices.length} devices x ${datasets.length} datasets x budgets ${budgets.join('/')} x 10 limits, seeds ${seeds.join(',')}; default confidence ${DEFAULT_CONFIDENCE}`);
  const outcomes: Outcome[] = [];
  const ilpMs: { today: number[]; now: number[] } = { today: [], now: [] };
  let mismatches = 0;
  const choices = new Map<string, Map<string, number>>();
  const t0 = performance.now();
  for (const seed of seeds) {
    for (const dataset of datasets) {
      const accuracy = `accuracy:${dataset}`;
      const acc = bench.values(accuracy);
      for (const budget of budgets) {
        const costs = devices.map((d) => `latency:${d}`);
        const estimate = (equivalents: boolean) =>
          regressionEstimator.estimate({
            space: bench.space,
            evaluator: bench.evaluator([accuracy, ...costs]),
            accuracy,
            costs,
            flops: bench.flopsModel!(dataset),
            budget,
            seed,
            graphAware: true,
            equivalents,
          });
        const table = await estimate(true);
        // Before this work: the same networks, accuracy fitted without equivalents, every cost additive.
        const today = additiveCosts(await estimate(false), bench, costs);
        for (const note of table.notes ?? []) {
          const m = /^latency:(\S+) model: (.*) \(lowest/.exec(note);
          if (!m) continue;
          const byDevice = choices.get(m[1]!) ?? new Map<string, number>();
          choices.set(m[1]!, byDevice);
          byDevice.set(m[2]!, (byDevice.get(m[2]!) ?? 0) + 1);
        }
        const measure = async (gs: readonly (readonly number[])[], metrics: readonly string[]) =>
          gs.map((g) => Object.fromEntries(metrics.map((m) => [m, bench.values(m)[bench.indexOf(g)]!])));
        for (const device of devices) {
          const metric = `latency:${device}`;
          const lat = bench.values(metric);
          const floor = measuredRange(table, metric)!.min;
          for (const max of limitGrid(lat)) {
            const limits = [{ metric, max }];
            const truth = trueBest(bench, accuracy, limits);
            if (!truth) continue;
            const judge = (method: Method, g: readonly number[] | null, extra: number, solveMs: number) => {
              const i = g ? bench.indexOf(g) : -1;
              outcomes.push({
                method, device, dataset, budget, extra, solveMs,
                regret: g ? truth.value - acc[i]! : null,
                broken: g ? lat[i]! > max * (1 + 1e-9) : false,
              });
            };
            // Today: additive table, limit at the prediction.
            const pToday = problemFromTable(today, bench.space, accuracy, limits);
            const sToday = solveExhaustive(pToday);
            judge('today', sToday.genome, 0, sToday.solveMs);
            // Now, prediction only: chosen cost model, held at the upper bound, refused below every measurement.
            const pNow = problemFromTable(table, bench.space, accuracy, limits, { confidence: DEFAULT_CONFIDENCE });
            for (const [method, confidence] of [['predicted', DEFAULT_CONFIDENCE], ['predicted@0.9', 0.9], ['predicted@0.8', 0.8]] as const) {
              const held = holdLimits(table, limits, confidence)[0]!;
              if (held.held < floor) {
                judge(method, null, 0, 0);
                continue;
              }
              const s = solveExhaustive(method === 'predicted' ? pNow : problemFromTable(table, bench.space, accuracy, limits, { confidence }));
              judge(method, s.genome, 0, s.solveMs);
            }
            const v = await verifiedSearch({ problem: pNow, limits, solve: solveEnum, measure, known: table.observations! });
            judge('verified', v.status === 'verified' ? v.solution.genome : null, v.measurements, v.solveMs);
            const pPoint = problemFromTable(table, bench.space, accuracy, limits);
            const vp = await verifiedSearch({ problem: pPoint, limits, solve: solveEnum, measure, known: table.observations! });
            judge('verified-point', vp.status === 'verified' ? vp.solution.genome : null, vp.measurements, vp.solveMs);
            if (budget === 100 && dataset === 'imagenet16-120' && LIMIT_DEVICES.indexOf(device as never) < 4) {
              const r = await refineSearch({ table, space: bench.space, evaluator: bench.evaluator([accuracy, ...costs]), objective: accuracy, limits, steps: 5, solve: solveEnum, measure });
              // refine answers with the best measured network; its costs are measured, so it holds by construction.
              judge('refine5', r.genome, r.added, r.solveMs);
            }
            // The branch and bound on both problems, for the solve-time ratio.
            ilpMs.today.push((await solveIlp(pToday)).solveMs);
            const ilp = await solveIlp(pNow);
            ilpMs.now.push(ilp.solveMs);
            // The branch and bound proves the same optimum as enumeration, pair terms and effective-form rules included.
            const ex = solveExhaustive(pNow);
            if (ilp.status !== ex.status || (ex.genome && Math.abs(ilp.objective - ex.objective) > 1e-6 * Math.max(1, Math.abs(ex.objective)))) mismatches++;
          }
        }
      }
    }
  }
  const methods: Method[] = ['today', 'predicted', 'predicted@0.9', 'predicted@0.8', 'verified', 'verified-point', 'refine5'];
  const summarise = (os: readonly Outcome[]) => {
    const answered = os.filter((o) => o.regret !== null);
    const regrets = answered.map((o) => o.regret!);
    return {
      n: os.length,
      refused: os.length - answered.length,
      broken: answered.filter((o) => o.broken).length,
      mean: regrets.length ? mean(regrets) : NaN,
      max: regrets.length ? Math.max(...regrets) : NaN,
      extra: os.length ? mean(os.map((o) => o.extra)) : NaN,
      ms: os.length ? median(os.map((o) => o.solveMs)) : NaN,
    };
  };
  const rowsFor = (filter: (o: Outcome) => boolean) =>
    methods.flatMap((m) => {
      const s = summarise(outcomes.filter((o) => o.method === m && filter(o)));
      return s.n === 0 ? [] : [[m, s.n, s.broken, s.refused, s.mean, s.max, s.extra, s.ms]];
    });
  const header = ['method', 'searches', 'broken', 'refused', 'mean regret', 'max regret', 'extra meas.', 'median ms'];
  console.log('All devices, datasets and budgets:');
  table(header, rowsFor(() => true));
  for (const budget of budgets) {
    console.log(`\nBudget ${budget}:`);
    table(header, rowsFor((o) => o.budget === budget));
  }
  console.log('\nPer device (all datasets and budgets): broken / refused / mean regret, today -> predicted -> verified');
  table(
    ['device', 'cost model chosen (count over tables)', 'today', 'predicted', 'verified', 'verified-point'],
    devices.map((d) => {
      const cell = (m: Method) => {
        const s = summarise(outcomes.filter((o) => o.method === m && o.device === d));
        return `${s.broken}/${s.refused}/${s.mean.toFixed(2)}`;
      };
      const chosen = [...(choices.get(d) ?? new Map()).entries()].map(([k, v]) => `${k} x${v}`).join('; ');
      return [d, chosen, cell('today'), cell('predicted'), cell('verified'), cell('verified-point')];
    }),
  );
  console.log('\nImageNet16-120, budget 100, the issue targets (mean regret; broken / refused):');
  table(
    ['device', ...methods],
    devices.slice(0, 4).map((d) => [
      d,
      ...methods.map((m) => {
        const s = summarise(outcomes.filter((o) => o.method === m && o.device === d && o.budget === 100 && o.dataset === 'imagenet16-120'));
        return s.n ? `${s.mean.toFixed(2)} (${s.broken}/${s.refused})` : '-';
      }),
    ]),
  );
  console.log(`\nbranch and bound (solveIlp), median over every search: today's problems ${median(ilpMs.today).toFixed(3)} ms, now ${median(ilpMs.now).toFixed(3)} ms (${(median(ilpMs.now) / median(ilpMs.today)).toFixed(2)}x), ${mismatches} optima differing from enumeration; section took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
