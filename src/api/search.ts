import { fieldError } from '../errors.js';
import { withResiduals } from '../predict/cost-model.js';
import { DEFAULT_CONFIDENCE } from '../predict/interval.js';
import type { HeldLimit, LimitSpec } from '../search/from-table.js';
import { solveExhaustive } from '../search/exhaustive.js';
import { solveIlp } from '../search/ilp.js';
import type { Problem, Solution } from '../search/problem.js';
import { refineSearch, type RefineResult } from '../search/refine.js';
import { searchTable, type TableSearch, type UnreachableLimit } from '../search/table-search.js';
import type { Measure } from '../search/verify.js';
import { productSize } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { TableTarget } from '../targets/types.js';
import { openTarget, type OpenTargetOptions } from './open-target.js';
import { describe } from './predict.js';

export interface LimitOptions {
  /**
   * Hold limits at this confidence's upper prediction bound (default 0.95 when costs are not measured). With
   * measured costs limits are held at the prediction, since each answer's costs are then measured.
   */
  readonly confidence?: number;
  /**
   * Measure the answer's limited costs and cut off broken answers. Default: where measuring is a lookup (a
   * tabular benchmark); timing on this machine (built-in spaces) only when asked.
   */
  readonly verify?: boolean;
}

export interface SolveOptions {
  /** 'exhaustive' enumerates every prediction, 'ilp' solves the integer program; 'auto' (default) enumerates up to 100,000 architectures. */
  readonly method?: 'auto' | 'ilp' | 'exhaustive';
  /** For the integer program: blocknas's branch and bound with HiGHS past a work limit ('auto'), or HiGHS alone. */
  readonly solver?: 'auto' | 'highs';
  /** Drop Eq. 5's FLOPs scaling from the objective (as MathNAS's released search code). */
  readonly linear?: boolean;
}

export interface SearchOptions extends Omit<OpenTargetOptions, 'for'>, LimitOptions, SolveOptions {
  /** A registry space name, or a target already opened (openTarget). */
  readonly space: string | TableTarget;
  /** Upper limits on costs: metric ids with their maxima, e.g. { 'latency:fpga': 5 }, or a list of limit specs. */
  readonly limits?: Readonly<Record<string, number>> | readonly LimitSpec[];
  /** The metric to maximise (default: the target's accuracy). */
  readonly objective?: string;
  /**
   * Evaluate the model's best unmeasured network, refit and solve again, this many times; answer with the best
   * measured network (tabular benchmarks: networks are looked up).
   */
  readonly refine?: number;
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
  /** Networks evaluated by refinement (0 without). */
  readonly refined: number;
  readonly solveMs: number;
}

/** How limits are held and whether answers are measured: the policy of docs/limits.md. */
export interface LimitPolicy {
  readonly measure?: Measure;
  readonly confidence?: number;
  /** Measure every network anew (timing here: the table's own timings were taken elsewhere). */
  readonly remeasure?: boolean;
}

export function limitPolicy(t: TableTarget, o: LimitOptions): LimitPolicy {
  if (o.confidence !== undefined && !(o.confidence > 0 && o.confidence < 1)) {
    throw fieldError('confidence', `expected a probability between 0 and 1 (exclusive), got ${o.confidence}`);
  }
  if (o.verify && !t.measure) throw fieldError('verify', `space ${t.name} has nothing to measure costs with (its block table's costs are published, not measured here)`);
  const timed = t.measuredBy !== 'lookup';
  const measure = (o.verify ?? !timed) ? t.measure : undefined;
  const confidence = o.confidence ?? (measure ? undefined : DEFAULT_CONFIDENCE);
  return { ...(measure ? { measure } : {}), ...(confidence !== undefined ? { confidence } : {}), ...(measure && t.measuredBy === 'timing' ? { remeasure: true } : {}) };
}

/** Up to this many architectures, enumerating every prediction is faster than any solver call. */
const ENUMERATE_BELOW = 100_000n;

export type Solve = (p: Problem) => Promise<Solution>;

/** The solver a search uses: enumeration for small spaces, else the integer program. */
export function solverFor(t: TableTarget, o: SolveOptions): { method: 'ilp' | 'exhaustive'; solve: Solve } {
  const m = o.method ?? 'auto';
  if (!['auto', 'ilp', 'exhaustive'].includes(m)) throw fieldError('method', `expected ilp, exhaustive or auto, got "${m}"`);
  const solver = o.solver ?? 'auto';
  if (!['auto', 'highs'].includes(solver)) throw fieldError('solver', `expected auto or highs, got "${solver}"`);
  const method = m === 'auto' ? (productSize(t.space) <= ENUMERATE_BELOW ? 'exhaustive' : 'ilp') : m;
  return { method, solve: (p) => (method === 'exhaustive' ? Promise.resolve(solveExhaustive(p)) : solveIlp(p, { solver })) };
}

