import type { Evaluator } from '../../core/metrics.js';
import type { AdditiveModel } from '../../core/additive.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { createMobilenetV3Space, ofaConfig, type MobilenetV3Set } from '../../spaces/mobilenetv3/space.js';
import { readMathnasTables, stageCandidateLists } from '../mathnas-data.js';
import { activeLayers, WIDTHS, type OfaSubnet } from './arch.js';
import { layerMacs, ofaMacs } from './flops.js';
import type { OfaMbv3Benchmark } from './index.js';

/*
 * MathNAS's own granularity of the same supernet: 5 stage nodes, each one of 5 candidate stage configurations
 * (src/spaces/mobilenetv3), 224 px, 3,125 networks. Here its networks are scored by the OFA benchmark's evaluator,
 * so MathNAS's estimator can be checked on every network of the space it was published on.
 */
export const MATHNAS_RESOLUTION = 224;

export interface MathnasStagesBenchmark {
  readonly space: SearchSpace;
  evaluator(metricIds: readonly string[]): Evaluator;
  /** FLOPs (M multiply-accumulates), exactly additive over the stage nodes at a fixed resolution. */
  readonly flops: AdditiveModel;
  subnet(g: Genome): OfaSubnet;
}

/** `ofa` must have been loaded with resolution 224 in its space. */
export function mathnasStages(dataDir: string, ofa: OfaMbv3Benchmark, set: MobilenetV3Set): MathnasStagesBenchmark {
  const space = createMobilenetV3Space(set, stageCandidateLists(readMathnasTables(dataDir), set));
  const subnet = (g: Genome): OfaSubnet => ({ r: MATHNAS_RESOLUTION, ...ofaConfig(space, g) });
  // Stage boundaries have fixed shapes, so a stage's MACs do not depend on the other stages.
  const zero = space.nodes.map(() => 0);
  const stageMacs = (s: number, c: number) => {
    const g = zero.slice();
    g[s] = c;
    return activeLayers(subnet(g), WIDTHS['1.2']).filter((l) => l.stage === s).reduce((sum, l) => sum + layerMacs(l), 0) / 1e6;
  };
  const values = space.nodes.map((n, s) => n.blocks.map((_, c) => stageMacs(s, c)));
  const intercept = ofaMacs(subnet(zero)) - values.reduce((sum, row) => sum + row[0]!, 0);
  return {
    space,
    flops: { intercept, values },
    subnet,
    evaluator(metricIds) {
      const inner = ofa.evaluator(metricIds);
      return {
        name: `${space.name} (OFA truth)`,
        provides: inner.provides,
        evaluate: (archs, ctx) => inner.evaluate(archs.map((g) => ofa.genome(subnet(g))), ctx),
      };
    },
  };
}
