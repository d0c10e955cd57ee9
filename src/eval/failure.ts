import type { Genome } from '../space/types.js';
import type { Metrics } from '../core/metrics.js';

/**
 * An architecture an evaluator could not evaluate (its trainer crashed, hung, printed garbage), after its retries.
 * `reason` is one line naming the evaluator and the architecture, fit to print and to store.
 */
export interface EvaluationFailure {
  readonly genome: Genome;
  /** The architecture's canonical string (space.format). */
  readonly arch: string;
  readonly reason: string;
  /** Invocations spent on it: 1 + the retries used. */
  readonly attempts: number;
}

/*
 * A failed architecture still gets a row of metrics, so a batch keeps its order and the other architectures their
 * results: every metric NaN, and the failure attached under a symbol key. The symbol is enumerable, so the mark
 * survives Object.assign and object spread (combineEvaluators merges rows that way), while Object.keys,
 * Object.entries and JSON.stringify do not see it: code that knows nothing of failures reads a row of NaNs, which
 * the estimators already skip as missing measurements.
 */
const FAILURE = Symbol('blocknas.evaluationFailure');

/** The metrics row of a failed architecture: NaN for every id, carrying the failure (read it with `failureOf`). */
export function failedMetrics(ids: readonly string[], failure: EvaluationFailure): Metrics {
  const row: Record<string, number> = {};
  for (const id of ids) row[id] = Number.NaN;
  Object.defineProperty(row, FAILURE, { value: failure, enumerable: true });
  return row;
}

/** The failure a metrics row stands for, or undefined for a real measurement. */
export function failureOf(m: Metrics | undefined): EvaluationFailure | undefined {
  if (m === undefined) return undefined;
  return (m as unknown as { [FAILURE]?: EvaluationFailure })[FAILURE];
}
