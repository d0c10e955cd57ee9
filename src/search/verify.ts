import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { LimitSpec } from './from-table.js';
import { limitTolerance } from './common.js';
import { noGood } from './no-good.js';
import type { Problem, Solution } from './problem.js';

/** Measures the named metrics of architectures (a tabular benchmark's lookup, a timing on this machine). */
export type Measure = (genomes: readonly Genome[], metrics: readonly string[]) => Promise<Record<string, number>[]>;

/** Networks measured before the search starts (a block table's observations): checked without a new measurement. */
export interface KnownMeasurements {
  readonly genomes: readonly Genome[];
  readonly metrics: Readonly<Record<string, readonly (number | null)[]>>;
}

export interface VerifyOptions {
  /** The problem as searched (limits held on predictions, possibly tighter than `limits`). */
  readonly problem: Problem;
  /** The limits the measured costs must meet. */
  readonly limits: readonly LimitSpec[];
  readonly solve: (p: Problem) => Promise<Solution>;
  readonly measure: Measure;
  readonly known?: KnownMeasurements;
  /** New measurements allowed before giving up (default DEFAULT_MAX_MEASUREMENTS). */
  readonly maxMeasurements?: number;
}

export const DEFAULT_MAX_MEASUREMENTS = 200;

export interface VerifiedCheck {
  readonly genome: Genome;
  readonly measured: Readonly<Record<string, number>>;
  /** Whether this check took a new measurement (false: the network was measured before). */
  readonly fresh: boolean;
  readonly meets: boolean;
}

export interface VerifiedSearch {
  /**
   * 'verified': the solution's measured costs meet every limit; 'infeasible': every network the model allows was
   * measured over a limit (or none is allowed); 'unverified': the measurement allowance ran out first.
   */
  readonly status: 'verified' | 'infeasible' | 'unverified';
  /** The last solve: for 'verified', the measured-feasible optimum of the model. */
  readonly solution: Solution;
  readonly measured: Readonly<Record<string, number>> | null;
  /** Every network checked, in order; the networks cut off are those that do not meet. */
  readonly checks: readonly VerifiedCheck[];
  /** New measurements taken (checks of networks not measured before). */
  readonly measurements: number;
  readonly solveMs: number;
}

/** Whether measured costs meet every limit, with the slack the solvers give a limit, so a cost on the limit meets it. */
export function meetsLimits(limits: readonly LimitSpec[], m: Readonly<Record<string, number>>): boolean {
  return limits.every((l) => (m[l.metric] ?? NaN) <= l.max + limitTolerance(l.max));
}

/**
 * Search with verified costs: solve, measure the chosen network's limited costs, and while a measured cost breaks
 * its limit cut that network off (a no-good rule, which every solver takes) and solve again. The answer is the
 * model's best network among those not measured over a limit, and its costs are measurements, not predictions.
 */
export async function verifiedSearch(o: VerifyOptions): Promise<VerifiedSearch> {
  const metrics = o.limits.map((l) => l.metric);
  const known = new Map<string, Record<string, number>>();
  o.known?.genomes.forEach((g, i) => {
    const row: Record<string, number> = {};
    for (const m of metrics) row[m] = o.known!.metrics[m]?.[i] ?? NaN;
    if (metrics.every((m) => Number.isFinite(row[m]))) known.set(genomeKey(g), row);
  });
  const max = o.maxMeasurements ?? DEFAULT_MAX_MEASUREMENTS;
  const checks: VerifiedCheck[] = [];
  const cuts = [];
  let measurements = 0;
  let solveMs = 0;
  for (;;) {
    const solution = await o.solve(cuts.length ? { ...o.problem, rules: [...o.problem.rules, ...cuts] } : o.problem);
    solveMs += solution.solveMs;
    const g = solution.genome;
    if (!g) return { status: 'infeasible', solution, measured: null, checks, measurements, solveMs };
    let m = known.get(genomeKey(g));
    const fresh = !m;
    if (!m) {
      if (measurements >= max) return { status: 'unverified', solution, measured: null, checks, measurements, solveMs };
      [m] = await o.measure([g], metrics);
      measurements++;
    }
    const meets = meetsLimits(o.limits, m!);
    checks.push({ genome: g, measured: m!, fresh, meets });
    if (meets) return { status: 'verified', solution, measured: m!, checks, measurements, solveMs };
    cuts.push(noGood(g));
  }
}
