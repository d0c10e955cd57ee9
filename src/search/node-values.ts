import type { ChoiceProgram, Domains } from './choice-program.js';
import type { Table } from './formulation.js';
import { pairViews, unionViews, type PairView, type UnionView } from './pair-views.js';

/**
 * What the branch and bound's bound reads of each free node (branch-bound.ts): c_j(a), node j's value plus its pair
 * terms with fixed nodes and, for a pair of two free nodes, its best partner block; with pair terms in a limit, the
 * pair tables are read as the objective's less Σ_l μ_l times the limits' (fillUnion). `g` is the search's genome,
 * -1 at a free node.
 */
export class NodeValues {
  /** c_j(a) after fill or fillUnion, for the blocks of each free node's domain. */
  readonly c: Float64Array[];
  private readonly views: PairView[][];
  /** Per limit, its pair tables seen from each node (empty when no limit has pair terms). */
  private readonly limitViews: PairView[][][];
  /** Every node pair the objective or a limit pairs, with each one's table in one view (for fillUnion). */
  private readonly unionViews: UnionView[][];
  readonly limitPaired: boolean;

  constructor(
    private readonly p: ChoiceProgram,
    private readonly g: Int32Array,
  ) {
    const { radix } = p;
    this.c = radix.map((r) => new Float64Array(r));
    this.views = pairViews(radix, p.pairs);
    this.limitPaired = p.limitPairs.some((q) => q.length > 0);
    this.limitViews = this.limitPaired ? p.limitPairs.map((q) => pairViews(radix, q)) : [];
    this.unionViews = this.limitPaired ? unionViews(radix, this.views, this.limitViews) : [];
  }

  /** Node j's value at block a plus its pair terms with the fixed nodes: what fixing it adds to the objective. */
  gain(j: number, a: number): number {
    const { g } = this;
    let gain = this.p.values[j]![a]!;
    for (const v of this.views[j]!) {
      const gi = g[v.other]!;
      if (gi >= 0) gain += v.values[a * this.p.radix[v.other]! + gi]!;
    }
    return gain;
  }

  /** Adds to `used` each limit's pair terms between node j at block a and the fixed nodes. */
  addLimitPairs(j: number, a: number, used: Float64Array): void {
    const { g } = this;
    this.limitViews.forEach((views, l) => {
      for (const v of views[j]!) {
        const gi = g[v.other]!;
        if (gi >= 0) used[l] = used[l]! + v.values[a * this.p.radix[v.other]! + gi]!;
      }
    });
  }

  /** Fills c_j for every free node of `d` from the objective alone; returns the number of free blocks. */
  fill(d: Domains): number {
    const { g, c, views } = this;
    const { radix, values } = this.p;
    let size = 0;
    for (let j = 0; j < radix.length; j++) {
      if (g[j]! >= 0) continue;
      const dom = d[j]!;
      const cj = c[j]!;
      const vj = values[j]!;
      size += dom.length;
      for (const a of dom) cj[a] = vj[a]!;
      for (const v of views[j]!) {
        const gi = g[v.other]!;
        const ro = radix[v.other]!;
        if (gi >= 0) {
          for (const a of dom) cj[a] = cj[a]! + v.values[a * ro + gi]!;
        } else if (v.owner) {
          const od = d[v.other]!;
          for (const a of dom) {
            let m = -Infinity;
            for (const b of od) m = Math.max(m, v.values[a * ro + b]!);
            cj[a] = cj[a]! + m;
          }
        }
      }
    }
    return size;
  }

  /**
   * fill for a program whose limits have pair terms: each pair table read as the objective's less Σ_l μ_l times
   * the limits', computed as it is read (μ is refitted at most search nodes, so tables built per μ cost more than they save).
   */
  fillUnion(d: Domains, mu: Float64Array): void {
    const { g, c } = this;
    const { radix, values } = this.p;
    const limitCount = mu.length;
    for (let j = 0; j < radix.length; j++) {
      if (g[j]! >= 0) continue;
      const dom = d[j]!;
      const cj = c[j]!;
      const vj = values[j]!;
      for (const a of dom) cj[a] = vj[a]!;
      for (const u of this.unionViews[j]!) {
        const gi = g[u.other]!;
        if (gi < 0 && !u.owner) continue;
        const ro = radix[u.other]!;
        const od = gi >= 0 ? null : d[u.other]!;
        for (const a of dom) {
          let m = -Infinity;
          for (let t = 0, count = od ? od.length : 1; t < count; t++) {
            const k = a * ro + (od ? od[t]! : gi);
            let v = u.objective[k]!;
            for (let l = 0; l < limitCount; l++) {
              const r = u.limits[l];
              if (r) v -= mu[l]! * r[k]!;
            }
            if (v > m) m = v;
          }
          cj[a] = cj[a]! + m;
        }
      }
    }
  }

  /**
   * The limits' weights for fitting μ: the node weights plus the limit pair terms with fixed partners, which are
   * exact; pair terms between free nodes are left out (their residual rows average zero). Any μ >= 0 gives a valid
   * bound, so this approximation only costs tightness.
   */
  fitWeights(d: Domains): readonly Table[] {
    const { g, p } = this;
    if (!this.limitPaired) return p.weights;
    return p.weights.map((w, l) => {
      if (p.limitPairs[l]!.length === 0) return w;
      return w.map((row, j) => {
        if (g[j]! >= 0) return row;
        const out = [...row];
        for (const v of this.limitViews[l]![j]!) {
          const gi = g[v.other]!;
          if (gi < 0) continue;
          const ro = p.radix[v.other]!;
          for (const a of d[j]!) out[a] = out[a]! + v.values[a * ro + gi]!;
        }
        return out;
      });
    });
  }
}
