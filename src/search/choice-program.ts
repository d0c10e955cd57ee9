import type { PairTerm } from '../core/additive.js';
import type { CouplingRule, Genome } from '../space/types.js';
import { limitTolerance, orderedSum, pairsByLaterNode, ruleBounds } from './common.js';
import type { BinaryProgram, Table } from './formulation.js';
import type { Limit } from './problem.js';
import { canonicalPairs, foldAdditive, type CanonicalPair } from './pair-terms.js';

/** A pair table inside a sum: values[a * radix[j] + b] when node i uses block a and node j block b. */
export interface SumPair {
  readonly i: number;
  readonly j: number;
  readonly values: Float64Array;
}

/** lo <= Σ_t rows[t][g[nodes[t]]] (+ Σ pairs) <= hi over the nodes the sum touches, slack included. */
export interface SparseSum {
  readonly nodes: readonly number[];
  /** One row per touched node, indexed by block. */
  readonly rows: readonly Float64Array[];
  readonly lo: number;
  readonly hi: number;
  /** A limit's pair tables after folding (their nodes are among `nodes`); absent for an additive sum. */
  readonly pairs?: readonly SumPair[];
  /** A limit with pair terms as given, for the leaf test to sum exactly as enumeration does (common.ts orderedSum). */
  readonly exact?: { readonly values: Table; readonly pairsAt: readonly (readonly PairTerm[])[] };
}

/**
 * Maximise Σ values[i][g_i] + Σ pairs over genomes (one block per node) that keep every limit and rule. branchAndBound
 * relaxes the limits by Lagrange multipliers and uses the rules only to propagate.
 */
export interface ChoiceProgram {
  readonly radix: readonly number[];
  readonly values: Table;
  readonly pairs: readonly CanonicalPair[];
  /**
   * Limits in dense form (weights[l][i][a], a limit's pair tables folded in where they are row or column effects)
   * with their capacities, and the same as sums.
   */
  readonly weights: readonly Table[];
  /** Per limit, the pair tables left after folding (empty for an additive limit). */
  readonly limitPairs: readonly (readonly CanonicalPair[])[];
  readonly caps: readonly number[];
  readonly limits: readonly SparseSum[];
  readonly rules: readonly SparseSum[];
}

function limitSum(table: Table, hi: number): SparseSum {
  const nodes: number[] = [];
  const rows: Float64Array[] = [];
  table.forEach((row, i) => {
    if (!row.some((v) => v !== 0)) return;
    nodes.push(i);
    rows.push(Float64Array.from(row));
  });
  return { nodes, rows, lo: -Infinity, hi };
}

/** A limit with pair terms: folded weights and residual tables to propagate on, the terms as given to test leaves. */
function pairLimitSum(limit: Limit, weights: Table, residual: readonly CanonicalPair[], hi: number): SparseSum {
  const exact = { values: limit.model.values, pairsAt: pairsByLaterNode(limit.pairs, weights.length) };
  if (residual.length === 0) return { ...limitSum(weights, hi), exact };
  const touched = new Set(residual.flatMap((q) => [q.i, q.j]));
  const nodes = weights.flatMap((row, i) => (touched.has(i) || row.some((v) => v !== 0) ? [i] : []));
  const rows = nodes.map((i) => Float64Array.from(weights[i]!));
  const pairs = residual.map((q) => ({ i: q.i, j: q.j, values: Float64Array.from(q.values.flat()) }));
  return { nodes, rows, lo: -Infinity, hi, pairs, exact };
}

/** A rule's terms grouped by node (duplicate terms add up, as in common.ts ruleTable). */
function ruleSum(rule: CouplingRule, radix: readonly number[]): SparseSum {
  const byNode = new Map<number, Float64Array>();
  for (const t of rule.terms) {
    const row = byNode.get(t.node) ?? new Float64Array(radix[t.node]!);
    byNode.set(t.node, row);
    row[t.block] = row[t.block]! + t.coef;
  }
  const touched = [...byNode].filter(([, row]) => row.some((v) => v !== 0)).sort(([a], [b]) => a - b);
  return { nodes: touched.map(([i]) => i), rows: touched.map(([, row]) => row), ...ruleBounds(rule) };
}

