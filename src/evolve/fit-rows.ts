/**
 * Row indices for a surrogate fit in which the members of the best `count` non-dominated fronts appear `weight`
 * times and every other member once: integer sample weights for surrogates that take none. Search decides near the
 * front, so that is where the fit should be accurate. `fronts` partitions the indices 0..n-1 (nonDominatedSort's).
 * With weight 1 the rows are 0..n-1 in order, so an unweighted fit sees the archive exactly as before.
 */
export function frontWeightedRows(fronts: readonly (readonly number[])[], weight: number, count: number): number[] {
  if (!Number.isInteger(weight) || weight < 1) throw new Error(`front weight must be a positive integer, got ${weight}`);
  const n = fronts.reduce((s, f) => s + f.length, 0);
  if (weight === 1) return Array.from({ length: n }, (_, i) => i);
  return fronts.flatMap((f, r) => f.flatMap((i) => Array<number>(r < count ? weight : 1).fill(i)));
}
