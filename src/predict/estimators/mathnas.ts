import { createOracle } from '../../eval/oracle.js';
import type { Metrics } from '../../core/metrics.js';
import type { Genome } from '../../space/types.js';
import type { MetricTable } from '../../core/block-table.js';
import { additive, type AdditiveModel } from '../../core/additive.js';
import { isOwnEffectiveForm } from '../../space/space.js';
import { averageFlopsBase, baseRng, switchNetworks } from './design.js';
import { disconnectedAccuracy } from './graph.js';
import { estimatedTable, type Estimator } from './types.js';

/**
 * MathNAS as published (Algorithm 1): one base network of average FLOPs; every block's performance is the change
 * measured when that one block is switched in the base; m·(n-1)+1 evaluated networks. Accuracy changes are
 * FLOPs-scaled (Eq. 5): a change measured on a network of FLOPs F counts F/F_base of it at the base, and a
 * network N gets F_base/F(N) of the base change.
 */
export const mathnasEstimator: Estimator = {
  name: 'mathnas',
  description: 'MathNAS Algorithm 1: switch one block at a time in the average-FLOPs base network (Eq. 5)',
  async estimate(req) {
    const oracle = createOracle(req.evaluator, req.budget);
    const accept = req.graphAware ? isOwnEffectiveForm(req.space) : undefined;
    const base = averageFlopsBase(req.space, req.flops, accept, baseRng(req.seed));
    const switches = switchNetworks(req.space, base);
    const total = switches.length + 1;
    req.onProgress?.(0, total);
    const [baseM, ...switchM] = await oracle.evaluate([base, ...switches.map((s) => s.genome)]);
    req.onProgress?.(oracle.evaluated, total);
    const tables: MetricTable[] = [req.accuracy, ...req.costs].map((metric) => {
      const isAcc = metric === req.accuracy;
      const scaleBy = isAcc ? req.flops : undefined;
      return switchTable(metric, base, baseM!, switches, switchM, scaleBy);
    });
    if (req.graphAware) {
      const disconnected = await disconnectedAccuracy(req.space, oracle, req.accuracy);
      tables[0] = { ...tables[0]!, graph: { disconnected } };
    }
    return estimatedTable(req, 'mathnas', { evaluated: oracle.evaluated, base, metrics: tables });
  },
};

function switchTable(
  metric: string,
  base: Genome,
  baseM: Metrics,
  switches: readonly { node: number; block: number; genome: Genome }[],
  switchM: readonly Metrics[],
  flops: AdditiveModel | undefined,
): MetricTable {
  const b0 = baseM[metric]!;
  const values = base.map(() => [] as number[]);
  base.forEach((blk, i) => (values[i]![blk] = 0));
  const fBase = flops ? additive(flops, base) : 1;
  switches.forEach((s, k) => {
    const delta = switchM[k]![metric]! - b0;
    values[s.node]![s.block] = flops ? (delta * additive(flops, s.genome)) / fBase : delta;
  });
  return {
    metric,
    intercept: b0,
    values,
    ...(flops ? { scale: { reference: fBase, denominator: flops } } : {}),
  };
}
