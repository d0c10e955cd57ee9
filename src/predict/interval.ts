import type { MetricTable } from '../core/block-table.js';

/** Confidence of the prediction intervals when the caller gives none: a limit is broken about one search in 20. */
export const DEFAULT_CONFIDENCE = 0.95;

/**
 * Split-conformal quantile: the ⌈(n+1)·p⌉-th smallest of n exchangeable residuals bounds a new residual from
 * above with probability at least p. +Infinity when n is too small for p (no finite bound is justified), and
 * -Infinity for p so low that no residual is needed.
 */
export function conformalQuantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  const rank = Math.ceil((n + 1) * p);
  if (rank > n) return Infinity;
  if (rank < 1) return -Infinity;
  return sorted[rank - 1]!;
}

/**
 * Offsets from the prediction: the true value lies below prediction + upper with probability `confidence`, and
 * above prediction + lower with the same probability (each one-sided). Null when the table keeps no residuals.
 */
export interface Interval {
  readonly confidence: number;
  readonly lower: number;
  readonly upper: number;
  /** Residuals the interval rests on. */
  readonly n: number;
}

export function costInterval(t: Pick<MetricTable, 'residuals'>, confidence: number): Interval | null {
  const r = t.residuals;
  if (!r || r.length === 0) return null;
  const sorted = isSorted(r) ? r : [...r].sort((a, b) => a - b);
  // The lower bound is the upper bound of the negated residuals.
  const negated = sorted.map((e) => -e).reverse();
  return { confidence, upper: conformalQuantile(sorted, confidence), lower: -conformalQuantile(negated, confidence), n: r.length };
}

function isSorted(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return false;
  return true;
}
