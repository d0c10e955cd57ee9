import { nonDominatedSort } from '../moo/dominance.js';
import type { Genome } from '../space/types.js';
import { frameFor, frameHypervolume } from './indicator.js';

export interface Candidate {
  readonly genome: Genome;
  /** Surrogate-predicted minimised objectives. */
  readonly predicted: readonly number[];
}

/** The pool greedy selection looks at: the best predicted fronts, enough of them to hold this many candidates. */
const POOL = 300;

/**
 * Chooses `k` candidates to evaluate, greedily by predicted hypervolume gain over the archive's true front: each
 * pick is the candidate whose predicted point adds most to the front so far, counting the picks already made, so
 * the batch spreads along the front instead of piling onto one promising corner. Once nothing is predicted to add
 * volume, the rest are taken front by front in the order given (NSGA-III's niche order), for diversity.
 */
export function selectCandidates(candidates: readonly Candidate[], archiveFront: readonly (readonly number[])[], k: number): Candidate[] {
  if (candidates.length <= k) return [...candidates];
  const fronts = nonDominatedSort(candidates.map((c) => c.predicted), { stopAfter: Math.min(POOL, candidates.length) }).fronts;
  const pool = fronts.flat().slice(0, Math.max(POOL, k)).map((i) => candidates[i]!);
  const frame = frameFor([...archiveFront, ...pool.map((c) => c.predicted)]);
  const chosen: Candidate[] = [];
  const taken = new Set<number>();
  const points = archiveFront.map((p) => [...p]);
  // The ends of the front weigh little in hypervolume (a thin strip beside the reference point), so greedy gain
  // alone can leave the most accurate region unexplored for a whole run; a candidate predicted to extend an
  // objective beyond anything in the archive gets a slot first (at most half the batch).
  const nObj = archiveFront[0]?.length ?? 0;
  for (let j = 0; j < nObj && chosen.length < Math.floor(k / 2); j++) {
    const bestTrue = Math.min(...archiveFront.map((p) => p[j]!));
    let pick = -1;
    pool.forEach((c, i) => {
      if (!taken.has(i) && c.predicted[j]! < bestTrue && (pick < 0 || c.predicted[j]! < pool[pick]!.predicted[j]!)) pick = i;
    });
    if (pick >= 0) {
      taken.add(pick);
      chosen.push(pool[pick]!);
      points.push([...pool[pick]!.predicted]);
    }
  }
  let base = frameHypervolume(points, frame);
  while (chosen.length < k) {
    let best = -1;
    let bestGain = 0;
    pool.forEach((c, i) => {
      if (taken.has(i)) return;
      const gain = frameHypervolume([...points, [...c.predicted]], frame) - base;
      if (gain > bestGain + 1e-12) {
        bestGain = gain;
        best = i;
      }
    });
    if (best < 0) break;
    taken.add(best);
    chosen.push(pool[best]!);
    points.push([...pool[best]!.predicted]);
    base += bestGain;
  }
  for (let i = 0; i < pool.length && chosen.length < k; i++) {
    if (!taken.has(i)) {
      taken.add(i);
      chosen.push(pool[i]!);
    }
  }
  return chosen;
}
