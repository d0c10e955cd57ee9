import { UserError } from '../errors.js';
import type { AdditiveModel, PairTerm } from '../core/additive.js';
import type { Genome } from '../space/types.js';
import { solveExhaustive } from './exhaustive.js';
import { solveIlp, type IlpOptions } from './ilp.js';
import { limitValue, type Limit, type Problem, type Solution } from './problem.js';

/** The swept metric: the name of one of the problem's limits, or a metric to add (with its pair terms, if any). */
export type SweepMetric = string | { readonly metric: string; readonly model: AdditiveModel; readonly pairs?: readonly PairTerm[] };

/** What a swept limit is made of: its name, model and pair terms. */
type Swept = { name: string; model: AdditiveModel; pairs?: readonly PairTerm[] | undefined };

export interface ParetoRow {
  /** The max imposed on the swept metric. */
  readonly limit: number;
  readonly status: Solution['status'];
  readonly genome: Genome | null;
  readonly objective: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly solveMs: number;
}

export interface SweepOptions {
  readonly solver?: 'ilp' | 'exhaustive';
  readonly ilp?: IlpOptions;
}

function sweptModel(problem: Problem, metric: SweepMetric): Swept {
  if (typeof metric !== 'string') return { name: metric.metric, model: metric.model, pairs: metric.pairs };
  const limit = problem.limits.find((l) => l.metric === metric);
  if (!limit) {
    const known = problem.limits.map((l) => l.metric).join(', ') || 'none';
    throw new UserError(`sweep metric "${metric}": the problem has no limit on it (limits: ${known}); pass its model to add one`);
  }
  return { name: metric, model: limit.model, pairs: limit.pairs };
}

function withoutMetric(problem: Problem, name: string): Limit[] {
  return problem.limits.filter((l) => l.metric !== name);
}

function solveWith(problem: Problem, options: SweepOptions): Promise<Solution> {
  return options.solver === 'exhaustive' ? Promise.resolve(solveExhaustive(problem)) : solveIlp(problem, options.ilp);
}

/**
 * The best objective as the limit on one metric moves: one solve per entry of `limits`, with that metric's limit
 * replaced (or added) and everything else unchanged. Rows keep the order of `limits`; with increasing limits the
 * objective never decreases, since each feasible set contains the previous one.
 */
export async function paretoSweep(
  problem: Problem,
  metric: SweepMetric,
  limits: readonly number[],
  options: SweepOptions = {},
): Promise<ParetoRow[]> {
  const { name, model, pairs } = sweptModel(problem, metric);
  const others = withoutMetric(problem, name);
  const withPairs = pairs ? { pairs } : {};
  const rows: ParetoRow[] = [];
  for (const max of limits) {
    if (!Number.isFinite(max)) throw new UserError(`sweep limit for ${name}: expected a finite number, got ${max}`);
    const s = await solveWith({ ...problem, limits: [...others, { metric: name, model, max, ...withPairs }] }, options);
    rows.push({ limit: max, status: s.status, genome: s.genome, objective: s.objective, metrics: s.metrics, solveMs: s.solveMs });
  }
  return rows;
}

/** `count` evenly spaced limits from min to max inclusive (max exactly, not min + k·step rounded). */
export function sweepLimits(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new UserError(`sweep range: expected finite bounds, got ${min}..${max}`);
  }
  if (min > max) throw new UserError(`sweep range: min ${min} is above max ${max}`);
  if (!Number.isInteger(count) || count < 1) throw new UserError(`sweep count: expected a positive integer, got ${count}`);
  if (count === 1) return [max];
  return Array.from({ length: count }, (_, k) => (k === count - 1 ? max : min + ((max - min) * k) / (count - 1)));
}

/**
 * The range worth sweeping for `metric`: from its smallest value under the rules and the other limits, to its
 * value at the optimum when it is not limited (looser limits change nothing); `free` is that optimum. Null when the
 * other limits and the rules already admit no architecture.
 */
export async function sweepRange(
  problem: Problem,
  metric: SweepMetric,
  options: SweepOptions = {},
): Promise<{ min: number; max: number; free: Solution } | null> {
  const swept = sweptModel(problem, metric);
  const { name, model, pairs } = swept;
  const others = withoutMetric(problem, name);
  const negated: AdditiveModel = { intercept: -model.intercept, values: model.values.map((row) => row.map((v) => -v)) };
  const negatedPairs = pairs?.map((p) => ({ ...p, values: p.values.map((row) => row.map((v) => -v)) }));
  const objective = negatedPairs ? { model: negated, pairs: negatedPairs } : { model: negated };
  const smallest = await solveWith({ ...problem, objective, limits: others }, options);
  if (!smallest.genome) return null;
  const free = await solveWith({ ...problem, limits: others }, options);
  if (!free.genome) return null;
  const min = limitValue(swept, smallest.genome);
  return { min, max: Math.max(min, limitValue(swept, free.genome)), free };
}