/**
 * The program as branchAndBound takes it: a minimisation is negated, pair terms are summed per node pair and their
 * row and column effects folded into the node values (exact; it tightens the bound's pair maxima), and limits and
 * rules get the same slack as in enumeration (common.ts), so all three solvers accept the same genomes.
 */
export function choiceProgram(program: BinaryProgram): ChoiceProgram {
  const { radix, limits } = program;
  const sign = program.sense === 'maximize' ? 1 : -1;
  const canonical = canonicalPairs(program.pairs ?? [], radix).map((q) => ({ ...q, values: q.values.map((row) => row.map((v) => sign * v)) }));
  const folded = foldAdditive(program.objective.map((row) => row.map((v) => sign * v)), canonical);
  const caps = limits.map((l) => l.max - l.model.intercept + limitTolerance(l.max));
  const limitFolds = limits.map((l) => (l.pairs && l.pairs.length > 0 ? foldAdditive(l.model.values, canonicalPairs(l.pairs, radix)) : null));
  return {
    radix,
    values: folded.values,
    pairs: folded.pairs,
    weights: limits.map((l, k) => limitFolds[k]?.values ?? l.model.values),
    limitPairs: limitFolds.map((f) => f?.pairs ?? []),
    caps,
    limits: limits.map((l, k) => {
      const f = limitFolds[k];
      return f ? pairLimitSum(l, f.values, f.pairs, caps[k]!) : limitSum(l.model.values, caps[k]!);
    }),
    rules: program.rules.map((r) => ruleSum(r, radix)),
  };
}

/** Allowed blocks per node; a fixed node has one. Arrays are replaced, never mutated, so children share them. */
export type Domains = (readonly number[])[];

/** Domain propagation over a program's limits and rules. */
export class Propagator {
  private readonly sums: readonly SparseSum[];
  /** Absolute slack per sum against rounding in sums taken in different orders, so no genome the leaf test accepts goes. */
  private readonly eps: Float64Array;
  /** Indices of the sums that touch each node. */
  private readonly byNode: number[][];
  /** For a sum with pair tables: per touched node (by position t), the indices of its tables that contain the node. */
  private readonly incident: (readonly (readonly number[])[] | null)[];
  /** Additive sums bounded on one side only (limits without pair tables, '<=' and '>=' rules). */
  private readonly oneSided: Uint8Array;
  /** Scratch for propagate: the queue of sums to revisit, whether each is queued, and a sum's per-node extremes. */
  private readonly dirty: Uint8Array;
  private readonly queue: number[] = [];
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  /** Per additive sum and touched node, the domain whose extremes were last computed, and those extremes. */
  private readonly seen: (readonly number[] | null)[][];
  private readonly seenMin: Float64Array[];
  private readonly seenMax: Float64Array[];

  constructor(private readonly program: ChoiceProgram) {
    this.sums = [...program.limits, ...program.rules];
    this.byNode = program.radix.map(() => []);
    this.eps = Float64Array.from(this.sums, (s, k) => {
      let size = Math.max(Number.isFinite(s.lo) ? Math.abs(s.lo) : 0, Number.isFinite(s.hi) ? Math.abs(s.hi) : 0);
      s.rows.forEach((row, t) => {
        this.byNode[s.nodes[t]!]!.push(k);
        for (const v of row) size = Math.max(size, Math.abs(v));
      });
      for (const q of s.pairs ?? []) for (const v of q.values) size = Math.max(size, Math.abs(v));
      return 1e-13 * size * (s.nodes.length + (s.pairs?.length ?? 0) + 1);
    });
    this.incident = this.sums.map((s) => (s.pairs ? s.nodes.map((i) => s.pairs!.flatMap((q, m) => (q.i === i || q.j === i ? [m] : []))) : null));
    this.oneSided = Uint8Array.from(this.sums, (s) => (!s.pairs && !(Number.isFinite(s.lo) && Number.isFinite(s.hi)) ? 1 : 0));
    this.dirty = new Uint8Array(this.sums.length);
    const longest = Math.max(0, ...this.sums.map((s) => s.nodes.length));
    this.mins = new Float64Array(longest);
    this.maxs = new Float64Array(longest);
    this.seen = this.sums.map((s) => s.nodes.map(() => null));
    this.seenMin = this.sums.map((s) => new Float64Array(s.nodes.length));
    this.seenMax = this.sums.map((s) => new Float64Array(s.nodes.length));
  }

