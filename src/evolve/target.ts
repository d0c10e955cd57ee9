import type { TabularBenchmark } from '../core/tabular-benchmark.js';
import type { Evaluator, MetricInfo, Metrics, ZeroCostProxy } from '../core/metrics.js';
import type { Genome, SearchSpace } from '../space/types.js';
import type { ObjectiveSpec } from './problem.js';

/**
 * What evolutionary search runs on: a space, the metrics its evaluator can return, and, for a tabular benchmark,
 * every architecture's objectives, which make the true Pareto front (and so the hypervolume to reach) exact.
 */
export interface EvolveTarget {
  readonly name: string;
  readonly space: SearchSpace;
  readonly metrics: readonly MetricInfo[];
  evaluator(metricIds: readonly string[]): Evaluator;
  /** Minimised objective vectors of every architecture in the space, when it can be enumerated. */
  allObjectives?(objectives: readonly ObjectiveSpec[]): number[][];
  /**
   * NATv2's post-processing: fine-tune the networks found and measure them again; or why this target cannot.
   * `run` returns each network's metrics after fine-tuning.
   */
  readonly fineTune:
    | { readonly available: false; readonly reason: string }
    | { readonly available: true; run(archs: readonly Genome[], epochs: number, signal?: AbortSignal): Promise<Metrics[]> };
  /** A zero-cost proxy of accuracy that NATv2 may use (src/evolve/proxy.ts), where the target has one. */
  readonly proxy?: ZeroCostProxy;
  /** Names the evaluator's settings, for the store (default: the space and objectives). */
  readonly key?: string;
  /** Frees what the evaluator holds (worker threads). */
  close?(): Promise<void>;
}

export function tabularTarget(bench: TabularBenchmark): EvolveTarget {
  return {
    name: bench.name,
    space: bench.space,
    metrics: bench.metrics,
    evaluator: (ids) => bench.evaluator(ids),
    ...(bench.proxy ? { proxy: bench.proxy } : {}),
    allObjectives(objectives) {
      const cols = objectives.map((o) => bench.values(o.metric));
      return bench.genomes.map((_, i) => objectives.map((o, j) => (o.sense === 'max' ? -cols[j]![i]! : cols[j]![i]!)));
    },
    fineTune: {
      available: false,
      reason: `${bench.name} is a tabular benchmark: it looks published results up and cannot train or fine-tune a network`,
    },
  };
}
