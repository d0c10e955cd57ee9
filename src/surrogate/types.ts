import type { Genome } from '../space/types.js';

/**
 * A regression model from architectures to one metric, refitted as search evaluates more networks (NAT, NATv2).
 * `fit` replaces any earlier fit, so one instance can be cross-validated and then refitted on all the data.
 */
export interface Surrogate {
  readonly name: string;
  fit(x: readonly Genome[], y: readonly number[]): void;
  predict(x: readonly Genome[]): Float64Array;
}

/**
 * How a genome becomes a real vector. `onehot`: one indicator per (node, block), the natural input of distance-based
 * models (block choices are categories, so every change of block is the same distance). `ordinal`: each node's block
 * index scaled to [0, 1]; trees split it into any subset of contiguous blocks, and repeated splits recover the rest.
 */
export type EncodingKind = 'onehot' | 'ordinal';

/** What every surrogate factory needs: the space's radix (blocks per node) and, optionally, the encoding. */
export interface SurrogateBaseOptions {
  readonly radix: readonly number[];
  readonly encoding?: EncodingKind;
  /** Overrides the default name (to tell configured variants apart in selection and benchmarks). */
  readonly name?: string;
}

/** A surrogate with a predictive variance as well (Gaussian process), for acquisition functions. */
export interface ProbabilisticSurrogate extends Surrogate {
  predictWithVariance(x: readonly Genome[]): { mean: Float64Array; variance: Float64Array };
}
