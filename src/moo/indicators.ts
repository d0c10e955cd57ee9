/**
 * Distance-based quality indicators against a reference front (minimisation). IGD averages, over the reference
 * points, the distance to the nearest obtained point; IGD+ (Ishibuchi et al. 2015) counts only the amount by which
 * the obtained point is worse than the reference point in each objective, which makes it weakly Pareto compliant
 * where plain IGD is not. Both are scale-dependent: normalise first when objectives have different units.
 */

type Points = readonly (readonly number[])[];

/** Inverted generational distance: mean over `reference` of the Euclidean distance to the closest of `points`. */
export function igd(points: Points, reference: Points): number {
  return meanNearest(points, reference, (a, z) => {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += (a[i]! - z[i]!) ** 2;
    return s;
  });
}

/** IGD+: like IGD, but only the components where the obtained point is worse (larger) than the reference count. */
export function igdPlus(points: Points, reference: Points): number {
  return meanNearest(points, reference, (a, z) => {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += Math.max(a[i]! - z[i]!, 0) ** 2;
    return s;
  });
}

function meanNearest(
  points: Points,
  reference: Points,
  squared: (a: readonly number[], z: readonly number[]) => number,
): number {
  if (reference.length === 0) throw new Error('igd: empty reference front');
  if (points.length === 0) return Infinity;
  const m = reference[0]!.length;
  for (const p of points) if (p.length !== m) throw new Error('igd: point dimension differs from the reference front');
  let sum = 0;
  for (const z of reference) {
    if (z.length !== m) throw new Error('igd: reference points differ in dimension');
    let best = Infinity;
    for (const a of points) best = Math.min(best, squared(a, z));
    sum += Math.sqrt(best);
  }
  return sum / reference.length;
}

export interface Bounds {
  /** Per-objective minimum. */
  readonly ideal: number[];
  /** Per-objective maximum. */
  readonly nadir: number[];
}

/** Per-objective minimum and maximum of a non-empty point set. */
export function boundsOf(points: Points): Bounds {
  const first = points[0];
  if (!first) throw new Error('boundsOf: no points');
  const ideal = [...first];
  const nadir = [...first];
  for (const p of points) {
    if (p.length !== ideal.length) throw new Error('boundsOf: points differ in dimension');
    for (let i = 0; i < p.length; i++) {
      ideal[i] = Math.min(ideal[i]!, p[i]!);
      nadir[i] = Math.max(nadir[i]!, p[i]!);
    }
  }
  return { ideal, nadir };
}

/**
 * Maps each objective affinely so that `bounds.ideal` goes to 0 and `bounds.nadir` to 1. An objective with no
 * range would divide by zero; it is only shifted, so that its points all land on 0 and stay comparable.
 */
export function normalize(points: Points, bounds: Bounds): number[][] {
  const { ideal, nadir } = bounds;
  if (ideal.length !== nadir.length) throw new Error('normalize: ideal and nadir differ in dimension');
  const scale = ideal.map((lo, i) => {
    const range = nadir[i]! - lo;
    return range > 0 ? 1 / range : 1;
  });
  return points.map((p) => {
    if (p.length !== ideal.length) throw new Error('normalize: point dimension differs from the bounds');
    return p.map((v, i) => (v - ideal[i]!) * scale[i]!);
  });
}
