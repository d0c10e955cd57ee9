import type { Genome } from '../space/types.js';
import { dropDominated, Propagator, type ChoiceProgram, type Domains } from './choice-program.js';
import { lagrangeMultipliers } from './lagrange.js';
import { pairViews, unionViews, type PairView, type UnionView } from './pair-views.js';

export interface BranchBoundOptions {
  /** Genomes to start from; the best feasible one is the first incumbent. */
  readonly seeds?: readonly Genome[];
  /** Block evaluations (free blocks scored, summed over search nodes) after which a search gives up. */
  readonly workLimit?: number;
}

export type BranchBoundResult =
  | { readonly status: 'optimal'; readonly genome: number[]; readonly nodes: number }
  | { readonly status: 'infeasible'; readonly nodes: number }
  /** The work limit was reached: the best genome met so far (not proven optimal), if any. */
  | { readonly status: 'unfinished'; readonly genome: number[] | null; readonly nodes: number };

/**
 * Default work limit: ~0.1 s on a loaded 2-core machine. The MathNAS and NB201 problems need at most ~6,000 to find
 * and prove the optimum (SuperViT); a problem past the limit goes to HiGHS with the incumbent (ilp.ts).
 */
export const DEFAULT_WORK_LIMIT = 500_000;

/** Work allowed for breaking ties: this multiple of the search's, at least TIE_BREAK_WORK (and at most the limit). */
const TIE_BREAK_RATIO = 10;
const TIE_BREAK_WORK = 20_000;

/** Refit the multipliers once the free blocks have shrunk below this fraction of their number at the last fit. */
const REFIT_SHRINK = 0.8;

/** Largest per-node (or per-pair) spread of the objective, the unit of the pruning margin. */
function objectiveSpread(p: ChoiceProgram): number {
  let s = 0;
  for (const row of p.values) s = Math.max(s, Math.max(...row) - Math.min(...row));
  for (const q of p.pairs) {
    const flat = q.values.flat();
    s = Math.max(s, Math.max(...flat) - Math.min(...flat));
  }
  return s > 0 ? s : 1;
}

/** 'best': the optimum. 'reach': any genome whose value reaches `target` (within the margin); stops at the first. */
type Mode = { readonly kind: 'best' } | { readonly kind: 'reach'; readonly target: number };

/**
 * Exact depth-first branch and bound over the nodes' choices. At every search node the limits and rules are
 * propagated (blocks that no completion can use are dropped), and the bound is the Lagrangian relaxation of the
 * limits, F + Σ_l μ_l (cap_l − S_l) + Σ_free max_a [c_j(a) − Σ_l μ_l w_lj(a)], valid for every μ >= 0 because a
 * feasible completion keeps each limit. c_j(a) is node j's value plus its pair terms with fixed nodes and, for a
 * pair of two free nodes, its best partner block. With one limit and no rules or pairs the fitted μ makes this the
 * LP bound of the multiple-choice knapsack. A limit's pair terms enter the same way: S_l counts those between fixed
 * nodes, and the pair tables in c_j become the objective's less Σ_l μ_l times the limits' (fillUnion), so the bound
 * stays valid for every μ >= 0. The rules are not in the bound, so 'best' branches first on the nodes
 * they couple (SuperViT's resolution, the SuperTransformer's decoder depth): once those are fixed, propagation
 * settles the rest of each rule. Values within 1e-12 of the objective's spread count as equal, the margin HiGHS is
 * given (formulation.ts), so both solvers prove the same optimum.
 */
class Search {
  private readonly n: number;
  private readonly propagator: Propagator;
  private readonly views: PairView[][];
  /** Per limit, its pair tables seen from each node (empty when no limit has pair terms). */
  private readonly limitViews: PairView[][][];
  private readonly limitPaired: boolean;
  /** Every node pair the objective or a limit pairs, with each one's table in one view (for fillUnion). */
  private readonly unionViews: UnionView[][];
  private readonly weights: readonly (readonly (readonly number[])[])[];
  private readonly caps: readonly number[];
  private readonly rulesOf: readonly number[];
  readonly tol: number;
  private readonly g: Int32Array;
  private readonly used: Float64Array;
  private readonly c: Float64Array[];
  private f = 0;
  work = 0;
  rootMu: Float64Array | null = null;
  private mode: Mode = { kind: 'best' };
  nodes = 0;
  aborted = false;
  best = -Infinity;
  bestGenome: number[] | null = null;

