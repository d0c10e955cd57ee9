import { fieldError } from '../errors.js';
import type { Evaluator, Metrics } from '../core/metrics.js';
import type { BlockTable, MetricTable, Observations } from '../core/block-table.js';
import { fitMetric } from '../predict/estimators/regression.js';
import { predictMetric } from '../predict/predict.js';
import { genomeKey } from '../space/space.js';
import type { CouplingRule, Genome, SearchSpace } from '../space/types.js';
import { problemFromTable, type LimitSpec } from './from-table.js';
import { limitTolerance } from './common.js';
import { noGood } from './no-good.js';
import type { Problem, Solution } from './problem.js';
import { meetsLimits, type Measure } from './verify.js';

/** Measured optima skipped per step before giving up (the model then agrees with the measurements). */
const MAX_CUTS = 50;

export interface RefineOptions {
  readonly table: BlockTable;
  readonly space: SearchSpace;
  readonly evaluator: Evaluator;
  readonly objective: string;
  readonly limits: readonly LimitSpec[];
  /** Most networks to evaluate: one per step, fewer when the model's optimum is already measured. */
  readonly steps: number;
  readonly solve: (p: Problem) => Promise<Solution>;
  readonly seed?: number;
  /**
   * Cheap measurement of the limited costs (verify.ts): a candidate whose measured cost breaks a limit is cut off
   * before an evaluation is spent on it, for the rest of the refinement.
   */
  readonly measure?: Measure;
}

export interface RefineStep {
  readonly genome: Genome;
  readonly predicted: number;
  readonly measured: Metrics;
}

export interface RefineResult {
  /** The best *measured* architecture meeting every limit, over all evaluated networks; null if none does. */
  readonly genome: Genome | null;
  readonly measured: Readonly<Record<string, number>> | null;
  /** Networks evaluated by the refinement (on top of table.evaluated). */
  readonly added: number;
  readonly steps: readonly RefineStep[];
  readonly table: BlockTable;
  readonly solveMs: number;
  /** Cost measurements taken to screen candidates (with `measure`), and how many broke a limit. */
  readonly screened: { readonly measured: number; readonly cut: number };
}

/**
 * Search with verification: solve, evaluate the model's best network not yet measured, refit the block values
 * with it, and solve again, for `steps` evaluations; then answer with the best measured network that meets the
 * limits. A fitted model is most wrong exactly where search goes (at its
 * maximum), so a few evaluations there buy far more than the same number spread at random.
 */
export async function refineSearch(o: RefineOptions): Promise<RefineResult> {
  const obs = o.table.observations;
  if (!obs) throw fieldError('refine', `needs a block table with its evaluated networks (estimator regression), not ${o.table.estimator}`);
  const genomes: Genome[] = obs.genomes.map((g) => [...g]);
  const results: Metrics[] = genomes.map((_, i) => rowOf(obs, i));
  const seen = new Set(genomes.map(genomeKey));
  const observed = Object.keys(obs.metrics);
  let table = o.table;
  const steps: RefineStep[] = [];
  let solveMs = 0;
  // Networks measured over a limit stay cut off; a network measured before is screened without a new measurement.
  const overLimit: CouplingRule[] = [];
  const screened = { measured: 0, cut: 0 };
  const costs = new Map<string, Readonly<Record<string, number>>>();
  const breaks = async (g: Genome): Promise<boolean> => {
    const key = genomeKey(g);
    const i = genomes.findIndex((h) => genomeKey(h) === key);
    let m: Readonly<Record<string, number>> | undefined = i >= 0 ? results[i] : costs.get(key);
    if (!m || o.limits.some((l) => !Number.isFinite(m![l.metric]))) {
      [m] = await o.measure!([g], o.limits.map((l) => l.metric));
      costs.set(key, m!);
      screened.measured++;
    }
    return !meetsLimits(o.limits, m!);
  };
  for (let k = 0; k < o.steps; k++) {
    const t = table.metrics.find((m) => m.metric === o.objective)!;
    const base = problemFromTable(table, o.space, o.objective, o.limits);
    // The model's best network that has not been measured yet: measured optima are cut off one by one.
    const cuts: CouplingRule[] = [];
    let g: Genome | null = null;
    while (cuts.length <= MAX_CUTS) {
      const sol = await o.solve({ ...base, rules: [...base.rules, ...overLimit, ...cuts] });
      solveMs += sol.solveMs;
      if (!sol.genome) break;
      const eff = (t.graph && o.space.effective?.(sol.genome)) || sol.genome;
      if (o.measure && (await breaks(sol.genome))) {
        overLimit.push(noGood(sol.genome));
        screened.cut++;
        continue;
      }
      if (!seen.has(genomeKey(eff))) {
        g = eff;
        break;
      }
      cuts.push(noGood(sol.genome));
    }
    if (!g) break;
    const [m] = await o.evaluator.evaluate([g]);
    seen.add(genomeKey(g));
    genomes.push(g);
    results.push(m!);
    steps.push({ genome: g, predicted: predictMetric(t, o.space, g), measured: m! });
    table = refit(table, o.space, genomes, results, o.seed ?? table.seed);
  }
  const best = bestMeasured(table, o, genomes, results, observed);
  table = {
    ...table,
    evaluated: table.evaluated + steps.length,
    observations: {
      genomes: genomes.map((g) => [...g]),
      metrics: Object.fromEntries(observed.map((id) => [id, results.map((r) => r[id]!)])),
    },
  };
  return { ...best, added: steps.length, steps, table, solveMs, screened };
}

function rowOf(obs: Observations, i: number): Metrics {
  const m: Record<string, number> = {};
  for (const [id, values] of Object.entries(obs.metrics)) m[id] = values[i] ?? NaN;
  return m;
}

/** Refits every metric that was fitted (keeping its model family); analytic ones (FLOPs) stay. */
function refit(table: BlockTable, space: SearchSpace, genomes: Genome[], results: Metrics[], seed: number): BlockTable {
  const metrics: MetricTable[] = table.metrics.map((t) => {
    if (!t.fit || !(t.metric in results[0]!)) return t;
    const next = fitMetric(space, genomes, results, t.metric, [t.fit], seed, Boolean(t.graph), Boolean(t.equivalents));
    return t.graph ? { ...next, graph: t.graph } : next;
  });
  return { ...table, metrics };
}

function bestMeasured(table: BlockTable, o: RefineOptions, genomes: Genome[], results: Metrics[], observed: string[]) {
  let best = -1;
  let bestValue = -Infinity;
  const valueOf = (i: number, metric: string) =>
    observed.includes(metric) ? results[i]![metric]! : predictMetric(table.metrics.find((t) => t.metric === metric)!, o.space, genomes[i]!);
  genomes.forEach((_, i) => {
    const v = results[i]![o.objective]!;
    if (!(v > bestValue)) return;
    if (o.limits.every((l) => valueOf(i, l.metric) <= l.max + limitTolerance(l.max))) {
      best = i;
      bestValue = v;
    }
  });
  if (best < 0) return { genome: null, measured: null };
  const measured = Object.fromEntries(table.metrics.map((t) => [t.metric, valueOf(best, t.metric)]));
  return { genome: genomes[best]!, measured };
}
