import type { Genome } from '../space/types.js';
import { dropDominated, Propagator, type ChoiceProgram, type Domains } from './choice-program.js';
import { lagrangeIncumbent } from './lagrange-incumbent.js';
import { lagrangeMultipliers } from './lagrange.js';
import { NodeValues } from './node-values.js';

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
export type Mode = { readonly kind: 'best' } | { readonly kind: 'reach'; readonly target: number };

/**
 * Exact depth-first branch and bound over the nodes' choices. At every search node the limits and rules are
 * propagated (blocks that no completion can use are dropped), and the bound is the Lagrangian relaxation of the
 * limits, F + Σ_l μ_l (cap_l − S_l) + Σ_free max_a [c_j(a) − Σ_l μ_l w_lj(a)], valid for every μ >= 0 because a
 * feasible completion keeps each limit. c_j(a) is node j's value plus its pair terms with fixed nodes and, for a
 * pair of two free nodes, its best partner block. With one limit and no rules or pairs the fitted μ makes this the
 * LP bound of the multiple-choice knapsack. A limit's pair terms enter the same way: S_l counts those between fixed
 * nodes, and the pair tables in c_j become the objective's less Σ_l μ_l times the limits' (fillUnion), so the bound
 * stays valid for every μ >= 0 (node-values.ts). The same bound less a node's fall in score from its best block
 * bounds every completion through that block, so blocks that cannot beat the incumbent go at every search node
 * (dropClosed), and nodes left with one block are fixed without a search level: with the Lagrangian incumbent from
 * the root (lagrange-incumbent.ts), this settles most nodes of a large program before any branching. The rules are
 * not in the bound, so 'best' branches first on the nodes they couple (SuperViT's resolution, the
 * SuperTransformer's decoder depth): once those are fixed, propagation settles the rest of each rule. Values
 * within 1e-12 of the objective's spread count as equal, the margin HiGHS is given (formulation.ts), so both
 * solvers prove the same optimum.
 */
export class Search {
  private readonly n: number;
  private readonly propagator: Propagator;
  private readonly vals: NodeValues;
  private readonly limitPaired: boolean;
  private readonly weights: readonly (readonly (readonly number[])[])[];
  private readonly caps: readonly number[];
  private readonly rulesOf: readonly number[];
  readonly tol: number;
  private readonly g: Int32Array;
  private readonly used: Float64Array;
  /** Scratch for boundAt: each free node's scores under μ, and their maximum and minimum. */
  private readonly sc: Float64Array[];
  private readonly hiOf: Float64Array;
  private readonly loOf: Float64Array;
  private f = 0;
  work = 0;
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
    this.tol = 1e-12 * objectiveSpread(p);
    this.weights = p.weights;
    this.caps = p.caps;
    this.rulesOf = radix.map((_, i) => this.propagator.touching(i, p.limits.length));
    this.g = new Int32Array(this.n).fill(-1);
    this.used = new Float64Array(p.limits.length);
    this.vals = new NodeValues(p, this.g);
    this.limitPaired = this.vals.limitPaired;
    this.sc = radix.map((r) => new Float64Array(r));
    this.hiOf = new Float64Array(this.n);
    this.loOf = new Float64Array(this.n);
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
   * Searches below `root` (fixed nodes given as one-block domains) starting from multipliers `mu`, refitted as the
   * domains shrink; `work` counts on across runs.
   */
  run(root: Domains, mode: Mode, mu: Float64Array): void {
    this.mode = mode;
    this.aborted = false;
    this.visit(root.slice(), mu, root.reduce((s, dom) => s + dom.length, 0));
  }

  /** μ fitted on `root` (no node fixed). */
  fitRoot(root: Domains): Float64Array {
    this.vals.fill(root);
    const start = new Float64Array(this.caps.length);
    return lagrangeMultipliers({ free: root, values: this.vals.c, weights: this.vals.fitWeights(root), capacity: this.caps }, start);
  }

  /**
   * Fits μ at the root (returned) and takes the Lagrangian incumbent (lagrange-incumbent.ts) when it keeps every
   * limit and rule and beats the seeds: with an incumbent near the optimum from the start, dropClosed fixes most
   * nodes of a large program at the root.
   */
  seedFromRoot(root: Domains): Float64Array {
    const mu = this.fitRoot(root);
    if (this.limitPaired) this.vals.fillUnion(root, mu);
    this.boundAt(root, mu);
    const start = root.map((dom, j) => dom.reduce((b, a) => (this.sc[j]![a]! > this.sc[j]![b]! ? a : b)));
    const g = lagrangeIncumbent(this.p.values, this.weights, this.caps, root, start);
    const f = g && this.holds(g) ? this.value(g) : -Infinity;
    if (f > this.best) [this.best, this.bestGenome] = [f, g];
    return mu;
  }

