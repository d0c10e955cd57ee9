import type { Genome } from '../space/types.js';

/**
 * An additive model over block choices: value(g) = intercept + Σ_i values[i][g[i]]. This is the shape that makes
 * search an integer *linear* program.
 */
export interface AdditiveModel {
  readonly intercept: number;
  readonly values: readonly (readonly number[])[];
}

export function additive(model: AdditiveModel, g: Genome): number {
  let v = model.intercept;
  for (let i = 0; i < g.length; i++) v += model.values[i]![g[i]!]!;
  return v;
}
