/**
 * NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002): survivors fill up front by front; the front that overflows is
 * cut by crowding distance, and parents are chosen by binary tournament on (front, crowding).
 */
import { nonDominatedSort } from '../../moo/dominance.js';
import { createEvolution, type EvolutionOptions, type Survival } from './evolution.js';
import type { MooAlgorithm } from './types.js';

export type Nsga2Options = EvolutionOptions;

export function createNsga2(options: Nsga2Options): MooAlgorithm {
  return createEvolution(options, crowdedSurvival);
}

export const crowdedSurvival: Survival = (objectives, n) => {
  const { fronts } = nonDominatedSort(objectives, { stopAfter: n });
  const survivors: number[] = [];
  const rank: number[] = [];
  const crowd: number[] = [];
  for (let r = 0; r < fronts.length && survivors.length < n; r++) {
    const front = fronts[r]!;
    const dist = crowdingDistance(objectives, front);
    let order = front.map((_, k) => k);
    if (survivors.length + front.length > n) {
      // stable sort: equal distances keep index order, so the cut is reproducible
      order = order.sort((a, b) => larger(dist[a]!, dist[b]!)).slice(0, n - survivors.length);
    }
    for (const k of order) {
      survivors.push(front[k]!);
      rank.push(r);
      crowd.push(dist[k]!);
    }
  }
  return {
    survivors,
    prefer: (a, b) => rank[a]! - rank[b]! || larger(crowd[a]!, crowd[b]!),
  };
};

/** Comparator putting the larger value first; Infinity - Infinity would be NaN and break the sort. */
function larger(x: number, y: number): number {
  if (x === y) return 0;
  return x > y ? -1 : 1;
}

/**
 * Crowding distance of each member of `front` (same order): the normalised perimeter of the cuboid spanned by its
 * neighbours, summed over objectives; the extremes of each objective get Infinity. Members with an objective
 * vector identical to an earlier member get 0, so copies of one point do not crowd out distinct points.
 */
export function crowdingDistance(objectives: readonly (readonly number[])[], front: readonly number[]): number[] {
  const firstOf = new Map<string, number>();
  const unique: number[] = []; // positions in `front` of the first member with each vector
  front.forEach((idx, k) => {
    const key = objectives[idx]!.join(',');
    if (!firstOf.has(key)) {
      firstOf.set(key, k);
      unique.push(k);
    }
  });
  const dist = new Array<number>(front.length).fill(0);
  const u = unique.length;
  if (u <= 2) {
    for (const k of unique) dist[k] = Infinity;
    return dist;
  }
  const m = objectives[front[0]!]!.length;
  for (let j = 0; j < m; j++) {
    const value = (k: number): number => objectives[front[k]!]![j]!;
    const sorted = [...unique].sort((a, b) => value(a) - value(b));
    const lo = value(sorted[0]!);
    const hi = value(sorted[u - 1]!);
    dist[sorted[0]!] = Infinity;
    dist[sorted[u - 1]!] = Infinity;
    if (hi === lo) continue;
    for (let s = 1; s < u - 1; s++) {
      const k = sorted[s]!;
      dist[k] = dist[k]! + (value(sorted[s + 1]!) - value(sorted[s - 1]!)) / (hi - lo);
    }
  }
  return dist;
}