  constructor(
    private readonly p: ChoiceProgram,
    public workLimit: number,
  ) {
    const { radix } = p;
    this.n = radix.length;
    this.propagator = new Propagator(p);
    this.views = pairViews(radix, p.pairs);
    this.limitPaired = p.limitPairs.some((q) => q.length > 0);
    this.limitViews = this.limitPaired ? p.limitPairs.map((q) => pairViews(radix, q)) : [];
    this.unionViews = this.limitPaired ? unionViews(radix, this.views, this.limitViews) : [];
    this.tol = 1e-12 * objectiveSpread(p);
    this.weights = p.weights;
    this.caps = p.caps;
    this.rulesOf = radix.map((_, i) => this.propagator.touching(i, p.limits.length));
    this.g = new Int32Array(this.n).fill(-1);
    this.used = new Float64Array(p.limits.length);
    this.c = radix.map((r) => new Float64Array(r));
  }

  holds(g: Genome): boolean {
    return g.length === this.n && this.propagator.holds(g);
  }

  value(g: Genome): number {
    let f = 0;
    for (let i = 0; i < this.n; i++) f += this.p.values[i]![g[i]!]!;
    for (const q of this.p.pairs) f += q.values[g[q.i]!]![g[q.j]!]!;
    return f;
  }

  /** Root domains after propagation, or null when no genome satisfies the limits and rules. */
  root(): Domains | null {
    const d: Domains = this.p.radix.map((r) => Array.from({ length: r }, (_, a) => a));
    if (!this.propagator.propagate(d, d.map((_, i) => i))) return null;
    const changed = dropDominated(this.p, d, this.tol);
    return changed.length === 0 || this.propagator.propagate(d, changed) ? d : null;
  }

  /**
   * Searches below `root` (fixed nodes given as one-block domains); `work` counts on across runs. Without `mu` the
   * multipliers are fitted at the root, and the first fit is kept as `rootMu`.
   */
  run(root: Domains, mode: Mode, mu?: Float64Array): void {
    this.mode = mode;
    this.aborted = false;
    const size = mu ? root.reduce((s, dom) => s + dom.length, 0) : Infinity;
    this.visit(root, mu ?? new Float64Array(this.caps.length), size);
  }

  /**
   * The limits' weights for fitting μ: the node weights plus the limit pair terms with fixed partners, which are
   * exact; pair terms between free nodes are left out (their residual rows average zero). Any μ >= 0 gives a valid
   * bound, so this approximation only costs tightness.
   */
  private fitWeights(d: Domains): readonly (readonly (readonly number[])[])[] {
    if (!this.limitPaired) return this.weights;
    const { g } = this;
    return this.weights.map((w, l) => {
      if (this.p.limitPairs[l]!.length === 0) return w;
      return w.map((row, j) => {
        if (g[j]! >= 0) return row;
        const out = [...row];
        for (const v of this.limitViews[l]![j]!) {
          const gi = g[v.other]!;
          if (gi < 0) continue;
          const ro = this.p.radix[v.other]!;
          for (const a of d[j]!) out[a] = out[a]! + v.values[a * ro + gi]!;
        }
        return out;
      });
    });
  }

  /** Whether the last run ended on its work limit rather than by finishing (or, for 'reach', by reaching). */
  get exhausted(): boolean {
    return this.work > this.workLimit;
  }

  propagate(d: Domains, changed: readonly number[]): boolean {
    return this.propagator.propagate(d, changed);
  }

  private freeBlocks(d: Domains): number {
    let size = 0;
    for (let j = 0; j < this.n; j++) if (this.g[j]! < 0) size += d[j]!.length;
    return size;
  }