  /**
   * Narrows `d` (no node fixed) in place to the blocks some genome reaching `target` may use, by dropClosed at μ;
   * the witness's blocks stay. False when propagation finds no genome left.
   */
  narrow(d: Domains, target: number, mu: Float64Array, witness: Genome): boolean {
    this.mode = { kind: 'reach', target };
    this.vals.fill(d);
    if (this.limitPaired) this.vals.fillUnion(d, mu);
    const changed = this.dropClosed(d, this.boundAt(d, mu), witness);
    return changed.length === 0 || this.propagator.propagate(d, changed);
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

  /** Fixes node j at block a: its value and pair terms with fixed nodes join f, its weights join `used`. */
  private fix(j: number, a: number): void {
    const { used, weights } = this;
    this.f += this.vals.gain(j, a);
    this.g[j] = a;
    for (let l = 0; l < used.length; l++) used[l] = used[l]! + weights[l]![j]![a]!;
    if (this.limitPaired) this.vals.addLimitPairs(j, a, used);
  }

  /**
   * Searches below `d`, which it may narrow in place (callers pass a copy). Free nodes left with one block are fixed
   * first, so that a node settled by propagation or by its scores costs no search level of its own.
   */
  private visit(d: Domains, mu: Float64Array, muSize: number): void {
    const { g, used } = this;
    // Restored from copies rather than by subtraction, so no rounding drift builds up along the search.
    const savedF = this.f;
    let savedUsed: Float64Array | null = null;
    const fixed: number[] = [];
    for (let j = 0; j < this.n; j++) {
      if (g[j]! >= 0 || d[j]!.length !== 1) continue;
      savedUsed ??= used.slice();
      this.fix(j, d[j]![0]!);
      fixed.push(j);
    }
    this.explore(d, mu, muSize);
    if (!savedUsed) return;
    for (const j of fixed) g[j] = -1;
    used.set(savedUsed);
    this.f = savedF;
  }

  /**
   * The bound at μ (see Search); fills each free node's scores under μ (sc) with their maximum and minimum, what
   * dropClosed and pickNode read.
   */
  private boundAt(d: Domains, mu: Float64Array): number {
    const { g, caps, used, weights, sc, hiOf, loOf } = this;
    const limitCount = caps.length;
    let bound = this.f;
    for (let l = 0; l < limitCount; l++) bound += mu[l]! * (caps[l]! - used[l]!);
    for (let j = 0; j < this.n; j++) {
      if (g[j]! >= 0) continue;
      const cj = this.vals.c[j]!;
      const sj = sc[j]!;
      let hi = -Infinity;
      let lo = Infinity;
      for (const a of d[j]!) {
        let s = cj[a]!;
        for (let l = 0; l < limitCount; l++) s -= mu[l]! * weights[l]![j]![a]!;
        sj[a] = s;
        if (s > hi) hi = s;
        if (s < lo) lo = s;
      }
      hiOf[j] = hi;
      loOf[j] = lo;
      bound += hi;
    }
    return bound;
  }

  /**
   * Reduced-cost fixing: fixing free node j at block a lowers the bound by at most hi_j − sc_j(a) (every other term
   * keeps or loses its maximum), so a block whose bound so lowered cannot matter goes. `keep` blocks stay.
   */
  private dropClosed(d: Domains, bound: number, keep?: Genome): number[] {
    const changed: number[] = [];
    for (let j = 0; j < this.n; j++) {
      if (this.g[j]! >= 0) continue;
      const dom = d[j]!;
      const sj = this.sc[j]!;
      const rest = bound - this.hiOf[j]!;
      if (this.open(rest + this.loOf[j]!)) continue;
      const kept = dom.filter((a) => a === keep?.[j] || this.open(rest + sj[a]!));
      if (kept.length === dom.length) continue;
      d[j] = kept;
      changed.push(j);
    }
    return changed;
  }

  /** Branch on the node in most rules, then with the smallest domain, then with the widest spread of scores. */
  private pickNode(d: Domains): number {
    let pick = -1;
    let pickRules = -1;
    let pickSize = Infinity;
    let pickSpread = -Infinity;
    for (let j = 0; j < this.n; j++) {
      if (this.g[j]! >= 0) continue;
      const size = d[j]!.length;
      const spread = this.hiOf[j]! - this.loOf[j]!;
      const rules = this.rulesOf[j]!;
      const smaller = size < pickSize || (size === pickSize && spread > pickSpread);
      if (rules > pickRules || (rules === pickRules && smaller)) [pick, pickRules, pickSize, pickSpread] = [j, rules, size, spread];
    }
    return pick;
  }

  /** Fills values, refits μ when the free blocks have shrunk, bounds, drops closed blocks, and branches. */
  private explore(d: Domains, mu: Float64Array, muSize: number): void {
    const { g, caps, used } = this;
    const limitCount = caps.length;
    this.nodes++;
    // With pair terms in a limit, c is filled below, once μ is settled.
    const size = this.limitPaired ? this.freeBlocks(d) : this.vals.fill(d);
    this.work += size;
    if (this.work > this.workLimit) {
      this.aborted = true;
      return;
    }
    if (size === 0) return this.leaf();
    if (limitCount > 0 && size < REFIT_SHRINK * muSize) {
      // μ is fitted on the objective's own values; the bound then takes the limits' pair terms in at that μ.
      if (this.limitPaired) this.vals.fill(d);
      mu = lagrangeMultipliers({ free: d.map((dom, j) => (g[j]! >= 0 ? null : dom)), values: this.vals.c, weights: this.vals.fitWeights(d), capacity: caps.map((cap, l) => cap - used[l]!) }, mu);
      muSize = size;
    }
    if (this.limitPaired) this.vals.fillUnion(d, mu);
    const bound = this.boundAt(d, mu);
    if (!this.open(bound)) return;
    const changed = this.dropClosed(d, bound);
    // Narrowed domains propagate and are searched afresh: their bound can only be lower.
    if (changed.length > 0) return void (this.propagator.propagate(d, changed) && this.visit(d, mu, muSize));
    const j = this.pickNode(d);
    const dom = d[j]!;
    const pickMax = this.hiOf[j]!;
    const scores = dom.map((a) => this.sc[j]![a]!);
    const order = dom.map((_, k) => k).sort((x, y) => scores[y]! - scores[x]! || dom[x]! - dom[y]!);
    for (const k of order) {
      // A child's bound is at most this one less the fall in node j's score, and scores only fall from here on.
      if (this.aborted || !this.open(bound - (pickMax - scores[k]!))) return;
      const child = d.slice();
      child[j] = [dom[k]!];
      if (this.propagator.propagate(child, [j])) this.visit(child, mu, muSize);
    }
  }
}
