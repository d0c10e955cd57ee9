/**
 * NSGA-III (Deb & Jain 2014): NSGA-II's front-by-front survival, but the overflowing front is cut by niching on
 * reference directions instead of crowding. Objectives are normalised adaptively (./normalization.ts), every
 * candidate is associated with the direction nearest in perpendicular distance, and the last front fills the
 * least-populated niches first. Parents are drawn uniformly, as in the paper; the niching keeps the spread.
 */
import { nonDominatedSort } from '../../moo/dominance.js';
import { dasDennis, partitionsFor } from '../../moo/refdirs.js';
import { shuffle, type Rng } from '../../random.js';
import { createEvolution, type EvolutionOptions, type Survival } from './evolution.js';
import { createHyperplaneNormalization, type Normalization } from './normalization.js';
import type { MooAlgorithm } from './types.js';

export interface Nsga3Options extends Omit<EvolutionOptions, 'popSize'> {
  readonly nObj: number;
  /** Reference directions (rows on the unit simplex). Default: Das-Dennis with `partitions`. */
  readonly refDirs?: readonly (readonly number[])[];
  /** Das-Dennis partitions when `refDirs` is absent. Default: the most whose directions fit in popSize. */
  readonly partitions?: number;
  /** Default: the number of reference directions. Fewer than that leaves niches empty by construction. */
  readonly popSize?: number;
}

export function createNsga3(options: Nsga3Options): MooAlgorithm {
  const { nObj } = options;
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`nsga3: nObj must be a positive integer, got ${nObj}`);
  let refDirs = options.refDirs;
  if (!refDirs) {
    if (options.partitions === undefined && options.popSize === undefined) {
      throw new Error('nsga3: give refDirs, partitions or popSize');
    }
    refDirs = dasDennis(options.partitions ?? partitionsFor(options.popSize!, nObj), nObj);
  }
  if (refDirs.length === 0) throw new Error('nsga3: no reference directions');
  for (const w of refDirs) if (w.length !== nObj) throw new Error(`nsga3: reference direction of length ${w.length}`);
  const popSize = options.popSize ?? refDirs.length;
  return createEvolution({ ...options, popSize }, createNichingSurvival(refDirs, nObj));
}

/** Reference-direction survival; its normalisation state carries over from one generation to the next. */
export function createNichingSurvival(refDirs: readonly (readonly number[])[], nObj: number): Survival {
  const units = refDirs.map((w) => {
    const norm = Math.hypot(...w);
    if (!(norm > 0)) throw new Error('nsga3: zero reference direction');
    return w.map((v) => v / norm);
  });
  const normalization: Normalization = createHyperplaneNormalization(nObj);

  return (objectives, n, rng) => {
    for (const f of objectives) {
      if (f.length !== nObj) throw new Error(`nsga3: ${f.length} objectives, expected ${nObj}`);
    }
    const { fronts } = nonDominatedSort(objectives, { stopAfter: n });
    const { ideal, nadir } = normalization.update(objectives, fronts[0]!);

    const kept = fronts.slice(0, -1).flat();
    const last = fronts[fronts.length - 1]!;
    if (kept.length + last.length <= n) return { survivors: [...kept, ...last] };

    const counts = new Array<number>(units.length).fill(0);
    for (const i of kept) counts[associate(objectives[i]!, ideal, nadir, units).niche]!++;
    const lastAssoc = last.map((i) => associate(objectives[i]!, ideal, nadir, units));
    const picked = niching(lastAssoc, counts, n - kept.length, rng);
    return { survivors: [...kept, ...picked.map((k) => last[k]!)] };
  };
}

export interface Association {
  readonly niche: number;
  /** Perpendicular distance, in normalised space, to the niche's direction. */
  readonly distance: number;
}

/** The reference direction (unit rows) nearest to the normalised point, lowest index on ties. */
export function associate(
  f: readonly number[],
  ideal: readonly number[],
  nadir: readonly number[],
  units: readonly (readonly number[])[],
): Association {
  const x = f.map((v, j) => {
    const span = nadir[j]! - ideal[j]!;
    return (v - ideal[j]!) / (span > 0 ? span : 1e-12);
  });
  let sq = 0;
  for (const v of x) sq += v * v;
  let niche = 0;
  let best = Infinity;
  units.forEach((u, r) => {
    let dot = 0;
    for (let j = 0; j < x.length; j++) dot += x[j]! * u[j]!;
    const d2 = sq - dot * dot;
    if (d2 < best) {
      best = d2;
      niche = r;
    }
  });
  return { niche, distance: Math.sqrt(Math.max(0, best)) };
}

/**
 * Picks `want` members of the last front (positions in `assoc`): repeatedly take a least-populated niche that still
 * has unpicked members (random among ties); from an empty niche take its member closest to the direction, from an
 * occupied one a random member. `counts` (niche occupancy by the fronts already kept) is updated in place.
 */
export function niching(assoc: readonly Association[], counts: number[], want: number, rng: Rng): number[] {
  const members = new Map<number, number[]>(); // niche -> unpicked positions, ascending
  assoc.forEach((a, k) => {
    const list = members.get(a.niche);
    if (list) list.push(k);
    else members.set(a.niche, [k]);
  });
  const picked: number[] = [];
  while (picked.length < want && members.size > 0) {
    let min = Infinity;
    let ties: number[] = [];
    for (const niche of members.keys()) {
      const c = counts[niche]!;
      if (c < min) {
        min = c;
        ties = [niche];
      } else if (c === min) ties.push(niche);
    }
    const niche = ties[rng.int(ties.length)]!;
    const list = members.get(niche)!;
    let at: number;
    if (counts[niche] === 0) {
      // ties in distance are broken at random, as the paper's random pick among equals
      const order = shuffle(list.map((_, p) => p), rng);
      at = order[0]!;
      for (const p of order) if (assoc[list[p]!]!.distance < assoc[list[at]!]!.distance) at = p;
    } else {
      at = rng.int(list.length);
    }
    picked.push(list[at]!);
    list.splice(at, 1);
    if (list.length === 0) members.delete(niche);
    counts[niche]!++;
  }
  return picked;
}
