import type { Rng } from '../../src/random.js';

/**
 * Hypervolume by plain slicing (HSO without its refinements): sort by the last objective, and for each slab add the
 * (d-1)-dimensional volume of every point seen so far times the slab's thickness, recursing down to 1-D. No 2-D
 * sweep, no 3-D staircase, no pruning of dominated points: O(n^d), slow but obviously right, so it is the
 * independent truth for large fronts (tests) and the naive baseline for `npm run bench -- --only hypervolume`.
 * Every point must lie strictly inside the reference box.
 */
export function slicingHypervolume(points: readonly (readonly number[])[], ref: readonly number[], d = ref.length): number {
  if (points.length === 0) return 0;
  if (d === 1) return ref[0]! - Math.min(...points.map((p) => p[0]!));
  const sorted = [...points].sort((a, b) => a[d - 1]! - b[d - 1]!);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1]![d - 1]! : ref[d - 1]!;
    const thickness = top - sorted[i]![d - 1]!;
    if (thickness > 0) total += thickness * slicingHypervolume(sorted.slice(0, i + 1), ref, d - 1);
  }
  return total;
}

/** Points on the positive unit sphere: all mutually non-dominated, the hard case for hypervolume. */
export function spherePoints(n: number, m: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => {
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const v = Array.from({ length: m }, () => Math.abs(gauss()) + 1e-9);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
