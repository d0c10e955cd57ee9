import { defaultCandidates, fitBlocks, type FittedBlocks, type RidgeCandidate } from '../predict/fit.js';
import { applyLink, applyLinkExtended } from '../predict/link.js';
import { pairSum } from '../core/additive.js';
import type { Genome } from '../space/types.js';
import { checkFitData, notFitted } from './features.js';
import type { Surrogate } from './types.js';

export interface BlockRidgeOptions {
  readonly radix: readonly number[];
  /** Ridge families cross-validated inside the fit; default src/predict/fit.ts defaultCandidates(radix). */
  readonly candidates?: readonly RidgeCandidate[];
  readonly folds?: number;
  readonly repeats?: number;
  readonly seed?: number;
  /**
   * Map rank-target fits back through their isotonic link (default true, the block table's own prediction). The
   * link is flat beyond the observed scores, which ties the predicted best networks; false returns the linear
   * score instead, which keeps their order but is on a 0..100 rank scale for rank-target fits.
   */
  readonly link?: boolean;
  /** Continue the link beyond the observed scores (src/predict/link.ts applyLinkExtended), for search. */
  readonly extrapolate?: boolean;
  readonly name?: string;
}

/**
 * The MathNAS block predictor (additive block values, optionally pair terms) as a surrogate, so adaptive selection
 * can weigh it against nonlinear models. Its encoding is fixed: one-hot block choices, by construction.
 */
export function blockRidge(options: BlockRidgeOptions): Surrogate & { readonly fitted: FittedBlocks | null } {
  const name = options.name ?? 'block-ridge';
  const useLink = options.link ?? true;
  let fitted: FittedBlocks | null = null;
  return {
    name,
    get fitted() {
      return fitted;
    },
    fit(x: readonly Genome[], y: readonly number[]) {
      checkFitData(x, y);
      const candidates = options.candidates ?? defaultCandidates(options.radix);
      fitted = fitBlocks(options.radix, x, y, candidates, options.seed ?? 0, options.folds ?? 5, options.repeats ?? 3);
    },
    predict(x: readonly Genome[]) {
      const f = fitted;
      if (!f) throw notFitted(name);
      return Float64Array.from(x, (g) => {
        let s = f.intercept + pairSum(f.pairs, g);
        for (let i = 0; i < g.length; i++) s += f.values[i]![g[i]!]!;
        if (!f.link || !useLink) return s;
        return options.extrapolate ? applyLinkExtended(f.link, s) : applyLink(f.link, s);
      });
    },
  };
}
