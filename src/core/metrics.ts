import type { Genome } from '../space/types.js';

export type MetricKind = 'accuracy' | 'latency' | 'energy' | 'flops' | 'params';

/**
 * A metric an evaluator can return. Ids are `kind` or `kind:qualifier`: accuracy:imagenet16-120,
 * latency:fpga, energy:fpga, flops, params.
 */
export interface MetricInfo {
  readonly id: string;
  readonly kind: MetricKind;
  readonly unit: string;
  /** Whether the figure was measured (trained, timed) or computed (analytic count, derived formula). */
  readonly source: 'measured' | 'computed' | 'derived';
  readonly description: string;
}

export type Metrics = Readonly<Record<string, number>>;

/** Anything that turns architectures into metrics: a tabular benchmark, a trainer, a latency timer. */
export interface Evaluator {
  readonly name: string;
  readonly provides: readonly MetricInfo[];
  evaluate(archs: readonly Genome[], ctx?: { signal?: AbortSignal }): Promise<Metrics[]>;
}

export function higherIsBetter(kind: MetricKind): boolean {
  return kind === 'accuracy';
}

/**
 * A score of an architecture that costs no training (a zero-cost proxy, such as jacob_cov), higher meaning a
 * network expected to train to a better accuracy; NaN where it is undefined (a network with no input-to-output
 * path). Searches may call it for any number of architectures: it does not count as an evaluation.
 */
export interface ZeroCostProxy {
  readonly id: string;
  readonly description: string;
  score(g: Genome): number;
}
