import { UserError } from '../../errors.js';
import type { Evaluator, MetricInfo, Metrics } from '../../core/metrics.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { subnetKey, type OfaSubnet } from './arch.js';
import { ofaMacs } from './flops.js';
import type { LatencyLut } from './lut.js';
import type { AccuracyPredictor } from './predictor.js';
import { subnetOf } from './space.js';

export const OFA_ACCURACY = 'accuracy:imagenet';
export const OFA_FLOPS = 'flops';

export function ofaMetrics(luts: readonly LatencyLut[]): MetricInfo[] {
  return [
    {
      id: OFA_ACCURACY,
      kind: 'accuracy',
      unit: '%',
      source: 'derived',
      description: "once-for-all tutorial accuracy predictor (MLP): predicted ImageNet top-1 on OFA's 10k holdout, not a measurement",
    },
    ...luts.map(
      (l): MetricInfo => ({
        id: `latency:${l.device}`,
        kind: 'latency',
        unit: 'ms',
        source: 'derived',
        description: `sum of per-layer latencies measured on ${l.device} (${l.file}); the network itself was not timed`,
      }),
    ),
    {
      id: OFA_FLOPS,
      kind: 'flops',
      unit: 'M',
      source: 'computed',
      description: 'multiply-accumulates of convolutions and linear layers, width 1.2, 1000 classes',
    },
  ];
}

/** An evaluator that also reports how many distinct networks it has computed. */
export interface OfaEvaluator extends Evaluator {
  /** Distinct sub-networks evaluated so far (genomes that compute the same network count once). */
  readonly evaluated: number;
}

/**
 * Metrics of genomes of `space`: the genome's sub-network (subnetOf: a skip is an identity layer) goes through the
 * predictor, the LUTs and the FLOPs count. Everything is computed on demand, so no genome is out of reach.
 */
export function ofaEvaluator(
  space: SearchSpace,
  predictor: AccuracyPredictor,
  luts: readonly LatencyLut[],
  metricIds: readonly string[],
): OfaEvaluator {
  const available = ofaMetrics(luts);
  const provides = metricIds.map((id) => {
    const info = available.find((m) => m.id === id);
    if (!info) throw new UserError(`ofa-mbv3 has no metric "${id}" (available: ${available.map((m) => m.id).join(', ')})`);
    return info;
  });
  const compute: Record<string, (net: OfaSubnet) => number> = {
    [OFA_ACCURACY]: (net) => 100 * predictor.predict(net),
    [OFA_FLOPS]: (net) => ofaMacs(net),
    ...Object.fromEntries(luts.map((l) => [`latency:${l.device}`, (net: OfaSubnet) => l.latency(net)])),
  };
  const seen = new Set<string>();
  return {
    name: space.name,
    provides,
    get evaluated() {
      return seen.size;
    },
    async evaluate(archs: readonly Genome[], ctx?: { signal?: AbortSignal }): Promise<Metrics[]> {
      return archs.map((g) => {
        ctx?.signal?.throwIfAborted();
        if (g.length !== space.nodes.length || g.some((b, i) => !Number.isInteger(b) || b < 0 || b >= space.nodes[i]!.blocks.length)) {
          throw new UserError(`ofa-mbv3: genome [${g.join(',')}] does not fit space ${space.name}`);
        }
        const net = subnetOf(space, g);
        seen.add(subnetKey(net));
        const m: Record<string, number> = {};
        for (const id of metricIds) m[id] = compute[id]!(net);
        return m;
      });
    },
  };
}
