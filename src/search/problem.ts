import { additive, pairSum, type AdditiveModel, type PairTerm } from '../core/additive.js';
import type { CouplingRule, Genome } from '../space/types.js';

/**
 * The objective to maximise. Linear: additive(model). Fractional (MathNAS Eq. 5 with FLOPs scaling):
 * intercept + reference · Σ values / additive(denominator), i.e. the block contributions are scaled by
 * reference / denominator(g); the denominator (FLOPs) must be positive over the whole space.
 */
export interface Objective {
  readonly model: AdditiveModel;
  /** Pairwise interaction terms added to the numerator (linearised exactly in the integer program). */
  readonly pairs?: readonly PairTerm[];
  readonly scale?: { readonly reference: number; readonly denominator: AdditiveModel };
}

/** additive(model)(g) + pairSum(pairs)(g) <= max (see limitValue). */
export interface Limit {
  readonly metric: string;
  readonly model: AdditiveModel;
  readonly max: number;
  /** Interactions added to the limited value, for devices whose cost is not additive over blocks. */
  readonly pairs?: readonly PairTerm[];
}

export interface Problem {
  /** Number of blocks per node. */
  readonly radix: readonly number[];
  readonly objective: Objective;
  readonly limits: readonly Limit[];
  /** Coupling rules every solution must satisfy (space rules, and effective-form rules when graph-aware). */
  readonly rules: readonly CouplingRule[];
}

export interface Solution {
  readonly status: 'optimal' | 'infeasible';
  readonly genome: Genome | null;
  /** Objective value of `genome` (exact, recomputed from the models). */
  readonly objective: number;
  /** Value of each limited metric at `genome`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall time of the whole solve in milliseconds. */
  readonly solveMs: number;
  /** Solver calls (Dinkelbach iterations for a fractional objective; 1 otherwise). */
  readonly iterations: number;
  readonly method: 'ilp' | 'ilp-dinkelbach' | 'exhaustive';
  /** For an infeasible problem: the smallest achievable value of each limited metric on its own (under the rules). */
  readonly minAchievable?: Readonly<Record<string, number>>;
}

/** The limited value of `g`: additive(model) plus the limit's pair terms (exactly additive() without them). */
export function limitValue(limit: Pick<Limit, 'model' | 'pairs'>, g: Genome): number {
  return limit.pairs ? additive(limit.model, g) + pairSum(limit.pairs, g) : additive(limit.model, g);
}

export function objectiveValue(obj: Objective, g: Genome): number {
  const { model, scale } = obj;
  let v = 0;
  for (let i = 0; i < g.length; i++) v += model.values[i]![g[i]!]!;
  if (obj.pairs) for (const p of obj.pairs) v += p.values[g[p.i]!]![g[p.j]!]!;
  if (!scale) return model.intercept + v;
  let d = scale.denominator.intercept;
  for (let i = 0; i < g.length; i++) d += scale.denominator.values[i]![g[i]!]!;
  return model.intercept + (scale.reference * v) / d;
}