  /** How many rules (sums after the limits) touch node i. */
  touching(i: number, limitCount: number): number {
    return this.byNode[i]!.filter((k) => k >= limitCount).length;
  }

  /**
   * Removes every block that no genome satisfying one sum (given the other nodes' domains) can use, to a fixpoint.
   * `changed` are the nodes whose domains were just narrowed (all at the root). Domains are replaced in place in
   * `d`; returns false when a sum can no longer hold.
   */
  propagate(d: Domains, changed: readonly number[]): boolean {
    const { dirty, queue } = this;
    queue.length = 0;
    for (const node of changed) this.mark(node, -1);
    while (queue.length > 0) {
      const k = queue.pop()!;
      dirty[k] = 0;
      const s = this.sums[k]!;
      const ok = s.pairs ? this.propagatePairs(s, k, d) : this.propagateSum(s, k, d);
      if (!ok) {
        for (const q of queue) dirty[q] = 0;
        return false;
      }
    }
    return true;
  }

  /**
   * Queues the sums touching `node`, but not sum `from` when it has one side only: its own narrowing removes blocks
   * above (or below) what the rest leaves room for, which leaves every node's minimum (maximum) and so its own
   * bounds as they were.
   */
  private mark(node: number, from: number): void {
    for (const k of this.byNode[node]!) {
      if (this.dirty[k] || (k === from && this.oneSided[k])) continue;
      this.dirty[k] = 1;
      this.queue.push(k);
    }
  }

