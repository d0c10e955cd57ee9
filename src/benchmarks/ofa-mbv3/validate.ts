import type { Metrics } from '../../core/metrics.js';
import type { BlockTable } from '../../core/block-table.js';
import { sampleGenome } from '../../predict/estimators/design.js';
import { predictMetric } from '../../predict/predict.js';
import { createRng } from '../../random.js';
import type { Genome } from '../../space/types.js';
import { spearman } from '../../stats/rank.js';
import type { OfaMbv3Benchmark } from './index.js';
import { sampleOfaGenome } from './sample.js';

/**
 * How test networks are drawn: `ofa` as once-for-all samples sub-networks (depth uniform in 2-4 per stage),
 * `uniform` uniformly over the valid genomes (= over distinct networks; 89 % of the stages then have depth 4).
 */
export type OfaSampler = 'ofa' | 'uniform';

/** A fixed test set: `n` valid genomes drawn with `seed` (duplicates possible but rare at ~10^20 networks). */
export function ofaTestSet(bench: OfaMbv3Benchmark, n: number, seed: number, sampler: OfaSampler): Genome[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => (sampler === 'ofa' ? sampleOfaGenome(bench.space, rng) : sampleGenome(bench.space, rng)));
}

export interface SampleCheck {
  readonly metric: string;
  readonly count: number;
  readonly spearman: number;
  /** Mean absolute percentage error of the prediction against the truth. */
  readonly mape: number;
}

/** Block-table predictions against true metrics on a sample of networks, metric by metric. */
export function checkOnSample(table: BlockTable, bench: OfaMbv3Benchmark, genomes: readonly Genome[], truth: readonly Metrics[]): SampleCheck[] {
  return table.metrics.map((t) => {
    const pred = genomes.map((g) => predictMetric(t, bench.space, g));
    const real = truth.map((m) => m[t.metric]!);
    const mape = (100 * pred.reduce((s, p, i) => s + Math.abs(p - real[i]!) / Math.abs(real[i]!), 0)) / pred.length;
    return { metric: t.metric, count: pred.length, spearman: spearman(pred, real), mape };
  });
}
