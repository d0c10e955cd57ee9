import type { Genome } from '../space/types.js';

/**
 * An additive model over block choices: value(g) = intercept + Σ_i values[i][g[i]]. This is the shape that makes
 * search an integer *linear* program.
 */
export interface AdditiveModel {
  readonly intercept: number;
  readonly values: readonly (readonly number[])[];
}

/** An interaction between two nodes: values[a][b] is added when node i uses block a and node j uses block b. */
export interface PairTerm {
  readonly i: number;
  readonly j: number;
  readonly values: readonly (readonly number[])[];
}

export function additive(model: AdditiveModel, g: Genome): number {
  let v = model.intercept;
  for (let i = 0; i < g.length; i++) v += model.values[i]![g[i]!]!;
  return v;
}

export function pairSum(pairs: readonly PairTerm[] | undefined, g: Genome): number {
  let v = 0;
  if (pairs) for (const p of pairs) v += p.values[g[p.i]!]![g[p.j]!]!;
  return v;
}

/** Mean of the model over the unconstrained product space (every node's blocks equally likely). */
export function productMean(model: AdditiveModel): number {
  return model.values.reduce((s, row) => s + row.reduce((a, b) => a + b, 0) / row.length, model.intercept);
}
