import { paretoFront } from '../moo/dominance.js';
import { hypervolume } from '../moo/hypervolume.js';
import { boundsOf, normalize, type Bounds } from '../moo/indicators.js';

/**
 * Where hypervolume is measured (minimised objectives). Each objective is scaled so that `bounds.ideal` is 0 and
 * `bounds.nadir` is 1, and the reference point sits at 1 + offset in every objective, as pymoo and most NAS
 * benchmarks do. For a tabular benchmark the bounds are the true front's own, so a ratio to the true front's
 * hypervolume means the same whatever the units.
 */
export interface HvFrame {
  readonly bounds: Bounds;
  readonly offset: number;
}

export const DEFAULT_HV_OFFSET = 0.1;

export function frameFor(points: readonly (readonly number[])[], offset = DEFAULT_HV_OFFSET): HvFrame {
  return { bounds: boundsOf(paretoFront(points).map((i) => points[i]!)), offset };
}

export function frameHypervolume(points: readonly (readonly number[])[], frame: HvFrame): number {
  if (points.length === 0) return 0;
  const d = frame.bounds.ideal.length;
  return hypervolume(normalize(points, frame.bounds), Array.from({ length: d }, () => 1 + frame.offset));
}

/**
 * The wide frame many NAS papers report in: the reference point is the worst value of each objective over the whole
 * space (offset 0), not the true front's nadir. The volume between the front's nadir and the space's worst counts
 * for every front, so a dent near the front costs less than in the strict frame above. blocknas judges by the strict
 * frame; this one is for comparing with figures measured that way.
 */
export function spaceFrame(space: readonly (readonly number[])[]): HvFrame {
  const { nadir } = boundsOf(space);
  const { ideal } = boundsOf(paretoFront(space).map((i) => space[i]!));
  return { bounds: { ideal, nadir }, offset: 0 };
}