  private propagateSum(s: SparseSum, k: number, d: Domains): boolean {
    const eps = this.eps[k]!;
    const m = s.nodes.length;
    const { mins, maxs } = this;
    let sumMin = 0;
    let sumMax = 0;
    const seen = this.seen[k]!;
    const seenMin = this.seenMin[k]!;
    const seenMax = this.seenMax[k]!;
    for (let t = 0; t < m; t++) {
      const dom = d[s.nodes[t]!]!;
      // Domains are replaced, never mutated, so a domain met before has the extremes found then.
      if (seen[t] !== dom) {
        const row = s.rows[t]!;
        let lo = Infinity;
        let hi = -Infinity;
        for (const a of dom) {
          const v = row[a]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        seen[t] = dom;
        seenMin[t] = lo;
        seenMax[t] = hi;
      }
      mins[t] = seenMin[t]!;
      maxs[t] = seenMax[t]!;
      sumMin += mins[t]!;
      sumMax += maxs[t]!;
    }
    if (sumMin > s.hi + eps || sumMax < s.lo - eps) return false;
    for (let t = 0; t < m; t++) {
      const top = s.hi + eps - (sumMin - mins[t]!);
      const bottom = s.lo - eps - (sumMax - maxs[t]!);
      if (mins[t]! >= bottom && maxs[t]! <= top) continue;
      const node = s.nodes[t]!;
      const row = s.rows[t]!;
      const kept = d[node]!.filter((a) => row[a]! <= top && row[a]! >= bottom);
      if (kept.length === 0) return false;
      d[node] = kept;
      this.mark(node, k);
    }
    return true;
  }

  /**
   * The upper side of a limit with pair tables: block a of node i stays when w_i(a) + Σ_{tables at i} min over the
   * partner's domain of R(a, b), plus the smallest the rest of the sum can be (node rows and the other tables, each at
   * its minimum over the current domains), is within the cap. Every part is a lower bound on what any genome in the
   * domains adds, so no block a feasible completion uses is dropped.
   */
  private propagatePairs(s: SparseSum, k: number, d: Domains): boolean {
    const { radix } = this.program;
    const incident = this.incident[k]!;
    const eps = this.eps[k]!;
    const pairs = s.pairs!;
    const m = s.nodes.length;
    const mins = new Float64Array(m);
    const maxs = new Float64Array(m);
    const pairMins = new Float64Array(pairs.length);
    const pairMaxs = new Float64Array(pairs.length);
    let total = 0;
    let totalMax = 0;
    for (let t = 0; t < m; t++) {
      const row = s.rows[t]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (const a of d[s.nodes[t]!]!) {
        const v = row[a]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      mins[t] = lo;
      maxs[t] = hi;
      total += lo;
      totalMax += hi;
    }
    for (let u = 0; u < pairs.length; u++) {
      const q = pairs[u]!;
      const cols = radix[q.j]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (const a of d[q.i]!) {
        for (const b of d[q.j]!) {
          const v = q.values[a * cols + b]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      pairMins[u] = lo;
      pairMaxs[u] = hi;
      total += lo;
      totalMax += hi;
    }
    if (total > s.hi + eps) return false;
    // Nothing to drop when even the largest value the domains allow fits.
    if (totalMax <= s.hi) return true;
    for (let t = 0; t < m; t++) {
      const node = s.nodes[t]!;
      const row = s.rows[t]!;
      let rest = total - mins[t]!;
      let largest = maxs[t]!;
      for (const u of incident[t]!) {
        rest -= pairMins[u]!;
        largest += pairMaxs[u]!;
      }
      const top = s.hi + eps - rest;
      if (largest <= top) continue;
      const dom = d[node]!;
      const kept: number[] = [];
      for (const a of dom) {
        let v = row[a]!;
        for (const u of incident[t]!) {
          const q = pairs[u]!;
          const cols = radix[q.j]!;
          let lo = Infinity;
          if (q.i === node) for (const b of d[q.j]!) lo = Math.min(lo, q.values[a * cols + b]!);
          else for (const b of d[q.i]!) lo = Math.min(lo, q.values[b * cols + a]!);
          v += lo;
        }
        if (v <= top) kept.push(a);
      }
      if (kept.length === dom.length) continue;
      if (kept.length === 0) return false;
      d[node] = kept;
      this.mark(node, k);
    }
    return true;
  }

  /** Whether a complete genome keeps every sum, summed in node order as enumeration sums. */
  holds(g: Genome): boolean {
    return this.sums.every((s) => {
      let v = 0;
      if (s.exact) v = orderedSum(s.exact.values, s.exact.pairsAt, g);
      else for (let t = 0; t < s.nodes.length; t++) v += s.rows[t]![g[s.nodes[t]!]!]!;
      return v >= s.lo && v <= s.hi;
    });
  }
}

/**
 * Drops block a of a node without pair terms (in the objective or a limit) when another block b of it has the same coefficient in every rule, no
 * more of any limit, and a value either higher by more than `margin` (a is in no optimum) or at least as high with
 * b < a (a is in no optimum that comes first in rank order); the swap a → b keeps every rule and limit. Returns the
 * nodes whose domains shrank.
 */
export function dropDominated(p: ChoiceProgram, d: Domains, margin: number): number[] {
  const paired = new Set([...p.pairs, ...p.limitPairs.flat()].flatMap((q) => [q.i, q.j]));
  const changed: number[] = [];
  d.forEach((dom, j) => {
    if (paired.has(j) || dom.length < 2) return;
    const v = p.values[j]!;
    const rows = p.rules.flatMap((r) => r.rows.filter((_, t) => r.nodes[t] === j));
    const signature = new Map(dom.map((a) => [a, rows.map((row) => row[a]).join(',')]));
    const groups = new Map<string, number[]>();
    for (const a of dom) {
      const key = signature.get(a)!;
      const group = groups.get(key) ?? [];
      groups.set(key, group);
      group.push(a);
    }
    const w = p.weights.map((table) => table[j]!);
    const dominates = (b: number, a: number): boolean => {
      if (!(v[b]! > v[a]! + margin || (v[b]! >= v[a]! && b < a))) return false;
      for (const wl of w) if (wl[b]! > wl[a]!) return false;
      return true;
    };
    const kept = dom.filter((a) => {
      for (const b of groups.get(signature.get(a)!)!) if (b !== a && dominates(b, a)) return false;
      return true;
    });
    if (kept.length < dom.length) {
      d[j] = kept;
      changed.push(j);
    }
  });
  return changed;
}
