import type { Evaluator, MetricInfo, ZeroCostProxy } from './metrics.js';
import type { AdditiveModel } from './additive.js';
import type { Genome, SearchSpace } from '../space/types.js';

/**
 * A benchmark whose every architecture has known metrics: ground truth for validating predictors and searches.
 */
export interface TabularBenchmark {
  readonly name: string;
  readonly space: SearchSpace;
  readonly datasets: readonly string[];
  readonly devices: readonly string[];
  readonly metrics: readonly MetricInfo[];
  /** Every architecture, in the benchmark's own index order. */
  readonly genomes: readonly Genome[];
  /** The benchmark's own index of an architecture. */
  indexOf(g: Genome): number;
  /** The metric's value for every architecture, by index (NaN where the source has none). */
  values(metricId: string): Float64Array;
  /** An evaluator that looks metrics up in the table. */
  evaluator(metricIds: readonly string[]): Evaluator;
  /** A zero-cost proxy for every architecture, when the benchmark publishes one. */
  readonly proxy?: ZeroCostProxy;
  /** Analytic FLOPs model (MFLOPs, exactly additive over nodes) of the network for `dataset`, when known. */
  flopsModel?(dataset: string): AdditiveModel;
}

export function metricIdFor(kind: 'accuracy' | 'latency' | 'energy', qualifier: string): string {
  return `${kind}:${qualifier}`;
}
