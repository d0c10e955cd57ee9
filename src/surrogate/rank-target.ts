import { applyLink, applyLinkExtended, isotonicLink, type Link } from '../predict/link.js';
import type { Genome } from '../space/types.js';
import { averageRanks } from '../stats/rank.js';
import { notFitted } from './features.js';
import type { Surrogate } from './types.js';

export interface RankTargetOptions {
  /**
   * 'value' (default) maps predicted ranks back to the metric through an isotonic link fitted on the training
   * data, as block tables do; beyond the training range the link is flat, so networks predicted better than every
   * training network tie. 'rank' returns the predicted rank score (0..1) itself, which never ties them.
   */
  readonly output?: 'value' | 'rank';
  /** With 'value': continue the link beyond the training range (applyLinkExtended) instead of holding it flat. */
  readonly extrapolate?: boolean;
}

/**
 * Trains `inner` on normalised ranks instead of values. Accuracy tables have a tail of networks that failed to
 * train; on raw values their squared error dominates the fit, although search never competes there. On NB201
 * ImageNet16-120 this lifts every model but the forest (see bench.ts).
 */
export function rankTarget(inner: Surrogate, options: RankTargetOptions = {}): Surrogate {
  const output = options.output ?? 'value';
  const name = `${inner.name}+rank`;
  let link: Link | null = null;
  return {
    name,
    fit(x: readonly Genome[], y: readonly number[]) {
      const r = averageRanks(y);
      inner.fit(x, Array.from(r, (v) => v / y.length));
      link = isotonicLink(inner.predict(x), y);
    },
    predict(x: readonly Genome[]) {
      const l = link;
      if (!l) throw notFitted(name);
      const s = inner.predict(x);
      const map = options.extrapolate ? applyLinkExtended : applyLink;
      return output === 'rank' ? s : s.map((v) => map(l, v));
    },
  };
}
