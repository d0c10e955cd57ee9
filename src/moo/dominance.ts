/**
 * Pareto dominance for minimised objective vectors. Everything in src/moo and src/search/nsga minimises; callers
 * negate objectives they want to maximise (accuracy) before handing them over.
 */

/** `a` dominates `b`: no worse in every objective and strictly better in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) throw new Error(`dominates: ${a.length} vs ${b.length} objectives`);
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** 1 when `a` dominates `b`, -1 when `b` dominates `a`, 0 when neither (including equal vectors). */
export function compareDominance(a: readonly number[], b: readonly number[]): -1 | 0 | 1 {
  let aBetter = false;
  let bBetter = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) aBetter = true;
    else if (y < x) bBetter = true;
    if (aBetter && bBetter) return 0;
  }
  if (aBetter) return 1;
  return bBetter ? -1 : 0;
}

export interface SortOptions {
  /**
   * Stop once the fronts found so far hold at least this many points. Survival only needs the fronts up to the one
   * that overflows the population, so the deeper (and costlier to peel) ones are skipped.
   */
  readonly stopAfter?: number;
}

export interface Fronts {
  /** Point indices per front, best first; each front in ascending index order. */
  readonly fronts: number[][];
  /** Front number of every point (0 = non-dominated); -1 for points left unranked by `stopAfter`. */
  readonly rank: Int32Array;
}

/**
 * Fast non-dominated sort (Deb et al. 2002): one O(M·N²) pass records who dominates whom, then fronts are peeled by
 * decrementing domination counts. Equal vectors do not dominate each other, so they share a front.
 */
export function nonDominatedSort(points: readonly (readonly number[])[], options: SortOptions = {}): Fronts {
  const n = points.length;
  const rank = new Int32Array(n).fill(-1);
  if (n === 0) return { fronts: [], rank };
  const m = points[0]!.length;
  for (const p of points) if (p.length !== m) throw new Error('nonDominatedSort: points differ in dimension');

  const dominatedBy = new Int32Array(n); // how many points dominate i
  const dominatesList: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    for (let j = i + 1; j < n; j++) {
      const c = compareDominance(a, points[j]!);
      if (c === 1) {
        dominatesList[i]!.push(j);
        dominatedBy[j]!++;
      } else if (c === -1) {
        dominatesList[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }

  const stopAfter = options.stopAfter ?? n;
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  let ranked = 0;
  while (current.length > 0) {
    for (const i of current) rank[i] = fronts.length;
    fronts.push(current);
    ranked += current.length;
    if (ranked >= stopAfter) break;
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominatesList[i]!) {
        if (--dominatedBy[j]! === 0) next.push(j);
      }
    }
    next.sort((a, b) => a - b);
    current = next;
  }
  return { fronts, rank };
}

/**
 * Indices (ascending) of the points no other point dominates; duplicates of a non-dominated point are all kept.
 * Points are visited by increasing coordinate sum (then lexicographically), so any dominator comes earlier, and by
 * transitivity some member of the front found so far dominates every dominated point: O(N log N + N·F·M) for a
 * front of F points, which makes enumerating the front of a whole search space cheap.
 */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const sums = points.map((p) => {
    let s = 0;
    for (const v of p) s += v;
    return s;
  });
  const all = Array.from({ length: n }, (_, i) => i);
  // +Infinity and -Infinity in one point make its sum NaN and the order meaningless: compare against everyone then
  const ordered = !sums.some(Number.isNaN);
  const order = ordered ? all.sort((a, b) => compare(sums[a]!, sums[b]!) || lexCompare(points[a]!, points[b]!)) : all;
  const front: number[] = [];
  for (const i of order) {
    const p = points[i]!;
    const rivals = ordered ? front : all;
    let dominated = false;
    for (const j of rivals) {
      if (j !== i && dominates(points[j]!, p)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = compare(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return 0;
}
