import type { Metrics } from '../core/metrics.js';

/** One finished evaluation, as stored. */
export interface StoredEvaluation {
  /** Canonical genome key (src/space genomeKey). */
  readonly arch: string;
  readonly metrics: Metrics;
  /** Wall time the evaluator spent on it, when it reported one. */
  readonly seconds?: number;
}

/**
 * An architecture the evaluator could not evaluate after its retries (src/eval/failure.ts): kept as its outcome,
 * so a resumed run replays it as failed instead of trying again and diverging, and reported.
 */
export interface StoredFailure {
  /** Canonical genome key (src/space genomeKey). */
  readonly arch: string;
  /** One line naming the evaluator and the architecture, e.g. `external evaluator "..." timed out after 60.0 s (arch ...)`. */
  readonly reason: string;
  /** Invocations spent on it. */
  readonly attempts: number;
}

/** What a run remembers about itself, so that `--resume` can check it continues the same run. */
export interface RunRecord {
  readonly id: string;
  /** The run's settings, as JSON: a resume with other settings is a different run. */
  readonly config: string;
  readonly status: 'running' | 'finished';
}

/** One step of a run's history: evaluations so far and the indicator after that step. */
export interface HistoryRow {
  readonly step: number;
  readonly evaluations: number;
  readonly hypervolume: number;
  /** Free-form details of the step (the surrogate chosen and its tau, the candidates' predictions). */
  readonly detail?: unknown;
}

/**
 * Every evaluation and every run's progress, kept as they happen. Evaluations are keyed by the evaluator's settings
 * (space, dataset, metrics, training seed...) and the architecture, so any run with the same settings reuses them;
 * a run's own record (its evaluation order and history) lets it be resumed and checked.
 */
export interface EvaluationStore {
  getEvaluations(evaluator: string, archs: readonly string[]): Map<string, StoredEvaluation>;
  /** Stores a batch in one transaction: after a crash either all of it is there or none. */
  putEvaluations(evaluator: string, rows: readonly StoredEvaluation[]): void;
  countEvaluations(evaluator: string): number;
  /** Recorded failures under these evaluator settings: of the given archs, or all of them (in arch order). */
  getFailures(evaluator: string, archs?: readonly string[]): Map<string, StoredFailure>;
  /** Stores a batch of failures in one transaction (replacing earlier ones of the same archs). */
  putFailures(evaluator: string, rows: readonly StoredFailure[]): void;
  /**
   * Forgets failures (of the given archs, or all under these settings) so they are evaluated again; returns how many
   * were dropped. putEvaluations also drops the failure of every arch it stores.
   */
  deleteFailures(evaluator: string, archs?: readonly string[]): number;

  getRun(id: string): RunRecord | undefined;
  startRun(id: string, config: string): void;
  finishRun(id: string): void;
  /** Drops the run's own record (not the evaluations, which stay reusable). */
  deleteRun(id: string): void;
  /** Appends a step: the architectures it evaluated (in order) and its history row, atomically. */
  appendStep(id: string, archs: readonly string[], row: HistoryRow): void;
  runArchs(id: string): string[];
  runHistory(id: string): HistoryRow[];
  /** Opaque saved state (a super-network checkpoint), replaced atomically. */
  getBlob(key: string): Uint8Array | undefined;
  putBlob(key: string, data: Uint8Array): void;
  close(): void;
}
