import { additive, pairSum, type AdditiveModel, type PairTerm } from '../core/additive.js';
import { satisfiesRules } from '../space/space.js';
import type { Genome } from '../space/types.js';
import { branchAndBound } from './branch-bound.js';
import { choiceProgram } from './choice-program.js';
import { infeasibleSolution, optimalSolution } from './common.js';
import { buildProgram, columnValues, DEFAULT_PAIR_FORMULATION, type BinaryProgram, type PairFormulation, type Table } from './formulation.js';
import { solveModel } from './highs.js';
import { findIncumbent } from './incumbent.js';
import { genomeFromColumns } from './lp-format.js';
import { limitValue, objectiveValue, type Problem, type Solution } from './problem.js';
import { validateProblem } from './validate-problem.js';

export interface IlpOptions {
  /** Dinkelbach stops when max N − λD is at most this fraction of |N| + |λD| (default 1e-12). */
  readonly tolerance?: number;
  /** Cap on Dinkelbach solves; only a numerical failure reaches it (default 100). */
  readonly maxIterations?: number;
  /**
   * 'auto' (default): the exact branch and bound of branch-bound.ts, which hands a problem it cannot finish within
   * `workLimit` to HiGHS together with its incumbent; 'highs': HiGHS alone. Both prove the same optimum.
   */
  readonly solver?: 'auto' | 'highs';
  /** Work limit of the branch and bound (block evaluations; default DEFAULT_WORK_LIMIT of branch-bound.ts). */
  readonly workLimit?: number;
  /**
   * Switches for HiGHS on programs with pair terms, for ablations and tests; the defaults are the measured best, and
   * every setting gives the same proven optimum (test/search-pairs.test.ts).
   */
  readonly pairs?: PairSettings;
}

/** What solveLinear needs of the options: the solver choice and the HiGHS settings for pair programs. */
type LinearSettings = Pick<IlpOptions, 'solver' | 'workLimit' | 'pairs'>;

export interface PairSettings extends Partial<PairFormulation> {
  /** Start HiGHS from a local-search incumbent (default true). */
  readonly incumbent?: boolean;
  /** Use the HiGHS settings tuned for pair programs (highs.ts PAIR_OPTIONS; default true). */
  readonly tuned?: boolean;
}

function tableSum(values: Table, g: Genome): number {
  let v = 0;
  for (let i = 0; i < g.length; i++) v += values[i]![g[i]!]!;
  return v;
}

/**
 * HiGHS checks rows against its own scaled tolerances, the branch and bound against the slack of common.ts; an
 * answer that breaks a rule or a limit by more than rounding means a formulation or scaling bug, which must not pass
 * silently.
 */
function assertFeasible(problem: Problem, g: Genome, withLimits: boolean, solver: string): void {
  if (!satisfiesRules(problem.rules, g)) throw new Error(`${solver} returned [${g.join(',')}], which breaks a coupling rule`);
  if (!withLimits) return;
  for (const l of problem.limits) {
    let size = l.model.values.reduce((s, row) => s + Math.max(...row.map(Math.abs)), Math.abs(l.model.intercept));
    for (const p of l.pairs ?? []) size += Math.max(...p.values.flat().map(Math.abs));
    const v = limitValue(l, g);
    if (v > l.max + 1e-6 * Math.max(1, Math.abs(l.max), size)) {
      throw new Error(`${solver} returned [${g.join(',')}] with ${l.metric} ${v} > ${l.max}`);
    }
  }
}

/** A linear objective, with pair terms linearised in the LP. */
interface LinearObjective {
  readonly values: Table;
  readonly pairs?: readonly PairTerm[] | undefined;
}

/**
 * Optimal genome of a linear objective over the problem's rules (and limits unless withLimits is false), or null when
 * none is feasible. `seeds` are genomes worth starting from (the previous Dinkelbach answer).
 *
 * The branch and bound (branch-bound.ts) comes first: these are multiple-choice programs, on which HiGHS
 * (WebAssembly) spends most of a solve on fixed machinery (presolve, restarts, heuristics, cuts) however small the
 * program. A problem the branch and bound cannot finish within its work limit goes to HiGHS with its incumbent as the
 * start, or else a local-search one (incumbent.ts) on pair programs, whose weak LP relaxation makes HiGHS branch.
 * Measurements and the variants tried: docs/notes/2026-12-07-solver-history.md.
 */
async function solveLinear(
  problem: Problem,
  objective: LinearObjective,
  sense: 'maximize' | 'minimize',
  withLimits = true,
  seeds: readonly Genome[] = [],
  settings: LinearSettings = {},
): Promise<number[] | null> {
  const limits = withLimits ? problem.limits : [];
  const { radix, rules } = problem;
  const pairs = objective.pairs ?? [];
  const program: BinaryProgram = { radix, sense, objective: objective.values, pairs, limits, rules };
  let incumbent: number[] | null = null;
  if (settings.solver !== 'highs') {
    const bb = branchAndBound(choiceProgram(program), { seeds, ...(settings.workLimit !== undefined ? { workLimit: settings.workLimit } : {}) });
    if (bb.status === 'infeasible') return null;
    if (bb.status === 'optimal') {
      assertFeasible(problem, bb.genome, withLimits, 'the branch and bound');
      return bb.genome;
    }
    incumbent = bb.genome;
  }
  const pairSettings = settings.pairs ?? {};
  const model = buildProgram(program, { ...DEFAULT_PAIR_FORMULATION, ...pairSettings });
  const hasProducts = model.binary.some((b) => !b);
  if (!incumbent && hasProducts && sense === 'maximize' && pairSettings.incumbent !== false) {
    incumbent = findIncumbent({ radix, values: objective.values, pairs, limits, rules }, seeds);
  }
  const start = incumbent ? columnValues(model, incumbent) : undefined;
  const pairTuned = hasProducts && pairSettings.tuned !== false;
  const result = await solveModel(model, { ...(start ? { start } : {}), pairTuned });
  if (result.status === 'infeasible') {
    if (start) throw new Error('HiGHS reported infeasible although a feasible architecture was found before');
    return null;
  }
  const g = genomeFromColumns(result.columns, problem.radix);
  assertFeasible(problem, g, withLimits, 'HiGHS');
  return g;
}

