import type { PairTerm } from '../core/additive.js';
import type { CouplingRule, Genome } from '../space/types.js';
import { limitValue, objectiveValue, type Problem, type Solution } from './problem.js';

/** Slack on a rule, as in space.ts ruleHolds: rule coefficients are small exact numbers. */
export const RULE_TOLERANCE = 1e-9;

/**
 * Slack on a limit, relative to its size. Both solvers accept value <= max + limitTolerance(max), so a genome whose
 * sum lands on the limit up to rounding (e.g. a sweep that starts at the smallest achievable value) counts as
 * feasible in both, and they agree on which architectures are allowed.
 */
export function limitTolerance(max: number): number {
  return 1e-9 * Math.max(1, Math.abs(max));
}

/** Coefficient of each (node, block) indicator in a rule; duplicate terms add up. */
export function ruleTable(rule: CouplingRule, radix: readonly number[]): number[][] {
  const table = radix.map((r) => new Array<number>(r).fill(0));
  for (const t of rule.terms) table[t.node]![t.block]! += t.coef;
  return table;
}

/** Bounds lo <= lhs <= hi of a rule, with its slack. */
export function ruleBounds(rule: CouplingRule): { lo: number; hi: number } {
  const lo = rule.op === '<=' ? -Infinity : rule.rhs - RULE_TOLERANCE;
  const hi = rule.op === '>=' ? Infinity : rule.rhs + RULE_TOLERANCE;
  return { lo, hi };
}

/** Pair terms grouped by the later of their two nodes, in their given order: where enumeration adds each one. */
export function pairsByLaterNode(pairs: readonly PairTerm[] | undefined, n: number): PairTerm[][] {
  const out: PairTerm[][] = Array.from({ length: n }, () => []);
  for (const p of pairs ?? []) out[Math.max(p.i, p.j)]!.push(p);
  return out;
}

/**
 * Σ values[i][g_i] plus the pair terms, summed in enumeration's order (node by node, each pair right after its later
 * node), so the branch and bound's leaf test rounds exactly as enumeration's and both accept the same genomes.
 */
export function orderedSum(values: readonly (readonly number[])[], pairsAt: readonly (readonly PairTerm[])[], g: Genome): number {
  let s = 0;
  for (let d = 0; d < g.length; d++) {
    s += values[d]![g[d]!]!;
    for (const p of pairsAt[d]!) s += p.values[g[p.i]!]![g[p.j]!]!;
  }
  return s;
}

/** Value of every limited metric at `g`. */
export function metricsAt(problem: Problem, g: Genome): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of problem.limits) out[l.metric] = limitValue(l, g);
  return out;
}

/**
 * The infeasible answer. objective is NaN because there is no architecture to score (JSON writes it as null);
 * minAchievable is absent when the rules alone admit no architecture, since then no metric has a smallest value.
 */
export function infeasibleSolution(
  method: Solution['method'],
  solveMs: number,
  iterations: number,
  minAchievable: Record<string, number> | null,
): Solution {
  return {
    status: 'infeasible',
    genome: null,
    objective: Number.NaN,
    metrics: {},
    solveMs,
    iterations,
    method,
    ...(minAchievable ? { minAchievable } : {}),
  };
}

/** The optimal answer, its objective and limited metrics recomputed exactly from the models. */
export function optimalSolution(
  problem: Problem,
  genome: Genome,
  method: Solution['method'],
  solveMs: number,
  iterations: number,
): Solution {
  return {
    status: 'optimal',
    genome,
    objective: objectiveValue(problem.objective, genome),
    metrics: metricsAt(problem, genome),
    solveMs,
    iterations,
    method,
  };
}
