import { nonDominatedSort } from '../moo/dominance.js';

/**
 * Row indices for a surrogate fit in which the members of the best `fronts` non-dominated fronts (minimised
 * objectives) appear `weight` times and every other member once: integer sample weights for surrogates that take
 * none. Search decides near the front, so that is where the fit should be accurate.
 */
export function frontWeightedRows(objectives: readonly (readonly number[])[], weight: number, fronts: number): number[] {
  if (!Number.isInteger(weight) || weight < 1) throw new Error(`front weight must be a positive integer, got ${weight}`);
  if (weight === 1) return objectives.map((_, i) => i);
  const sorted = nonDominatedSort(objectives).fronts;
  return sorted.flatMap((f, r) => f.flatMap((i) => Array<number>(r < fronts ? weight : 1).fill(i)));
}
