import { blockRidge, type BlockRidgeOptions } from './block-ridge.js';
import { gradientBoosting, type BoostingOptions } from './boosting.js';
import { randomForest, type ForestOptions } from './forest.js';
import { gaussianProcess, type GpOptions } from './gp.js';
import { mlpSurrogate, type MlpOptions } from './mlp.js';
import { rankTarget } from './rank-target.js';
import { rbfSurrogate, type RbfOptions } from './rbf.js';
import type { Surrogate } from './types.js';

export interface SurrogateOptionsByKind {
  readonly mlp: MlpOptions;
  readonly rbf: RbfOptions;
  readonly gp: GpOptions;
  readonly forest: ForestOptions;
  readonly boosting: BoostingOptions;
  readonly ridge: BlockRidgeOptions;
}

export type SurrogateKind = keyof SurrogateOptionsByKind;

/** The one place a surrogate is made from a name (CLI, configs); each kind takes its own typed options. */
export const SURROGATES: { readonly [K in SurrogateKind]: (options: SurrogateOptionsByKind[K]) => Surrogate } = {
  mlp: mlpSurrogate,
  rbf: rbfSurrogate,
  gp: gaussianProcess,
  forest: randomForest,
  boosting: gradientBoosting,
  ridge: blockRidge,
};

export function createSurrogate<K extends SurrogateKind>(kind: K, options: SurrogateOptionsByKind[K]): Surrogate {
  const make: (o: SurrogateOptionsByKind[K]) => Surrogate = SURROGATES[kind];
  return make(options);
}

export interface PoolOptions {
  /**
   * Wrap the nonlinear models in rankTarget. The block ridge is left as it is: its own candidates already include
   * rank-target fits, chosen by cross-validation.
   */
  readonly rankTarget?: boolean;
}

/** The candidate pool of adaptive selection: one of each family, at its defaults, seeded alike. */
export function defaultSurrogates(radix: readonly number[], seed = 0, options: PoolOptions = {}): Surrogate[] {
  const wrap = options.rankTarget ? (s: Surrogate) => rankTarget(s) : (s: Surrogate) => s;
  return [
    blockRidge({ radix, seed }),
    ...[
      mlpSurrogate({ radix, seed }),
      rbfSurrogate({ radix }),
      gaussianProcess({ radix }),
      randomForest({ radix, seed }),
      gradientBoosting({ radix, seed }),
    ].map(wrap),
  ];
}
