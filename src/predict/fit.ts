import type { Genome } from '../space/types.js';
import { createRng, shuffle } from '../random.js';
import { spearman } from '../stats/rank.js';
import { blockEncoding, pairFeatureCount, type BlockEncoding } from './encoding.js';
import type { PairTerm } from './model.js';
import { ridgeBinary } from './ridge.js';

/** A ridge model family: main effects, optionally pair terms, each with its own penalty. */
export interface RidgeCandidate {
  readonly pairs: boolean;
  readonly mainPenalty: number;
  readonly pairPenalty: number;
}

/** Pair terms are only offered where they stay few enough to fit and to linearise. */
export const MAX_PAIR_FEATURES = 4000;

/**
 * Candidates chosen by cross-validation. The penalties do not depend on the scale of y (ridge weights are linear
 * in y); pair terms are shrunk harder than main effects so that small budgets fall back to a near-additive model.
 */
export function defaultCandidates(radix: readonly number[]): RidgeCandidate[] {
  const c: RidgeCandidate[] = [
    { pairs: false, mainPenalty: 0.1, pairPenalty: 0 },
    { pairs: false, mainPenalty: 1, pairPenalty: 0 },
  ];
  if (pairFeatureCount(radix) <= MAX_PAIR_FEATURES) {
    for (const pairPenalty of [3, 10, 30]) c.push({ pairs: true, mainPenalty: 0.1, pairPenalty });
  }
  return c;
}

export interface FittedBlocks {
  readonly intercept: number;
  readonly values: number[][];
  readonly pairs: PairTerm[];
  readonly candidate: RidgeCandidate;
  /** Out-of-fold Spearman of the chosen candidate (NaN when not cross-validated). */
  readonly cvSpearman: number;
}

function penalties(enc: BlockEncoding, c: RidgeCandidate): Float64Array {
  const p = new Float64Array(enc.size);
  for (let k = 1; k < enc.size; k++) p[k] = enc.isPair(k) ? c.pairPenalty : c.mainPenalty;
  return p;
}

function fitOne(radix: readonly number[], rows: readonly Genome[], y: ArrayLike<number>, c: RidgeCandidate) {
  const enc = blockEncoding(radix, c.pairs);
  const w = ridgeBinary(rows.map(enc.encode), y, penalties(enc, c));
  return { enc, w };
}

function predictWith(enc: BlockEncoding, w: Float64Array, g: Genome): number {
  let s = 0;
  for (const k of enc.encode(g)) s += w[k]!;
  return s;
}

/**
 * Fits block values (and pair terms) to evaluated networks, choosing among candidates by k-fold out-of-fold
 * Spearman, then refitting the winner on all the data.
 */
export function fitBlocks(
  radix: readonly number[],
  rows: readonly Genome[],
  y: readonly number[],
  candidates: readonly RidgeCandidate[],
  seed: number,
  folds = 5,
): FittedBlocks {
  let best = candidates[0]!;
  let bestScore = NaN;
  if (candidates.length > 1 && rows.length >= 2 * folds) {
    const order = shuffle(
      rows.map((_, i) => i),
      createRng(seed ^ 0x5eed),
    );
    bestScore = -Infinity;
    for (const c of candidates) {
      const oof = new Float64Array(rows.length);
      for (let f = 0; f < folds; f++) {
        const test = order.filter((_, k) => k % folds === f);
        const train = order.filter((_, k) => k % folds !== f);
        const { enc, w } = fitOne(radix, train.map((i) => rows[i]!), train.map((i) => y[i]!), c);
        for (const i of test) oof[i] = predictWith(enc, w, rows[i]!);
      }
      const score = spearman(oof, y);
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = c;
      }
    }
  }
  const { enc, w } = fitOne(radix, rows, y, best);
  return { ...enc.decode(w), candidate: best, cvSpearman: bestScore };
}