/**
 * Smallest value of `model` (plus `pairs`, a limit's pair terms) under the problem's rules alone (limits ignored), or
 * null when no genome obeys the rules.
 */
export async function minimizeMetric(
  problem: Problem,
  model: AdditiveModel,
  options: IlpOptions = {},
  pairs?: readonly PairTerm[],
): Promise<{ genome: number[]; value: number } | null> {
  const g = await solveLinear(problem, { values: model.values, pairs }, 'minimize', false, [], options);
  return g ? { genome: g, value: limitValue({ model, pairs }, g) } : null;
}

async function minAchievable(problem: Problem, options: IlpOptions): Promise<Record<string, number> | null> {
  const out: Record<string, number> = {};
  for (const l of problem.limits) {
    const m = await minimizeMetric(problem, l.model, options, l.pairs);
    if (!m) return null;
    out[l.metric] = m.value;
  }
  // Without limits the only way to be infeasible is through the rules.
  return problem.limits.length > 0 ? out : null;
}

/**
 * Dinkelbach's method for max N(x)/D(x) with D > 0: with λ the ratio of the incumbent, F(λ) = max N − λD is > 0
 * exactly when a better ratio exists, and its argmax is the next incumbent. The ratios strictly increase over a
 * finite set, so it ends (superlinearly, usually in 2-4 solves). F is evaluated exactly from the returned genome,
 * not from HiGHS's objective value, so the stopping test is not blurred by the solver's scaled tolerances.
 */
async function dinkelbach(
  problem: Problem,
  options: IlpOptions,
): Promise<{ genome: number[] | null; iterations: number }> {
  const { model, scale } = problem.objective;
  if (!scale) throw new Error('dinkelbach needs objective.scale');
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  // Maximising reference·N/D is maximising sign(reference)·N/D; a negative reference turns it into minimising N/D.
  const sign = Math.sign(scale.reference);
  const num = model.values.map((row) => row.map((v) => sign * v));
  const pairs = problem.objective.pairs?.map((p) => ({ ...p, values: p.values.map((row) => row.map((v) => sign * v)) }));
  const numerator = (g: Genome) => tableSum(num, g) + pairSum(pairs, g);
  const den = scale.denominator;
  let g = await solveLinear(problem, { values: num, pairs }, 'maximize', true, [], options);
  let iterations = 1;
  if (!g || sign === 0) return { genome: g, iterations };
  for (;;) {
    if (iterations >= maxIterations) throw new Error(`Dinkelbach did not converge in ${maxIterations} solves`);
    const lambda = numerator(g) / additive(den, g);
    const coefs = num.map((row, i) => row.map((v, j) => v - lambda * den.values[i]![j]!));
    const next = await solveLinear(problem, { values: coefs, pairs }, 'maximize', true, [g], options);
    iterations++;
    if (!next) throw new Error('Dinkelbach subproblem became infeasible with unchanged constraints');
    const n = numerator(next);
    const d = additive(den, next);
    const f = n - lambda * d;
    if (f <= tolerance * (Math.abs(n) + Math.abs(lambda * d))) {
      // Within tolerance the two are tied; keep whichever scores higher exactly.
      if (objectiveValue(problem.objective, next) > objectiveValue(problem.objective, g)) g = next;
      return { genome: g, iterations };
    }
    g = next;
  }
}

/**
 * Optimal architecture by integer programming, proven optimal: an exact branch and bound, handing hard problems to
 * HiGHS (see solveLinear). A linear objective (pair terms included) takes one solve, whose ties go to the first
 * genome in rank order as in enumeration; a FLOPs-scaled objective (MathNAS Eq. 5) is a ratio of two additive
 * functions and is solved exactly by Dinkelbach. When the limits exclude every architecture, minAchievable gives each limited
 * metric's smallest value under the rules, which is what a user needs to choose a feasible limit.
 */
export async function solveIlp(problem: Problem, options: IlpOptions = {}): Promise<Solution> {
  const t0 = performance.now();
  validateProblem(problem);
  const { model, pairs, scale } = problem.objective;
  const method = scale ? 'ilp-dinkelbach' : 'ilp';
  const linear = () => solveLinear(problem, { values: model.values, pairs }, 'maximize', true, [], options);
  const { genome, iterations } = scale ? await dinkelbach(problem, options) : { genome: await linear(), iterations: 1 };
  if (!genome) {
    const min = await minAchievable(problem, options);
    return infeasibleSolution(method, performance.now() - t0, iterations, min);
  }
  return optimalSolution(problem, genome, method, performance.now() - t0, iterations);
}
