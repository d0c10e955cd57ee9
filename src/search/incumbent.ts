import { pairSum, type PairTerm } from '../core/additive.js';
import { createRng } from '../random.js';
import type { CouplingRule, Genome } from '../space/types.js';
import { limitTolerance, ruleBounds, ruleTable } from './common.js';
import type { Limit } from './problem.js';

/** Maximise Σ values[i][g_i] + Σ pairs over genomes that obey the rules and limits. */
export interface IncumbentProblem {
  readonly radix: readonly number[];
  readonly values: readonly (readonly number[])[];
  readonly pairs: readonly PairTerm[];
  readonly limits: readonly Limit[];
  readonly rules: readonly CouplingRule[];
}

/** A bounded sum: Σ table[i][g_i] (+ a limit's pair terms) must lie in [lo, hi]; scale turns excess into a unitless violation. */
interface Bounded {
  readonly table: readonly (readonly number[])[];
  readonly pairs?: readonly PairTerm[] | undefined;
  readonly lo: number;
  readonly hi: number;
  readonly scale: number;
}

/** Random restarts (kicks) after the first local optimum; each costs a few 2-opt scans. */
const KICKS = 12;
/** Cap on scored moves, so that large spaces spend milliseconds here, not seconds. */
const MOVE_BUDGET = 150_000;

function spreadOf(table: readonly (readonly number[])[]): number {
  const s = table.reduce((acc, row) => acc + Math.max(...row) - Math.min(...row), 0);
  return s > 0 ? s : 1;
}

/**
 * Local search for a good feasible genome: from a few starts, best-improvement moves that change one node's block or
 * two nodes' blocks at once, ranking first by constraint violation and then by objective, followed by random kicks.
 * It proves nothing; ilp.ts gives its answer to HiGHS as a start, which then only has to prove it optimal or beat
 * it. Returns null when no feasible genome was met.
 */
