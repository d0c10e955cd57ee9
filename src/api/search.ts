import { fieldError } from '../errors.js';
import { DEFAULT_CONFIDENCE } from '../predict/interval.js';
import { predict } from '../predict/predict.js';
import type { HeldLimit, LimitSpec } from '../search/from-table.js';
import { solveExhaustive } from '../search/exhaustive.js';
import { solveIlp } from '../search/ilp.js';
import type { Problem, Solution } from '../search/problem.js';
import { searchTable, type UnreachableLimit } from '../search/table-search.js';
import { productSize } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { TableTarget } from '../targets/types.js';
import { openTarget, type OpenTargetOptions } from './open-target.js';

export interface SearchOptions extends Omit<OpenTargetOptions, 'for'> {
  /** A registry space name, or a target already opened (openTarget). */
  readonly space: string | TableTarget;
  /** Upper limits on costs: metric ids with their maxima, e.g. { 'latency:fpga': 5 }, or a list of limit specs. */
  readonly limits?: Readonly<Record<string, number>> | readonly LimitSpec[];
  /** The metric to maximise (default: the target's accuracy). */
  readonly objective?: string;
  /**
   * Hold limits at this confidence's upper prediction bound (default 0.95 when costs are not measured). With
   * measured costs (`verify`) limits are held at the prediction, since each answer's costs are then measured.
   */
  readonly confidence?: number;
  /** Measure the answer's limited costs and cut off broken answers (default: where measuring is a lookup). */
  readonly verify?: boolean;
}

/** A plain result record: what was found, what was predicted and measured, and how the limits were held. */
export interface SearchResult {
  readonly status: 'found' | 'infeasible' | 'refused' | 'unverified';
  readonly space: string;
  readonly objective: string;
  /** The architecture in the space's canonical string, and as block indices per node. */
  readonly architecture: string | null;
  readonly genome: Genome | null;
  /** Every metric of the table, predicted for the answer. */
  readonly predicted: Readonly<Record<string, number>> | null;
  /** The answer's true metrics, where the space is a tabular benchmark. */
  readonly true: Readonly<Record<string, number>> | null;
  readonly held: readonly HeldLimit[];
  /** Limits that no network can be shown to meet (status 'refused'). */
  readonly unreachable: readonly UnreachableLimit[];
  /** Extra cost measurements taken by verification (0 without). */
  readonly measurements: number;
  readonly solveMs: number;
}

/** Up to this many architectures, enumerating every prediction is faster than a solver call. */
const ENUMERATE_BELOW = 100_000;

function limitList(limits: SearchOptions['limits']): LimitSpec[] {
  if (!limits) return [];
  const list = Array.isArray(limits) ? [...(limits as readonly LimitSpec[])] : Object.entries(limits).map(([metric, max]) => ({ metric, max }));
  for (const l of list) {
    if (typeof l.max !== 'number' || Number.isNaN(l.max)) throw fieldError('limits', `${l.metric}: expected a number, got ${String(l.max)}`);
  }
  return list;
}

/**
 * The most accurate architecture of a space whose costs meet the limits: `search({ space: 'nb201', dataDir,
 * limits: { 'latency:fpga': 5 } })`. Solved exactly (enumeration for small spaces, else the branch and bound),
 * with limits held as `confidence` and `verify` say (docs/limits.md).
 */
export async function search(options: SearchOptions): Promise<SearchResult> {
  const { space, limits, objective, confidence, verify, ...open } = options;
  const t = typeof space === 'string' ? await openTarget(space, open) : space;
  const goal = objective ?? t.accuracy;
  if (!t.table.metrics.some((m) => m.metric === goal)) throw fieldError('objective', `"${goal}" is not a metric of the ${t.name} table (${t.table.metrics.map((m) => m.metric).join(', ')})`);
  if (confidence !== undefined && !(confidence > 0 && confidence < 1)) throw fieldError('confidence', `expected a probability between 0 and 1 (exclusive), got ${confidence}`);
  if (verify && !t.measure) throw fieldError('verify', `space ${t.name} has nothing to measure costs with`);
  const list = limitList(limits);
  const measure = (verify ?? t.measuredBy === 'lookup') ? t.measure : undefined;
  const held = confidence ?? (measure ? undefined : DEFAULT_CONFIDENCE);
  const small = productSize(t.space) <= BigInt(ENUMERATE_BELOW);
  const solve = (p: Problem): Promise<Solution> => (small ? Promise.resolve(solveExhaustive(p)) : solveIlp(p));
  const r = await searchTable({
    table: t.table,
    space: t.space,
    objective: goal,
    limits: list,
    solve,
    ...(held !== undefined ? { confidence: held } : {}),
    ...(measure ? { measure, ...(t.measuredBy === 'timing' ? { remeasure: true } : {}) } : {}),
  });
  const base = { space: t.name, objective: goal, held: r.held, unreachable: r.status === 'refused' ? r.unreachable : [] };
  const measurements = 'verified' in r && r.verified ? r.verified.measurements : 0;
  if (r.status !== 'found') {
    return { ...base, status: r.status, architecture: null, genome: null, predicted: null, true: null, measurements, solveMs: 'solution' in r ? r.solution.solveMs : r.status === 'unverified' ? r.verified.solveMs : 0 };
  }
  const g = r.solution.genome!;
  const i = t.bench?.indexOf(g) ?? -1;
  const truth = t.bench && i >= 0 ? Object.fromEntries(t.bench.metrics.filter((m) => t.table.metrics.some((x) => x.metric === m.id)).map((m) => [m.id, t.bench!.values(m.id)[i]!])) : null;
  return {
    ...base,
    status: 'found',
    architecture: t.space.format(g),
    genome: [...g],
    predicted: predict(r.table, t.space, g),
    true: truth,
    measurements,
    solveMs: r.solution.solveMs,
  };
}
