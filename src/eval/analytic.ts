import type { Genome } from '../space/types.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';

/** An architecture's computed cost. */
export interface AnalyticCost {
  /** Multiply-accumulates of one inference, in millions. */
  readonly macs: number;
  /** Learnable scalars. */
  readonly params: number;
  /** Early exits: name (exit1, ...) and the MACs (millions) of the sub-network ending at that exit. */
  readonly exits?: readonly { readonly name: string; readonly macs: number }[];
}

export const ANALYTIC_METRICS: readonly MetricInfo[] = [
  {
    id: 'flops',
    kind: 'flops',
    unit: 'M',
    source: 'computed',
    description: 'multiply-accumulates of convolutions and linear layers (BN, activations, pooling, additions not counted), every head included',
  },
  { id: 'params', kind: 'params', unit: 'M', source: 'computed', description: 'learnable parameters, millions (BN running statistics excluded)' },
];

/**
 * FLOPs and params counted from the architecture's definition: nothing is built, trained or timed. Networks with
 * early exits also get `flops-<exit>` (e.g. flops-exit1): the MACs of the shallower sub-network ending there.
 */
export function createAnalyticEvaluator(name: string, cost: (genome: Genome) => AnalyticCost): Evaluator {
  return {
    name: `analytic-${name}`,
    provides: ANALYTIC_METRICS,
    async evaluate(archs) {
      return archs.map((g): Metrics => {
        const c = cost(g);
        const out: Record<string, number> = { flops: c.macs, params: c.params / 1e6 };
        for (const e of c.exits ?? []) out[`flops-${e.name}`] = e.macs;
        return out;
      });
    },
  };
}
