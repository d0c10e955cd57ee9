import type { PairTerm } from '../core/additive.js';

/** A pair term with i < j; all terms on one node pair are summed into it. */
export interface CanonicalPair {
  readonly i: number;
  readonly j: number;
  readonly values: number[][];
}

/**
 * Sums the terms of each unordered node pair into one table (transposing those written as j, i), so each pair of
 * nodes gets one set of product columns however the model lists its interactions.
 */
export function canonicalPairs(pairs: readonly PairTerm[], radix: readonly number[]): CanonicalPair[] {
  const byKey = new Map<number, CanonicalPair>();
  for (const p of pairs) {
    const [i, j] = p.i < p.j ? [p.i, p.j] : [p.j, p.i];
    const key = i * radix.length + j;
    let c = byKey.get(key);
    if (!c) {
      c = { i, j, values: Array.from({ length: radix[i]! }, () => new Array<number>(radix[j]!).fill(0)) };
      byKey.set(key, c);
    }
    for (let a = 0; a < radix[p.i]!; a++) {
      for (let b = 0; b < radix[p.j]!; b++) {
        const v = p.values[a]![b]!;
        if (p.i < p.j) c.values[a]![b]! += v;
        else c.values[b]![a]! += v;
      }
    }
  }
  return [...byKey.values()].sort((x, y) => x.i - y.i || x.j - y.j);
}

/** Entries of a residual this small relative to the table are rounding noise of an additive table. */
const RESIDUAL_ZERO = 1e-12;

/**
 * Splits each table into V_ab = r_a + c_b + R_ab with R's rows and columns summing to zero, adds r and c to the node
 * values and keeps only pairs with a nonzero residual. Exact: r_a + c_b is linear in the one-hot indicators. The LP
 * relaxation does not change (the margin rows turn r and c into node terms anyway) and on NB201, where no table is
 * additive, it measured neutral; what it buys is that an additive or all-zero table gets no product columns at all.
 */
export function foldAdditive(
  values: readonly (readonly number[])[],
  pairs: readonly CanonicalPair[],
): { values: number[][]; pairs: CanonicalPair[] } {
  const folded = values.map((row) => [...row]);
  const residual: CanonicalPair[] = [];
  for (const p of pairs) {
    const rows = p.values.length;
    const cols = p.values[0]?.length ?? 0;
    const rowMean = p.values.map((row) => row.reduce((s, v) => s + v, 0) / cols);
    const colMean = Array.from({ length: cols }, (_, b) => p.values.reduce((s, row) => s + row[b]!, 0) / rows);
    const mean = rowMean.reduce((s, v) => s + v, 0) / rows;
    for (let a = 0; a < rows; a++) folded[p.i]![a]! += rowMean[a]! - mean;
    // V_ab = (rowMean_a − mean) + colMean_b + R_ab: the grand mean stays inside node j's share, counted once.
    for (let b = 0; b < cols; b++) folded[p.j]![b]! += colMean[b]!;
    const size = Math.max(...p.values.flat().map(Math.abs));
    const r = p.values.map((row, a) =>
      row.map((v, b) => {
        const d = v - rowMean[a]! - colMean[b]! + mean;
        return Math.abs(d) <= RESIDUAL_ZERO * size ? 0 : d;
      }),
    );
    if (r.some((row) => row.some((v) => v !== 0))) residual.push({ i: p.i, j: p.j, values: r });
  }
  return { values: folded, pairs: residual };
}
