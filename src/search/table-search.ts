import { fmt } from '../number-format.js';
import type { BlockTable } from '../core/block-table.js';
import { withResiduals } from '../predict/cost-model.js';
import { measuredRange } from '../predict/measured-range.js';
import type { SearchSpace } from '../space/types.js';
import { holdLimits, problemFromHeld, type HeldLimit, type LimitSpec } from './from-table.js';
import type { Problem, Solution } from './problem.js';
import { verifiedSearch, type Measure, type VerifiedSearch } from './verify.js';

export interface TableSearchOptions {
  readonly table: BlockTable;
  readonly space: SearchSpace;
  /** The metric to maximise. */
  readonly objective: string;
  readonly limits: readonly LimitSpec[];
  readonly solve: (p: Problem) => Promise<Solution>;
  /** Hold each limit at this confidence's upper prediction bound (interval.ts); absent: at the prediction. */
  readonly confidence?: number;
  /** Measures costs cheaply: the answer's limited costs are then measured and broken answers cut off (verify.ts). */
  readonly measure?: Measure;
  /** Measure every network anew, even those the table was fitted on (their costs were measured elsewhere). */
  readonly remeasure?: boolean;
  readonly maxMeasurements?: number;
  /** Drop Eq. 5's FLOPs scaling. */
  readonly linear?: boolean;
}

/** A limit that no network can be shown to meet: its held bound lies below every measured network. */
export interface UnreachableLimit extends HeldLimit {
  readonly lowestMeasured: number;
}

/** A search that was made: 'found' an answer, or 'infeasible': no network predicted (or measured) to meet the limits. */
export interface SolvedTableSearch {
  readonly status: 'found' | 'infeasible';
  readonly problem: Problem;
  readonly held: readonly HeldLimit[];
  readonly solution: Solution;
  /** The verification, when costs were measured. */
  readonly verified: VerifiedSearch | null;
  /** The table searched: the one given, with prediction intervals added where it lacked them. */
  readonly table: BlockTable;
}

export type TableSearch =
  | SolvedTableSearch
  /** Without measurements, a limit below every measured network cannot be shown to hold: no search is made. */
  | { readonly status: 'refused'; readonly unreachable: readonly UnreachableLimit[]; readonly held: readonly HeldLimit[]; readonly table: BlockTable }
  /** Verification used up its measurements before a network met the limits. */
  | { readonly status: 'unverified'; readonly problem: Problem; readonly held: readonly HeldLimit[]; readonly verified: VerifiedSearch; readonly table: BlockTable };

/** The held limits whose bound lies below every network the table was fitted on: no network can be shown to meet them. */
export function unreachableLimits(table: BlockTable, held: readonly HeldLimit[]): UnreachableLimit[] {
  return held.flatMap((h) => {
    const r = measuredRange(table, h.metric);
    return r && h.held < r.min ? [{ ...h, lowestMeasured: r.min }] : [];
  });
}

/**
 * One line saying why a limit is refused (no flags: callers add how to proceed), e.g. `limit latency:wasm <= 1.5 ms,
 * held at -0.22 ms by its 95 % prediction bound, lies below every network the table was fitted on (lowest measured
 * 2.211 ms): no network can be shown to meet it`.
 */
export function describeUnreachable(u: UnreachableLimit, units: Readonly<Record<string, string>> = {}): string {
  const unit = units[u.metric] ? ` ${units[u.metric]}` : '';
  const bound = u.interval && u.held < u.max ? `, held at ${fmt(u.held)}${unit} by its ${Math.round(100 * u.interval.confidence)} % prediction bound,` : '';
  return (
    `limit ${u.metric} <= ${String(u.max)}${unit}${bound} lies below every network the table was fitted on ` +
    `(lowest measured ${fmt(u.lowestMeasured)}${unit}): no network can be shown to meet it`
  );
}

/**
 * Search a block table under limits that hold: each limit is held at the upper bound of its cost's prediction
 * interval (when a confidence is given), a prediction below every measured network is not trusted (the limit is
 * refused unless costs are measured), and with a measure the answer's costs are measured and broken answers cut
 * off until one meets every limit.
 */
export async function searchTable(o: TableSearchOptions): Promise<TableSearch> {
  const table = withResiduals(o.table, o.space, o.limits.map((l) => l.metric));
  const held = holdLimits(table, o.limits, o.confidence);
  if (!o.measure) {
    const unreachable = unreachableLimits(table, held);
    if (unreachable.length > 0) return { status: 'refused', unreachable, held, table };
  }
  const problem = problemFromHeld(table, o.space, o.objective, held, { linear: o.linear ?? false });
  if (!o.measure) {
    const solution = await o.solve(problem);
    return { status: solution.genome ? 'found' : 'infeasible', problem, held, solution, verified: null, table };
  }
  const verified = await verifiedSearch({
    problem,
    limits: o.limits,
    solve: o.solve,
    measure: o.measure,
    ...(table.observations && !o.remeasure ? { known: table.observations } : {}),
    ...(o.maxMeasurements !== undefined ? { maxMeasurements: o.maxMeasurements } : {}),
  });
  if (verified.status === 'unverified') return { status: 'unverified', problem, held, verified, table };
  return { status: verified.status === 'verified' ? 'found' : 'infeasible', problem, held, solution: verified.solution, verified, table };
}
