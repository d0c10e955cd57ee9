import type { Genome } from '../space/types.js';
import { mean } from '../stats/summary.js';
import { notFitted } from './features.js';
import type { Surrogate } from './types.js';

/**
 * `inner` plus a linear term in a cheap feature of the architecture (a zero-cost proxy's rank), fitted by least
 * squares to `inner`'s in-sample residuals. Two stages rather than one joint fit, so that any surrogate family can
 * take the term, and the feature only explains what the architecture's blocks did not: on NB201 the block ridge
 * under-rates the best cells, and jacob_cov ranks them better than their blocks do (docs/evolve.md).
 * `feature` must be finite for every architecture it is asked about.
 */
export function withProxyTerm(inner: Surrogate, feature: (g: Genome) => number): Surrogate & { readonly term: { intercept: number; slope: number } | null } {
  let term: { intercept: number; slope: number } | null = null;
  return {
    name: `${inner.name}+proxy`,
    get term() {
      return term;
    },
    fit(x, y) {
      inner.fit(x, y);
      const p = inner.predict(x);
      const f = x.map(feature);
      const residual = y.map((v, i) => v - p[i]!);
      const mf = mean(f);
      const mr = mean(residual);
      let sfr = 0;
      let sff = 0;
      f.forEach((v, i) => {
        sfr += (v - mf) * (residual[i]! - mr);
        sff += (v - mf) ** 2;
      });
      // a feature constant over the fit says nothing: the term is the mean residual alone
      const slope = sff > 0 ? sfr / sff : 0;
      term = { intercept: mr - slope * mf, slope };
    },
    predict(x) {
      const t = term;
      if (!t) throw notFitted(this.name);
      const p = inner.predict(x);
      return Float64Array.from(p, (v, i) => v + t.intercept + t.slope * feature(x[i]!));
    },
  };
}
