import type { Genome } from '../space/types.js';
import { createRng, shuffle } from '../random.js';
import { averageRanks, spearman } from '../stats/rank.js';
import { isotonicLink, type Link } from './link.js';
import { blockEncoding, pairFeatureCount, type BlockEncoding } from './encoding.js';
import type { PairTerm } from '../core/additive.js';
import { ridgeBinary } from './ridge.js';

/** A ridge model family: main effects, optionally pair terms, each with its own penalty. */
export interface RidgeCandidate {
  readonly pairs: boolean;
  readonly mainPenalty: number;
  readonly pairPenalty: number;
  /** Fit ranks and map back through an isotonic link, instead of fitting the values themselves. */
  readonly rankTarget?: boolean;
}

function rankScores(y: ArrayLike<number>): Float64Array {
  const r = averageRanks(y);
  return r.map((v) => (100 * v) / r.length);
}

/** Pair terms are only offered where they stay few enough to fit and to linearise. */
export const MAX_PAIR_FEATURES = 4000;

/**
 * Candidates chosen by cross-validation. The penalties do not depend on the scale of y (ridge weights are linear
 * in y); pair terms are shrunk harder than main effects so that small budgets fall back to a near-additive model.
 */
export function defaultCandidates(radix: readonly number[]): RidgeCandidate[] {
  // The raw-value fit comes first: it wins ties, and it is exact when the truth is additive (latency, FLOPs).
  const c: RidgeCandidate[] = [{ pairs: false, mainPenalty: 0.1, pairPenalty: 0 }];
  for (const mainPenalty of [0.1, 1]) c.push({ pairs: false, mainPenalty, pairPenalty: 0, rankTarget: true });
  if (pairFeatureCount(radix) <= MAX_PAIR_FEATURES) {
    c.push({ pairs: true, mainPenalty: 0.1, pairPenalty: 10 });
    for (const pairPenalty of [3, 10, 30]) c.push({ pairs: true, mainPenalty: 0.1, pairPenalty, rankTarget: true });
  }
  return c;
}

export interface FittedBlocks {
  readonly intercept: number;
  readonly values: number[][];
  readonly pairs: PairTerm[];
  readonly candidate: RidgeCandidate;
  /** Score-to-value map when the fit was to ranks. */
  readonly link?: Link;
  /** Out-of-fold Spearman of the chosen candidate (NaN when not cross-validated). */
  readonly cvSpearman: number;
}

function penalties(enc: BlockEncoding, c: RidgeCandidate): Float64Array {
  const p = new Float64Array(enc.size);
  for (let k = 1; k < enc.size; k++) p[k] = enc.isPair(k) ? c.pairPenalty : c.mainPenalty;
  return p;
}

/**
 * Fits to ranks (scaled to 0..100) rather than raw values: accuracy has a long tail of failed networks that would
 * otherwise dominate the squared error; on NB201 this lifts the Spearman of every dataset (see bench/).
 */
function fitOne(radix: readonly number[], rows: readonly Genome[], y: ArrayLike<number>, c: RidgeCandidate) {
  const enc = blockEncoding(radix, c.pairs);
  const target = c.rankTarget ? rankScores(y) : y;
  const w = ridgeBinary(rows.map(enc.encode), target, penalties(enc, c));
  return { enc, w };
}

function predictWith(enc: BlockEncoding, w: Float64Array, g: Genome): number {
  let s = 0;
  for (const k of enc.encode(g)) s += w[k]!;
  return s;
}

/** Shuffled orders of the rows for repeated k-fold cross-validation (fold f holds the rows at positions k % folds === f). */
export function cvSplits(n: number, seed: number, repeats: number): number[][] {
  const rng = createRng(seed ^ 0x5eed);
  return Array.from({ length: repeats }, () => shuffle(Array.from({ length: n }, (_, i) => i), rng));
}

/**
 * Further rows that stand for measured ones: copies[k] is another architecture that builds the same network as
 * rows[of[k]] (space.equivalents), so it takes that row's value. They join every fit in which their row takes part,
 * and never a test fold, so cross-validation still judges unseen networks.
 */
export interface Copies {
  readonly rows: readonly Genome[];
  readonly of: readonly number[];
}

function withCopies(rows: readonly Genome[], y: readonly number[], train: readonly number[], copies?: Copies) {
  const r = train.map((i) => rows[i]!);
  const v = train.map((i) => y[i]!);
  if (copies) {
    const inTrain = new Set(train);
    copies.of.forEach((i, k) => {
      if (!inTrain.has(i)) return;
      r.push(copies.rows[k]!);
      v.push(y[i]!);
    });
  }
  return { r, v };
}

/** Out-of-fold predictions of one candidate: every row predicted by a fit on the other folds of `order`. */
export function outOfFold(
  radix: readonly number[],
  rows: readonly Genome[],
  y: readonly number[],
  c: RidgeCandidate,
  order: readonly number[],
  folds: number,
  copies?: Copies,
): Float64Array {
  const oof = new Float64Array(rows.length);
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, k) => k % folds === f);
    const { r, v } = withCopies(rows, y, order.filter((_, k) => k % folds !== f), copies);
    const { enc, w } = fitOne(radix, r, v, c);
    for (const i of test) oof[i] = predictWith(enc, w, rows[i]!);
  }
  return oof;
}

/** One candidate fitted on all rows (and their copies), without cross-validation. */
export function fitCandidate(radix: readonly number[], rows: readonly Genome[], y: readonly number[], c: RidgeCandidate, copies?: Copies) {
  const all = withCopies(rows, y, rows.map((_, i) => i), copies);
  const { enc, w } = fitOne(radix, all.r, all.v, c);
  // The link maps scores to values through the measured networks themselves, each once.
  const link = c.rankTarget ? isotonicLink(rows.map((g) => predictWith(enc, w, g)), y) : undefined;
  return { ...enc.decode(w), candidate: c, ...(link ? { link } : {}) };
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
  repeats = 3,
  copies?: Copies,
): FittedBlocks {
  let best = candidates[0]!;
  let bestScore = NaN;
  if (candidates.length > 1 && rows.length >= 2 * folds) {
    // Repeated k-fold: one split's noise at ~100 networks is as large as the differences between candidates.
    const splits = cvSplits(rows.length, seed, repeats);
    bestScore = -Infinity;
    for (const c of candidates) {
      let score = 0;
      for (const order of splits) score += spearman(outOfFold(radix, rows, y, c, order, folds, copies), y) / repeats;
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = c;
      }
    }
  }
  return { ...fitCandidate(radix, rows, y, best, copies), cvSpearman: bestScore };
}
