import { type AnalyticCost, createAnalyticEvaluator } from '../../eval/analytic.js';
import { createLatencyEvaluator, type LatencySettings } from '../../eval/latency.js';
import { createTrainEvaluator, type TrainSettings } from '../../eval/train.js';
import type { Evaluator } from '../../core/metrics.js';
import type { Genome } from '../../space/types.js';
import { mbv3Cost } from '../../tfjs/mbv3/cost.js';
import { createMbv3Net, type Mbv3Net } from '../../tfjs/mbv3/net.js';
import { mbv3MiniConfig } from './space.js';

/** The network of a mbv3-mini genome, with seeded initial weights. */
export function buildMbv3Mini(g: Genome, seed: number): Mbv3Net {
  return createMbv3Net(mbv3MiniConfig(g), seed);
}

export function mbv3MiniCost(g: Genome): AnalyticCost {
  const c = mbv3Cost(mbv3MiniConfig(g));
  const exits = c.heads.slice(0, -1).map((h) => ({ name: `exit${h.afterStage + 1}`, macs: h.macs }));
  return { macs: c.macs, params: c.params, exits };
}

export interface Mbv3MiniEvaluatorOptions {
  readonly train?: Partial<TrainSettings>;
  readonly latency?: Partial<LatencySettings>;
  readonly log?: (line: string) => void;
}

/** The three evaluators for mbv3-mini: trained accuracy (measured), latency (measured), FLOPs and params (computed). */
export function mbv3MiniEvaluators(options: Mbv3MiniEvaluatorOptions = {}): { train: Evaluator; latency: Evaluator; analytic: Evaluator } {
  return {
    train: createTrainEvaluator({ build: buildMbv3Mini, settings: options.train, ...(options.log ? { log: options.log } : {}) }),
    latency: createLatencyEvaluator({ build: buildMbv3Mini, settings: options.latency }),
    analytic: createAnalyticEvaluator('mbv3-mini', mbv3MiniCost),
  };
}