export function findIncumbent(p: IncumbentProblem, seeds: readonly Genome[] = []): number[] | null {
  const { radix, values } = p;
  const n = radix.length;
  const bounded: Bounded[] = [
    ...p.limits.map((l) => ({
      table: l.model.values,
      pairs: l.pairs && l.pairs.length > 0 ? l.pairs : undefined,
      lo: -Infinity,
      hi: l.max - l.model.intercept + limitTolerance(l.max),
      scale: spreadOf(l.model.values),
    })),
    ...p.rules.map((r) => {
      const table = ruleTable(r, radix);
      return { table, ...ruleBounds(r), scale: spreadOf(table) };
    }),
  ];
  const nb = bounded.length;
  // Per bounded sum with pair terms, the terms at each node.
  const pairAdj = bounded.map((b) => (b.pairs ? radix.map((_, i) => b.pairs!.filter((q) => q.i === i || q.j === i)) : null));
  const touches = bounded.map((b, k) => radix.map((_, i) => b.table[i]!.some((v) => v !== 0) || (pairAdj[k]?.[i]!.length ?? 0) > 0));
  const touching = radix.map((_, i) => bounded.flatMap((_, k) => (touches[k]![i] ? [k] : [])));
  const adjacent = radix.map((_, i) => p.pairs.flatMap((q, k) => (q.i === i || q.j === i ? [k] : [])));
  const pairValue = (q: PairTerm, a: number, b: number) => q.values[a]![b]!;

  const g = new Array<number>(n).fill(0);
  const sums = new Float64Array(nb);
  let moves = 0;
  const excess = (k: number, s: number) => {
    const b = bounded[k]!;
    return (Math.max(0, b.lo - s) + Math.max(0, s - b.hi)) / b.scale;
  };
  const violation = () => {
    let v = 0;
    for (let k = 0; k < nb; k++) v += excess(k, sums[k]!);
    return v;
  };
  const load = (start: Genome) => {
    for (let i = 0; i < n; i++) g[i] = start[i]!;
    bounded.forEach((b, k) => (sums[k] = g.reduce((s, a, i) => s + b.table[i]![a]!, 0) + pairSum(b.pairs, g)));
  };
  /** Change in the pair terms of sum k when node i takes block a and (unless j < 0) node j takes block b. */
  const pairChange = (k: number, i: number, a: number, j: number, b: number) => {
    const adj = pairAdj[k];
    if (!adj) return 0;
    let d = 0;
    for (const q of adj[i]!) {
      const u = q.i === i ? a : q.i === j ? b : g[q.i]!;
      const v = q.j === i ? a : q.j === j ? b : g[q.j]!;
      d += q.values[u]![v]! - q.values[g[q.i]!]![g[q.j]!]!;
    }
    if (j < 0) return d;
    for (const q of adj[j]!) {
      if (q.i === i || q.j === i) continue;
      const u = q.i === j ? b : g[q.i]!;
      const v = q.j === j ? b : g[q.j]!;
      d += q.values[u]![v]! - q.values[g[q.i]!]![g[q.j]!]!;
    }
    return d;
  };
  const objective = () => {
    let f = 0;
    for (let i = 0; i < n; i++) f += values[i]![g[i]!]!;
    for (const q of p.pairs) f += pairValue(q, g[q.i]!, g[q.j]!);
    return f;
  };
  const apply = (i: number, a: number) => {
    for (let k = 0; k < nb; k++) sums[k] = sums[k]! + bounded[k]!.table[i]![a]! - bounded[k]!.table[i]![g[i]!]! + pairChange(k, i, a, -1, 0);
    g[i] = a;
  };
  /** Objective change of moving node i alone to block a, the other nodes as they are. */
  const single = (i: number, a: number) => {
    let d = values[i]![a]! - values[i]![g[i]!]!;
    for (const k of adjacent[i]!) {
      const q = p.pairs[k]!;
      if (q.i === i) d += pairValue(q, a, g[q.j]!) - pairValue(q, g[i]!, g[q.j]!);
      else d += pairValue(q, g[q.i]!, a) - pairValue(q, g[q.i]!, g[i]!);
    }
    return d;
  };
  /** What single() misses when nodes i < j both move: their shared pair terms at the new blocks. */
  const joint = (i: number, a: number, j: number, b: number) => {
    let d = 0;
    const gi = g[i]!;
    const gj = g[j]!;
    for (const k of adjacent[i]!) {
      const q = p.pairs[k]!;
      if (q.i === i && q.j === j) {
        d += pairValue(q, a, b) - pairValue(q, a, gj) - pairValue(q, gi, b) + pairValue(q, gi, gj);
      } else if (q.i === j && q.j === i) {
        d += pairValue(q, b, a) - pairValue(q, b, gi) - pairValue(q, gj, a) + pairValue(q, gj, gi);
      }
    }
    return d;
  };
  /** Change in violation of constraint k when node i takes block a and (unless j < 0) node j takes block b. */
  const excessChange = (k: number, i: number, a: number, j: number, b: number) => {
    const t = bounded[k]!.table;
    let s = sums[k]!;
    if (touches[k]![i]) s += t[i]![a]! - t[i]![g[i]!]!;
    if (j >= 0 && touches[k]![j]) s += t[j]![b]! - t[j]![g[j]!]!;
    if (pairAdj[k]) s += pairChange(k, i, a, j, b);
    return excess(k, s) - excess(k, sums[k]!);
  };
  // No closure is created per move: under tsx every function expression pays for a name assignment.
  const violationChange = (i: number, a: number, j: number, b: number) => {
    let d = 0;
    for (const k of touching[i]!) d += excessChange(k, i, a, j, b);
    if (j >= 0) for (const k of touching[j]!) if (!touches[k]![i]) d += excessChange(k, i, a, j, b);
    return d;
  };
  // Violation first (with slack for rounding in the running sums), then objective.
  const better = (dv: number, df: number, bv: number, bf: number) => dv < bv - 1e-12 || (dv <= bv + 1e-12 && df > bf);

  /** Best-improvement descent over 1-moves, then 2-moves, until neither improves. */
  const descend = () => {
    const delta = radix.map((r) => new Float64Array(r));
    for (;;) {
      if (moves > MOVE_BUDGET) return;
      let bv = 0;
      let bf = 1e-12 * (1 + Math.abs(objective()));
      let move: number[] | null = null;
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < radix[i]!; a++) {
          if (a === g[i]) continue;
          moves++;
          const df = (delta[i]![a] = single(i, a));
          const dv = violationChange(i, a, -1, 0);
          if (better(dv, df, bv, bf)) [bv, bf, move] = [dv, df, [i, a]];
        }
      }
      if (!move) {
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            for (let a = 0; a < radix[i]!; a++) {
              if (a === g[i]) continue;
              for (let b = 0; b < radix[j]!; b++) {
                if (b === g[j]) continue;
                moves++;
                const df = delta[i]![a]! + delta[j]![b]! + joint(i, a, j, b);
                const dv = violationChange(i, a, j, b);
                if (better(dv, df, bv, bf)) [bv, bf, move] = [dv, df, [i, a, j, b]];
              }
            }
          }
        }
      }
      if (!move) return;
      apply(move[0]!, move[1]!);
      if (move.length > 2) apply(move[2]!, move[3]!);
    }
  };

  let bestGenome: number[] | null = null;
  let bestValue = -Infinity;
  const consider = () => {
    // Re-summed from scratch so drift in the running sums cannot pass off an infeasible genome.
    load([...g]);
    if (violation() > 0) return;
    const f = objective();
    if (f > bestValue) [bestValue, bestGenome] = [f, [...g]];
  };

  const argBest = (rows: readonly (readonly number[])[]) => rows.map((row) => row.indexOf(Math.max(...row)));
  const cheapest = radix.map((r, i) => {
    const limits = bounded.slice(0, p.limits.length);
    const cost = Array.from({ length: r }, (_, a) => limits.reduce((s, b) => s + b.table[i]![a]! / b.scale, 0));
    return cost.indexOf(Math.min(...cost));
  });
  const starts: Genome[] = [...seeds, argBest(values), cheapest];
  for (const s of starts) {
    load(s);
    descend();
    consider();
  }
  const rng = createRng(0x1eaf);
  for (let k = 0; k < KICKS && moves <= MOVE_BUDGET; k++) {
    load(bestGenome ?? starts[starts.length - 1]!);
    for (let m = 0; m < 3; m++) {
      const i = rng.int(n);
      apply(i, rng.int(radix[i]!));
    }
    descend();
    consider();
  }
  return bestGenome;
}