function limitList(limits: SearchOptions['limits']): LimitSpec[] {
  if (!limits) return [];
  const list = Array.isArray(limits) ? [...(limits as readonly LimitSpec[])] : Object.entries(limits).map(([metric, max]) => ({ metric, max }));
  for (const l of list) {
    if (typeof l.max !== 'number' || Number.isNaN(l.max)) throw fieldError('limits', `${l.metric}: expected a number, got ${String(l.max)}`);
  }
  return list;
}

/** Everything a search did, for reports that show more than the plain record (the CLI). */
export interface SearchRun {
  readonly result: SearchResult;
  readonly target: TableTarget;
  readonly limits: readonly LimitSpec[];
  readonly policy: LimitPolicy;
  readonly method: 'ilp' | 'exhaustive';
  readonly search: TableSearch;
  readonly refinement: RefineResult | null;
}

/** `search` with its working shown: the table search and any refinement. */
export async function runSearch(options: SearchOptions): Promise<SearchRun> {
  const { space, limits, objective, confidence, verify, method: m, solver, linear, refine, ...open } = options;
  const opened = typeof space === 'string' ? await openTarget(space, open) : space;
  const goal = objective ?? opened.accuracy;
  if (!opened.table.metrics.some((x) => x.metric === goal)) throw fieldError('objective', `"${goal}" is not a metric of the ${opened.name} table (${opened.table.metrics.map((x) => x.metric).join(', ')})`);
  const list = limitList(limits);
  if (list.length === 0) throw fieldError('limits', 'give at least one limit (a metric of the table and its maximum)');
  const policy = limitPolicy(opened, { ...(confidence !== undefined ? { confidence } : {}), ...(verify !== undefined ? { verify } : {}) });
  const { method, solve } = solverFor(opened, { ...(m ? { method: m } : {}), ...(solver ? { solver } : {}) });
  checkRefine(opened, refine);
  // Prediction intervals for tables written without them.
  const costs = opened.table.metrics.map((x) => x.metric).filter((x) => x !== goal);
  const t = { ...opened, table: withResiduals(opened.table, opened.space, costs) };
  const found = await searchTable({ table: t.table, space: t.space, objective: goal, limits: list, solve, linear: linear ?? false, ...policy });
  const refinement = refine && found.status === 'found' ? await refineWith(t, goal, list, refine, solve, policy.measure) : null;
  return { result: resultOf(t, goal, found, refinement), target: t, limits: list, policy, method, search: found, refinement };
}

/** Refinement needs networks it can evaluate: a tabular benchmark's lookup. */
export function checkRefine(t: TableTarget, refine: number | undefined): void {
  if (refine !== undefined && !(Number.isInteger(refine) && refine >= 1)) throw fieldError('refine', `expected a number of steps >= 1, got ${refine}`);
  if (refine && !t.bench) throw fieldError('refine', `space ${t.name} has no evaluator to measure networks with`);
}

/** Refinement, its candidates screened by their measured costs when costs are measured (verified). */
export function refineWith(t: TableTarget, objective: string, limits: readonly LimitSpec[], steps: number, solve: Solve, measure: Measure | undefined, table = t.table) {
  const observed = Object.keys(table.observations?.metrics ?? {});
  return refineSearch({ table, space: t.space, evaluator: t.bench!.evaluator(observed), objective, limits, steps, solve, ...(measure ? { measure } : {}) });
}

function resultOf(t: TableTarget, objective: string, r: TableSearch, refinement: RefineResult | null): SearchResult {
  const base = { space: t.name, objective, held: r.held, unreachable: r.status === 'refused' ? r.unreachable : [], refined: refinement?.added ?? 0 };
  const measurements = 'verified' in r && r.verified ? r.verified.measurements : 0;
  const g = refinement ? refinement.genome : r.status === 'found' ? r.solution.genome : null;
  const solveMs = refinement ? refinement.solveMs : 'solution' in r ? r.solution.solveMs : r.status === 'unverified' ? r.verified.solveMs : 0;
  if (r.status !== 'found' || !g) {
    return { ...base, status: r.status === 'found' ? 'infeasible' : r.status, architecture: null, genome: null, predicted: null, true: null, measurements, solveMs };
  }
  const d = describe({ ...t, table: refinement?.table ?? r.table }, g);
  return { ...base, status: 'found', architecture: d.arch, genome: [...g], predicted: d.predicted, true: d.true ?? null, measurements, solveMs };
}

/**
 * The most accurate architecture of a space whose costs meet the limits: `search({ space: 'nb201', dataDir,
 * limits: { 'latency:fpga': 5 } })`. Solved exactly (enumeration for small spaces, else the branch and bound),
 * with limits held as `confidence` and `verify` say (docs/limits.md).
 */
export async function search(options: SearchOptions): Promise<SearchResult> {
  return (await runSearch(options)).result;
}