  /** Fills c_j for every free node of `d`; returns the number of free blocks. */
  private fillValues(d: Domains): number {
    const { g, c, views } = this;
    const { radix, values } = this.p;
    let size = 0;
    for (let j = 0; j < this.n; j++) {
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

  /** Adds to `used` each limit's pair terms between node j at block a and the fixed nodes. */
  private addLimitPairs(j: number, a: number): void {
    const { g, used } = this;
    this.limitViews.forEach((views, l) => {
      for (const v of views[j]!) {
        const gi = g[v.other]!;
        if (gi >= 0) used[l] = used[l]! + v.values[a * this.p.radix[v.other]! + gi]!;
      }
    });
  }

  /**
   * fillValues for a program whose limits have pair terms: each pair table read as the objective's less Σ_l μ_l times
   * the limits', computed as it is read (μ is refitted at most search nodes, so tables built per μ cost more than they save).
   */
  private fillUnion(d: Domains, mu: Float64Array): void {
    const { g, c } = this;
    const { radix, values } = this.p;
    const limitCount = mu.length;
    for (let j = 0; j < this.n; j++) {
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

  /** Node j's score for block a under μ: what the bound takes the maximum of. */
  private score(j: number, a: number, mu: Float64Array): number {
    let s = this.c[j]![a]!;
    for (let l = 0; l < mu.length; l++) s -= mu[l]! * this.weights[l]![j]![a]!;
    return s;
  }

  /** Whether a subtree with this bound can still matter: beat the incumbent, or reach the target. */
  private open(bound: number): boolean {
    return this.mode.kind === 'best' ? bound > this.best + this.tol : bound >= this.mode.target - this.tol;
  }

  private leaf(): void {
    const g = Array.from(this.g);
    // Propagation has kept every sum within bounds; holds() re-checks in node order, as enumeration sums.
    if (this.mode.kind === 'best') {
      if (this.f > this.best && this.propagator.holds(g)) [this.best, this.bestGenome] = [this.f, g];
    } else if (this.f >= this.mode.target - this.tol && this.propagator.holds(g)) {
      [this.best, this.bestGenome] = [this.f, g];
      this.aborted = true;
    }
  }

  private visit(d: Domains, mu: Float64Array, muSize: number): void {
    const { g, used, caps, weights } = this;
    const limitCount = caps.length;
    this.nodes++;
    // With pair terms in a limit, c is filled below, once μ is settled.
    const size = this.limitPaired ? this.freeBlocks(d) : this.fillValues(d);
    this.work += size;
    if (this.work > this.workLimit) {
      this.aborted = true;
      return;
    }
    if (size === 0) return this.leaf();
    if (limitCount > 0 && size < REFIT_SHRINK * muSize) {
      // μ is fitted on the objective's own values; the bound then takes the limits' pair terms in at that μ.
      if (this.limitPaired) this.fillValues(d);
      mu = lagrangeMultipliers({ free: d.map((dom, j) => (g[j]! >= 0 ? null : dom)), values: this.c, weights: this.fitWeights(d), capacity: caps.map((cap, l) => cap - used[l]!) }, mu);
      muSize = size;
      this.rootMu ??= mu;
    }
    if (this.limitPaired) this.fillUnion(d, mu);
    let bound = this.f;
    for (let l = 0; l < limitCount; l++) bound += mu[l]! * (caps[l]! - used[l]!);
    let pick = -1;
    let pickRules = -1;
    let pickSize = Infinity;
    let pickSpread = -Infinity;
    let pickMax = 0;
    for (let j = 0; j < this.n; j++) {
      if (g[j]! >= 0) continue;
      const dom = d[j]!;
      let hi = -Infinity;
      let lo = Infinity;
      for (const a of dom) {
        const s = this.score(j, a, mu);
        if (s > hi) hi = s;
        if (s < lo) lo = s;
      }
      bound += hi;
      // Branch on a forced node, else on most rules, then the smallest domain, then the widest spread of scores.
      const rules = dom.length > 1 ? this.rulesOf[j]! : Infinity;
      const smaller = dom.length < pickSize || (dom.length === pickSize && hi - lo > pickSpread);
      if (rules > pickRules || (rules === pickRules && smaller)) [pick, pickRules, pickSize, pickSpread, pickMax] = [j, rules, dom.length, hi - lo, hi];
    }
    if (!this.open(bound)) return;
    const j = pick;
    const dom = d[j]!;
    const scores = dom.map((a) => this.score(j, a, mu));
    const order = dom.map((_, k) => k).sort((x, y) => scores[y]! - scores[x]! || dom[x]! - dom[y]!);
    for (const k of order) {
      // A child's bound is at most this one less the fall in node j's score, and scores only fall from here on.
      if (this.aborted || !this.open(bound - (pickMax - scores[k]!))) return;
      const a = dom[k]!;
      const child = d.slice();
      child[j] = [a];
      if (!this.propagator.propagate(child, [j])) continue;
      let gain = this.p.values[j]![a]!;
      for (const v of this.views[j]!) {
        const gi = g[v.other]!;
        if (gi >= 0) gain += v.values[a * this.p.radix[v.other]! + gi]!;
      }
      // Restored from copies rather than by subtraction, so no rounding drift builds up along the search.
      const savedF = this.f;
      const savedUsed = used.slice();
      g[j] = a;
      this.f += gain;
      for (let l = 0; l < limitCount; l++) used[l] = used[l]! + weights[l]![j]![a]!;
      if (this.limitPaired) this.addLimitPairs(j, a);
      this.visit(child, mu, muSize);
      used.set(savedUsed);
      this.f = savedF;
      g[j] = -1;
    }
  }
}

/**
 * Exact optimum of a choice program (see Search). Once the optimum is known, firstOptimal turns it into the first
 * optimal genome in rank order, so ties go where enumeration puts them (exhaustive.ts); if that exceeds the work
 * limit, the optimum found first is returned. 'unfinished' when the search for the optimum exceeds the work limit.
 */
export function branchAndBound(p: ChoiceProgram, options: BranchBoundOptions = {}): BranchBoundResult {
  const workLimit = options.workLimit ?? DEFAULT_WORK_LIMIT;
  const s = new Search(p, workLimit);
  for (const seed of options.seeds ?? []) {
    if (!s.holds(seed)) continue;
    const f = s.value(seed);
    if (f > s.best) [s.best, s.bestGenome] = [f, [...seed]];
  }
  const root = s.root();
  if (!root) return s.bestGenome ? { status: 'optimal', genome: s.bestGenome, nodes: 0 } : { status: 'infeasible', nodes: 0 };
  s.run(root, { kind: 'best' });
  if (s.exhausted) return { status: 'unfinished', genome: s.bestGenome, nodes: s.nodes };
  if (!s.bestGenome) return { status: 'infeasible', nodes: s.nodes };
  const optimum = s.bestGenome;
  // Breaking ties may cost a few times the search itself (at most ~5x on the MathNAS and NB201 problems), but no more.
  const searchWork = s.work;
  s.work = 0;
  s.workLimit = Math.min(workLimit, Math.max(TIE_BREAK_WORK, TIE_BREAK_RATIO * searchWork));
  const first = firstOptimal(s, root, optimum, s.best);
  return { status: 'optimal', genome: first ?? optimum, nodes: s.nodes };
}

/**
 * The first genome in rank order whose value reaches `target`, given one (`witness`) that does: node by node, the
 * smallest block below the witness's that still admits such a genome (a 'reach' search under the prefix, which
 * also gives the next witness), else the witness's block. Searching in rank order directly would branch on nodes in
 * index order, which the rules make slow (the SuperTransformer's decoder depth comes last); this keeps the fast
 * branching order inside each check. Null when the checks exceed the work limit.
 */
function firstOptimal(s: Search, root: Domains, witness: number[], target: number): number[] | null {
  let d = root;
  for (let j = 0; j < d.length; j++) {
    for (const a of d[j]!) {
      if (a >= witness[j]!) break;
      const child = d.slice();
      child[j] = [a];
      if (!s.propagate(child, [j])) continue;
      s.bestGenome = null;
      // The root's multipliers, refitted once the domains shrink: most checks end at their first bound.
      s.run(child, { kind: 'reach', target }, s.rootMu ?? undefined);
      if (s.exhausted) return null;
      if (s.bestGenome) {
        witness = s.bestGenome;
        break;
      }
    }
    d = d.slice();
    d[j] = [witness[j]!];
    if (!s.propagate(d, [j])) throw new Error('branch and bound: the witness genome breaks a rule or limit');
  }
  return witness;
}
