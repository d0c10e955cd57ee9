import type { TabularBenchmark } from '../core/tabular-benchmark.js';
import { kendallTau } from '../stats/kendall.js';
import { spearman } from '../stats/rank.js';
import type { BlockTable } from '../core/block-table.js';
import { predictMetric } from './predict.js';

export interface MetricValidation {
  readonly metric: string;
  /** Architectures compared (those with a true value). */
  readonly count: number;
  readonly spearman: number;
  readonly kendall: number;
  readonly meanAbsError: number;
}

/**
 * Both sides are ranked at 10 significant digits: sums of the same block values in another order differ in the
 * last bits, and those differences must not split ties (an exact FLOPs count would rank below 1).
 */
function tenDigits(x: number): number {
  return Number(x.toPrecision(10));
}

/** Predicted against true for every architecture of a tabular benchmark, metric by metric. */
export function validateTable(table: BlockTable, bench: TabularBenchmark): MetricValidation[] {
  return table.metrics.map((t) => {
    const truth = bench.values(t.metric);
    const pred: number[] = [];
    const real: number[] = [];
    bench.genomes.forEach((g, i) => {
      if (!Number.isFinite(truth[i]!)) return;
      pred.push(tenDigits(predictMetric(t, bench.space, g)));
      real.push(tenDigits(truth[i]!));
    });
    let mae = 0;
    pred.forEach((p, i) => (mae += Math.abs(p - real[i]!)));
    return {
      metric: t.metric,
      count: pred.length,
      spearman: spearman(pred, real),
      kendall: kendallTau(pred, real),
      meanAbsError: mae / pred.length,
    };
  });
}
