import type { BlockTable } from '../core/block-table.js';

/** Smallest and largest value measured on the networks a table was fitted to; null when it keeps none. */
export function measuredRange(table: BlockTable, metric: string): { min: number; max: number } | null {
  const values = table.observations?.metrics[metric];
  if (!values) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/**
 * A cost prediction floored at the lowest measured value: below every measured network only the block model's
 * extrapolation speaks (an additive table predicts negative latencies on a device that drops dead blocks), and no
 * network has been shown to cost less. Returns the value unchanged when the table keeps no measurements.
 */
export function floorCost(table: BlockTable, metric: string, predicted: number): { value: number; floored: boolean } {
  const r = measuredRange(table, metric);
  return r && predicted < r.min ? { value: r.min, floored: true } : { value: predicted, floored: false };
}
