import type { AdditiveModel, PairTerm } from '../../src/core/additive.js';
import type { Rng } from '../../src/random.js';
import type { ChoiceTerm, CouplingRule } from '../../src/space/types.js';
import type { Limit, Problem } from '../../src/search/problem.js';

/** Shape of a random search problem, for solver cross-checks and benchmarks. */
export interface RandomProblemOptions {
  readonly nodes: readonly [number, number];
  readonly blocks: readonly [number, number];
  readonly limits: readonly [number, number];
  readonly rules: readonly [number, number];
  /** Number of pairwise interaction terms in the objective (default none). */
  readonly pairs?: readonly [number, number];
  /** Number of pairwise interaction terms in each limit (default none). */
  readonly limitPairs?: readonly [number, number];
  /** FLOPs-scaled objective (positive denominators); a negative reference with probability negativeReference. */
  readonly fractional?: boolean;
  readonly negativeReference?: number;
}

const DEFAULTS: RandomProblemOptions = { nodes: [3, 6], blocks: [2, 5], limits: [1, 3], rules: [0, 3] };

function between(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + rng.int(hi - lo + 1);
}

function randomModel(rng: Rng, radix: readonly number[], lo: number, hi: number): AdditiveModel {
  return {
    intercept: lo + (hi - lo) * rng.next(),
    values: radix.map((r) => Array.from({ length: r }, () => lo + (hi - lo) * rng.next())),
  };
}

/** Smallest and largest value over the product space, each pair term at its own extreme (so a loose range with pairs). */
function range(model: AdditiveModel, pairs: readonly PairTerm[] = []): { min: number; max: number } {
  let min = model.intercept;
  let max = model.intercept;
  for (const row of [...model.values, ...pairs.map((p) => p.values.flat())]) {
    min += Math.min(...row);
    max += Math.max(...row);
  }
  return { min, max };
}

/**
 * A rule over 2-4 random indicators with coefficients in {-1, 1, 2}, made to hold at `anchor` so that the rules
 * together stay satisfiable; limits then decide feasibility, which is what the infeasible path needs exercised.
 */
function randomRule(rng: Rng, radix: readonly number[], anchor: readonly number[], k: number): CouplingRule {
  const terms: ChoiceTerm[] = Array.from({ length: 2 + rng.int(3) }, () => {
    const node = rng.int(radix.length);
    return { node, block: rng.int(radix[node]!), coef: [-1, 1, 2][rng.int(3)]! };
  });
  let lhs = 0;
  for (const t of terms) if (anchor[t.node] === t.block) lhs += t.coef;
  const op = (['<=', '>=', '='] as const)[rng.int(3)]!;
  const rhs = op === '=' ? lhs : op === '<=' ? lhs + rng.int(2) : lhs - rng.int(2);
  return { name: `r${k}`, terms, op, rhs };
}

/** Interactions between two distinct nodes, in either order, of either sign. */
function randomPair(rng: Rng, radix: readonly number[]): PairTerm {
  const i = rng.int(radix.length);
  const j = (i + 1 + rng.int(radix.length - 1)) % radix.length;
  const values = Array.from({ length: radix[i]! }, () => Array.from({ length: radix[j]! }, () => 0.6 * rng.next() - 0.3));
  return { i, j, values };
}

/** A seeded random problem: limits land between each metric's extremes, so some instances are infeasible. */
export function randomProblem(rng: Rng, options: Partial<RandomProblemOptions> = {}): Problem {
  const o = { ...DEFAULTS, ...options };
  const radix = Array.from({ length: between(rng, o.nodes) }, () => between(rng, o.blocks));
  const anchor = radix.map((r) => rng.int(r));
  const limits: Limit[] = Array.from({ length: between(rng, o.limits) }, (_, k) => {
    const model = randomModel(rng, radix, 0, 1);
    const count = o.limitPairs && radix.length > 1 ? between(rng, o.limitPairs) : 0;
    const pairs = Array.from({ length: count }, () => randomPair(rng, radix));
    const { min, max } = range(model, pairs);
    return { metric: `m${k}`, model, max: min + (max - min) * (0.15 + 0.7 * rng.next()), ...(count > 0 ? { pairs } : {}) };
  });
  const rules = Array.from({ length: between(rng, o.rules) }, (_, k) => randomRule(rng, radix, anchor, k));
  const model = randomModel(rng, radix, 0, 1);
  const pairCount = o.pairs && radix.length > 1 ? between(rng, o.pairs) : 0;
  const pairs = Array.from({ length: pairCount }, () => randomPair(rng, radix));
  const withPairs = pairs.length > 0 ? { pairs } : {};
  if (!o.fractional) return { radix, objective: { model, ...withPairs }, limits, rules };
  const negative = rng.next() < (o.negativeReference ?? 0);
  const reference = (negative ? -1 : 1) * (1 + 9 * rng.next());
  const denominator = randomModel(rng, radix, 0.5, 10);
  return { radix, objective: { model, ...withPairs, scale: { reference, denominator } }, limits, rules };
}
