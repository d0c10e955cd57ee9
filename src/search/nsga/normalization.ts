/**
 * NSGA-III adaptive normalisation (Deb & Jain 2014, with the safeguards pymoo adds). The ideal point is the best
 * value seen per objective; the extreme point of each axis minimises the achievement scalarising function with
 * that axis weighted 1 and the others 1e6; the hyperplane through the extreme points gives the intercepts, i.e.
 * the nadir estimate. The hyperplane is unusable when the extreme points are linearly dependent, when it does not
 * solve back, or when an intercept is not positive; then the worst of the non-dominated front stands in, and any
 * objective still without range takes the worst of the population.
 *
 * Deviations, for objectives of very different scales (accuracy vs. latency in ms): the ASF and the tolerances are
 * taken relative to each objective's observed range instead of in absolute units.
 */

export interface Normalization {
  /** Updates the estimates from the candidates of one survival and returns them. */
  update(objectives: readonly (readonly number[])[], front: readonly number[]): { ideal: number[]; nadir: number[] };
}

const OFF_AXIS_WEIGHT = 1e6;
/** Relative size below which a translated objective counts as zero in the ASF. */
const SMALL = 1e-3;
/** Relative size below which an intercept or range counts as degenerate. */
const TINY = 1e-6;

export function createHyperplaneNormalization(nObj: number): Normalization {
  const ideal = new Array<number>(nObj).fill(Infinity);
  const worst = new Array<number>(nObj).fill(-Infinity);
  // extreme points survive across generations so that the normalisation does not jump back when they die out
  let extremes: number[][] = [];

  const update: Normalization['update'] = (objectives, front) => {
    for (const f of objectives) {
      for (let j = 0; j < nObj; j++) {
        ideal[j] = Math.min(ideal[j]!, f[j]!);
        worst[j] = Math.max(worst[j]!, f[j]!);
      }
    }
    const range = ideal.map((lo, j) => (worst[j]! > lo ? worst[j]! - lo : 1));

    const pool: (readonly number[])[] = [...extremes, ...front.map((i) => objectives[i]!)];
    extremes = [];
    for (let axis = 0; axis < nObj; axis++) {
      let best = Infinity;
      let arg = pool[0]!;
      for (const p of pool) {
        let asf = -Infinity;
        for (let j = 0; j < nObj; j++) {
          let v = (p[j]! - ideal[j]!) / range[j]!;
          if (v < SMALL) v = 0;
          asf = Math.max(asf, j === axis ? v : v * OFF_AXIS_WEIGHT);
        }
        if (asf < best) {
          best = asf;
          arg = p;
        }
      }
      extremes.push([...arg]);
    }

    const worstOfFront = columnMax(front.map((i) => objectives[i]!), nObj);
    const worstOfPopulation = columnMax(objectives, nObj);
    const nadir = hyperplaneNadir(extremes, ideal, worst, range) ?? worstOfFront;
    for (let j = 0; j < nObj; j++) {
      if (nadir[j]! - ideal[j]! <= TINY * range[j]!) nadir[j] = worstOfPopulation[j]!;
    }
    return { ideal: [...ideal], nadir };
  };

  return { update };
}

/** ideal + intercepts of the hyperplane through the extreme points, capped at the worst seen; null if degenerate. */
function hyperplaneNadir(
  extremes: readonly (readonly number[])[],
  ideal: readonly number[],
  worst: readonly number[],
  range: readonly number[],
): number[] | null {
  const m = ideal.length;
  // work in range-scaled coordinates so that the pivot and residual tests mean the same for every objective
  const a = extremes.map((e) => e.map((v, j) => (v - ideal[j]!) / range[j]!));
  const x = solve(a, new Array<number>(m).fill(1));
  if (!x) return null;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += a[i]![j]! * x[j]!;
    if (Math.abs(s - 1) > 1e-8 + 1e-5) return null;
  }
  const nadir: number[] = [];
  for (let j = 0; j < m; j++) {
    const intercept = 1 / x[j]!;
    if (!Number.isFinite(intercept) || intercept <= TINY) return null;
    nadir.push(Math.min(ideal[j]! + intercept * range[j]!, worst[j]!));
  }
  return nadir;
}

/** Gaussian elimination with partial pivoting; null when the matrix is (numerically) singular. */
export function solve(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] | null {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = a[r]!;
      const factor = row[col]! / p[col]!;
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - factor * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}

function columnMax(points: readonly (readonly number[])[], m: number): number[] {
  const out = new Array<number>(m).fill(-Infinity);
  for (const p of points) for (let j = 0; j < m; j++) out[j] = Math.max(out[j]!, p[j]!);
  return out;
}
