/**
 * Exact hypervolume of the region dominated by a point set and bounded by a reference point (minimisation).
 *
 * 2-D is a sort and a sweep. 3-D sweeps the third objective upwards while keeping the 2-D non-dominated staircase
 * of the points seen so far, so each z-slab costs one walk of the staircase: O(n²) worst case, O(n log n) for the
 * sort. More objectives slice the last one (HSO, While et al. 2006): sweep it upwards and add the (d-1)-dimensional
 * volume of the points seen so far times the slab thickness, keeping only the points that are non-dominated in the
 * first d-1 objectives because a weakly dominated one can never add volume to a later slab. That is O(n³) for 4-D,
 * a few milliseconds for hundreds of mutually non-dominated points; beyond 4-D the cost grows by a factor n per
 * objective, so keep fronts small there.
 */

/**
 * Volume dominated by `points` inside the box bounded by `reference`. A point contributes only if it is strictly
 * better than the reference in every objective; dominated points and duplicates change nothing, nor does order.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const d = reference.length;
  if (d === 0) throw new Error('hypervolume: empty reference point');
  for (const r of reference) if (Number.isNaN(r)) throw new Error('hypervolume: NaN in reference point');
  const inside: (readonly number[])[] = [];
  for (const p of points) {
    if (p.length !== d) throw new Error(`hypervolume: point of dimension ${p.length}, reference of ${d}`);
    let ok = true;
    for (let i = 0; i < d; i++) {
      const v = p[i]!;
      if (Number.isNaN(v)) throw new Error('hypervolume: NaN in a point');
      if (!(v < reference[i]!)) ok = false;
    }
    if (ok) inside.push(p);
  }
  if (inside.length === 0) return 0;
  return volume(inside, reference, d);
}

/** Volume in the first `d` coordinates; every point is already strictly inside the reference box. */
function volume(points: readonly (readonly number[])[], ref: readonly number[], d: number): number {
  if (d === 1) {
    let best = Infinity;
    for (const p of points) best = Math.min(best, p[0]!);
    return ref[0]! - best;
  }
  if (d === 2) return area2d(points, ref);
  if (d === 3) return volume3d(points, ref);
  return sliced(points, ref, d);
}

function area2d(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const rx = ref[0]!;
  let level = ref[1]!;
  let area = 0;
  for (const p of sorted) {
    const y = p[1]!;
    if (y < level) {
      area += (rx - p[0]!) * (level - y);
      level = y;
    }
  }
  return area;
}

function volume3d(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[2]! - b[2]!);
  const rx = ref[0]!;
  const ry = ref[1]!;
  // Staircase of the points seen so far, projected on (x, y): x strictly ascending, y strictly descending.
  const xs: number[] = [];
  const ys: number[] = [];
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    insertStep(xs, ys, p[0]!, p[1]!);
    const z = p[2]!;
    const next = i + 1 < sorted.length ? sorted[i + 1]![2]! : ref[2]!;
    if (next === z) continue; // same slab: finish inserting its points before measuring
    let area = 0;
    for (let k = 0; k < xs.length; k++) {
      const right = k + 1 < xs.length ? xs[k + 1]! : rx;
      area += (right - xs[k]!) * (ry - ys[k]!);
    }
    total += area * (next - z);
  }
  return total;
}

function insertStep(xs: number[], ys: number[], x: number, y: number): void {
  // pos = number of steps with x' <= x
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  const pos = lo;
  if (pos > 0 && ys[pos - 1]! <= y) return; // weakly dominated by a step to its left
  const start = pos > 0 && xs[pos - 1] === x ? pos - 1 : pos; // same x, higher y: dominated by the new point
  let end = start;
  while (end < xs.length && ys[end]! >= y) end++;
  xs.splice(start, end - start, x);
  ys.splice(start, end - start, y);
}

/** HSO slicing on coordinate d-1 down to the 3-D sweep. */
function sliced(points: readonly (readonly number[])[], ref: readonly number[], d: number): number {
  const last = d - 1;
  const sorted = [...points].sort((a, b) => a[last]! - b[last]!);
  let kept: (readonly number[])[] = [];
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    kept = addNonDominated(kept, p, last);
    const w = p[last]!;
    const next = i + 1 < sorted.length ? sorted[i + 1]![last]! : ref[last]!;
    if (next === w) continue;
    total += volume(kept, ref, last) * (next - w);
  }
  return total;
}

/** `set` with `p` added, keeping only points not weakly dominated in the first `d` coordinates. */
function addNonDominated(set: (readonly number[])[], p: readonly number[], d: number): (readonly number[])[] {
  for (const q of set) if (weaklyDominates(q, p, d)) return set;
  const out = set.filter((q) => !weaklyDominates(p, q, d));
  out.push(p);
  return out;
}

function weaklyDominates(a: readonly number[], b: readonly number[], d: number): boolean {
  for (let i = 0; i < d; i++) if (a[i]! > b[i]!) return false;
  return true;
}
