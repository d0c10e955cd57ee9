import type { MetricInfo } from '../../core/metrics.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { STAGES, SLOTS, type OfaSubnet } from './arch.js';
import { OFA_ACCURACY, OFA_FLOPS, ofaEvaluator, ofaMetrics, type OfaEvaluator } from './evaluator.js';
import { I7_LUT_FILE, loadI7Lut, loadNote10Lut, NOTE10_LUT_FILE } from './lut.js';
import { loadAccuracyPredictor, PREDICTOR_FILE } from './predictor.js';
import { createOfaMbv3Space, genomeOf, RESOLUTION_NODE, SKIP, subnetOf, type OfaSpaceOptions } from './space.js';

/**
 * The once-for-all MobileNetV3 space (width 1.2) as a benchmark whose truth comes from outside blocknas: the OFA
 * tutorial's accuracy predictor, the OFA Note10 and NSGANetV2 i7-8700K latency lookup tables, and an analytic FLOPs
 * count. The space has ~10^20 networks, so it is not a TabularBenchmark: metrics are computed on demand.
 *
 *   const ofa = loadOfaMbv3(dataDir);                  // or { resolutions: [224] } for a fixed resolution
 *   const ev = ofa.evaluator(['accuracy:imagenet', 'latency:note10']);
 *   const [m] = await ev.evaluate([ofa.space.parse('r224|k3e4,k5e6|k3e3,k3e3,k7e6|k3e3,k3e3|k5e4,k5e4|k3e6,k3e6')]);
 *
 * Genomes: node 0 is the resolution, node 1 + 4s + j is slot j of stage s (kernel x expand, or skip on slots 3-4);
 * `space.rules` keep skipped slots a suffix. The evaluator also accepts genomes that break the rules (block
 * estimators produce them by switching one node): a skip is an identity layer, see `subnetOf`.
 */
export interface OfaMbv3Benchmark {
  readonly name: string;
  readonly space: SearchSpace;
  /** accuracy:imagenet (%), latency:note10 and latency:i7-8700k (ms), flops (M multiply-accumulates). */
  readonly metrics: readonly MetricInfo[];
  /** Evaluator of the given metrics (default: all of them); `evaluated` counts distinct networks. */
  evaluator(metricIds?: readonly string[]): OfaEvaluator;
  /** The OFA sub-network {r, d, ks, e} a genome computes, and back. */
  subnet(g: Genome): OfaSubnet;
  genome(net: OfaSubnet): Genome;
}

export const OFA_MBV3_FILES = { predictor: PREDICTOR_FILE, note10: NOTE10_LUT_FILE, i7: I7_LUT_FILE } as const;
export { OFA_ACCURACY, OFA_FLOPS, type OfaEvaluator, type OfaSubnet, type OfaSpaceOptions };

/**
 * Loads the predictor and both LUTs and checks, for every resolution of the space, that the LUTs hold every layer a
 * network can run (UserError naming the missing entry otherwise), so that evaluation never fails later.
 */
export function loadOfaMbv3(dataDir: string, options: OfaSpaceOptions = {}): OfaMbv3Benchmark {
  const space = createOfaMbv3Space(options);
  const predictor = loadAccuracyPredictor(dataDir);
  const luts = [loadNote10Lut(dataDir), loadI7Lut(dataDir)];
  // A network of depth 4 with one block everywhere meets every layer key of that block at that resolution.
  space.nodes[RESOLUTION_NODE]!.blocks.forEach((_, r) => {
    for (let b = 0; b < SKIP; b++) {
      const g = [r, ...Array.from({ length: STAGES * SLOTS }, () => b)];
      for (const lut of luts) lut.latency(subnetOf(space, g));
    }
  });
  const metrics = ofaMetrics(luts);
  return {
    name: space.name,
    space,
    metrics,
    evaluator: (ids = metrics.map((m) => m.id)) => ofaEvaluator(space, predictor, luts, ids),
    subnet: (g) => subnetOf(space, g),
    genome: (net) => genomeOf(space, net),
  };
}
