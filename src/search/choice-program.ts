import type { CouplingRule, Genome } from '../space/types.js';
import { limitTolerance, ruleBounds } from './common.js';
import type { BinaryProgram, Table } from './formulation.js';
import { canonicalPairs, foldAdditive, type CanonicalPair } from './pair-terms.js';

/** lo <= Σ_t rows[t][g[nodes[t]]] <= hi over the nodes the sum touches, slack included. */
export interface SparseSum {
  readonly nodes: readonly number[];
  /** One row per touched node, indexed by block. */
  readonly rows: readonly Float64Array[];
  readonly lo: number;
  readonly hi: number;
}

/**
 * Maximise Σ values[i][g_i] + Σ pairs over genomes (one block per node) that keep every limit and rule. branchAndBound
 * relaxes the limits by Lagrange multipliers and uses the rules only to propagate.
 */
export interface ChoiceProgram {
  readonly radix: readonly number[];
  readonly values: Table;
  readonly pairs: readonly CanonicalPair[];
  /** Limits in dense form (weights[l][i][a]) with their capacities, and the same as sums. */
  readonly weights: readonly Table[];
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
  return {
    radix,
    values: folded.values,
    pairs: folded.pairs,
    weights: limits.map((l) => l.model.values),
    caps,
    limits: limits.map((l, k) => limitSum(l.model.values, caps[k]!)),
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

  constructor(program: ChoiceProgram) {
    this.sums = [...program.limits, ...program.rules];
    this.byNode = program.radix.map(() => []);
    this.eps = Float64Array.from(this.sums, (s, k) => {
      let size = Math.max(Number.isFinite(s.lo) ? Math.abs(s.lo) : 0, Number.isFinite(s.hi) ? Math.abs(s.hi) : 0);
      s.rows.forEach((row, t) => {
        this.byNode[s.nodes[t]!]!.push(k);
        for (const v of row) size = Math.max(size, Math.abs(v));
      });
      return 1e-13 * size * (s.nodes.length + 1);
    });
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
    const dirty = new Uint8Array(this.sums.length);
    const queue: number[] = [];
    const mark = (node: number) => {
      for (const k of this.byNode[node]!) {
        if (dirty[k]) continue;
        dirty[k] = 1;
        queue.push(k);
      }
    };
    for (const node of changed) mark(node);
    while (queue.length > 0) {
      const k = queue.pop()!;
      dirty[k] = 0;
      const s = this.sums[k]!;
      const eps = this.eps[k]!;
      const m = s.nodes.length;
      const mins = new Float64Array(m);
      const maxs = new Float64Array(m);
      let sumMin = 0;
      let sumMax = 0;
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
        sumMin += lo;
        sumMax += hi;
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
        mark(node);
      }
    }
    return true;
  }

  /** Whether a complete genome keeps every sum, summed in node order as enumeration sums. */
  holds(g: Genome): boolean {
    return this.sums.every((s) => {
      let v = 0;
      for (let t = 0; t < s.nodes.length; t++) v += s.rows[t]![g[s.nodes[t]!]!]!;
      return v >= s.lo && v <= s.hi;
    });
  }
}

/**
 * Drops block a of a node without pair terms when another block b of it has the same coefficient in every rule, no
 * more of any limit, and a value either higher by more than `margin` (a is in no optimum) or at least as high with
 * b < a (a is in no optimum that comes first in rank order); the swap a → b keeps every rule and limit. Returns the
 * nodes whose domains shrank.
 */
export function dropDominated(p: ChoiceProgram, d: Domains, margin: number): number[] {
  const paired = new Set(p.pairs.flatMap((q) => [q.i, q.j]));
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
