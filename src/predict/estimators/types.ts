import type { Evaluator } from '../../core/metrics.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import type { BlockTable } from '../../core/block-table.js';
import type { AdditiveModel } from '../../core/additive.js';

export interface EstimateRequest {
  readonly space: SearchSpace;
  readonly evaluator: Evaluator;
  /** The metric to maximise (accuracy); predicted with FLOPs scaling and graph awareness where asked. */
  readonly accuracy: string;
  /** Cost metrics (latency, energy, ...), predicted additively from the same evaluated networks. */
  readonly costs: readonly string[];
  /** Analytic FLOPs of every architecture: picks the average-FLOPs base network and scales accuracy (Eq. 5). */
  readonly flops?: AdditiveModel;
  /** Cap on distinct evaluated networks. */
  readonly budget?: number;
  readonly seed: number;
  /** Predict accuracy on the effective architecture (requires space.effective). */
  readonly graphAware?: boolean;
  /**
   * Fit accuracy with every measured network standing for the architectures that build the same network too
   * (space.equivalents; default: where the space knows them). Regression estimator only.
   */
  readonly equivalents?: boolean;
  readonly dataset?: string;
  readonly device?: string;
  readonly onProgress?: (evaluated: number, total: number) => void;
}

export interface Estimator {
  readonly name: string;
  readonly description: string;
  estimate(req: EstimateRequest): Promise<BlockTable>;
}

export type { Genome };

/** The block table an estimator returns: the request's identity plus what the estimator found. */
export function estimatedTable(
  req: EstimateRequest,
  estimator: string,
  found: Pick<BlockTable, 'evaluated' | 'base' | 'metrics'> & Partial<Pick<BlockTable, 'observations' | 'notes'>>,
): BlockTable {
  return {
    format: 'blocknas-block-table/1',
    space: req.space.name,
    estimator: found.metrics[0]?.graph ? `${estimator}+graph` : estimator,
    ...(req.dataset ? { dataset: req.dataset } : {}),
    ...(req.device ? { device: req.device } : {}),
    seed: req.seed,
    ...found,
    base: [...found.base],
  };
}
