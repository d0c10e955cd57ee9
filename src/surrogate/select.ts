import { createRng, shuffle } from '../random.js';
import type { Genome } from '../space/types.js';
import { kendallTau } from '../stats/kendall.js';
import type { Surrogate } from './types.js';

export interface SelectionOptions {
  readonly folds?: number;
  /** Repeated k-fold with fresh shuffles: at ~100 networks one split's noise rivals the gaps between models. */
  readonly repeats?: number;
  readonly seed?: number;
}

export interface CandidateScore {
  readonly name: string;
  /** Mean held-out Kendall tau over all folds of all repeats. */
  readonly tau: number;
  readonly foldTaus: readonly number[];
  /** Wall time of the cross-validation fits, ms. */
  readonly cvMs: number;
}

export interface Selection {
  /** The winning candidate, refitted on all the data. */
  readonly best: Surrogate;
  /** Every candidate's score, in the order given. */
  readonly scores: readonly CandidateScore[];
}

/**
 * NAT's adaptive switching: cross-validate every candidate, keep the one that ranks held-out networks best
 * (Kendall tau, since search only needs the order), refit it on everything. Tau is taken per fold rather than on
 * pooled out-of-fold predictions, which would mix five models' offsets into one ranking (on NB201 at 100 cells
 * the two picked equally well). Candidates are refitted in place; earlier candidates win exact ties.
 */
export function selectSurrogate(
  candidates: readonly Surrogate[],
  x: readonly Genome[],
  y: readonly number[],
  options: SelectionOptions = {},
): Selection {
  const folds = options.folds ?? 5;
  const repeats = options.repeats ?? 1;
  if (candidates.length === 0) throw new Error('selectSurrogate: no candidates');
  if (x.length !== y.length) throw new Error(`selectSurrogate: ${x.length} genomes but ${y.length} targets`);
  if (!(folds >= 2) || x.length < 2 * folds) throw new Error(`selectSurrogate: ${x.length} points cannot make ${folds} folds of two`);
  const rng = createRng(options.seed ?? 0);
  const splits = Array.from({ length: repeats }, () => shuffle(x.map((_, i) => i), rng));

  const scores = candidates.map((c): CandidateScore => {
    const t0 = performance.now();
    const foldTaus: number[] = [];
    for (const order of splits)
      for (let f = 0; f < folds; f++) {
        const test = order.filter((_, k) => k % folds === f);
        const train = order.filter((_, k) => k % folds !== f);
        c.fit(train.map((i) => x[i]!), train.map((i) => y[i]!));
        const pred = c.predict(test.map((i) => x[i]!));
        const tau = kendallTau(pred, test.map((i) => y[i]!));
        // A constant prediction (or constant fold) carries no ranking: score it as chance, not as a failure.
        foldTaus.push(Number.isNaN(tau) ? 0 : tau);
      }
    const tau = foldTaus.reduce((a, b) => a + b, 0) / foldTaus.length;
    return { name: c.name, tau, foldTaus, cvMs: performance.now() - t0 };
  });
  let k = 0;
  scores.forEach((s, i) => {
    if (s.tau > scores[k]!.tau) k = i;
  });
  const best = candidates[k]!;
  best.fit(x, y);
  return { best, scores };
}
