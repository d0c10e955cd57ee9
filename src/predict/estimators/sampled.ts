import { fieldError } from '../../errors.js';
import { createOracle } from '../../eval/oracle.js';
import { createRng } from '../../random.js';
import type { Genome } from '../../space/types.js';
import type { MetricTable } from '../../core/block-table.js';
import { additive } from '../../core/additive.js';
import { isOwnEffectiveForm } from '../../space/space.js';
import { averageFlopsBase, baseRng, dedupe, sampleGenome } from './design.js';
import { disconnectedAccuracy } from './graph.js';
import { estimatedTable, type EstimateRequest, type Estimator } from './types.js';

export const SAMPLED_DEFAULT_BUDGET = 100;

/**
 * MathNAS Eq. 3: a block's performance is the change from switching it, averaged over a sampled fraction of
 * networks instead of measured in one base. Each sampled network N costs N plus, for every node, N with that node
 * set to each other block. Accuracy changes are FLOPs-normalised to the base as in Eq. 5.
 */
export const sampledEstimator: Estimator = {
  name: 'mathnas-sampled',
  description: 'MathNAS Eq. 3: block changes averaged over sampled networks, within the budget',
  async estimate(req: EstimateRequest) {
    const budget = req.budget ?? SAMPLED_DEFAULT_BUDGET;
    const oracle = createOracle(req.evaluator, budget);
    const rng = createRng(req.seed);
    const { space } = req;
    const base = averageFlopsBase(space, req.flops, req.graphAware ? isOwnEffectiveForm(space) : undefined, baseRng(req.seed));
    const metrics = [req.accuracy, ...req.costs];
    const sums = metrics.map(() => space.nodes.map((n) => new Float64Array(n.blocks.length)));
    const [baseM] = await oracle.evaluate([base]);
    const fBase = req.flops ? additive(req.flops, base) : 1;
    let samples = 0;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const n = sampleGenome(space, rng);
      const family: Genome[][] = space.nodes.map((node, i) =>
        node.blocks.map((_, j) => {
          const g = n.slice();
          g[i] = j;
          return g;
        }),
      );
      const fresh = dedupe(family.flat()).filter((g) => !oracle.has(g)).length;
      if (fresh > oracle.remaining - (req.graphAware ? 1 : 0)) break;
      const results = await oracle.evaluate(family.flat());
      req.onProgress?.(oracle.evaluated, budget);
      let k = 0;
      const byNode = family.map((row) => row.map(() => results[k++]!));
      metrics.forEach((metric, mi) => {
        const scaled = metric === req.accuracy && req.flops;
        space.nodes.forEach((node, i) => {
          const ref = byNode[i]![base[i]!]![metric]!;
          node.blocks.forEach((_, j) => {
            const delta = byNode[i]![j]![metric]! - ref;
            sums[mi]![i]![j]! += scaled ? (delta * additive(req.flops!, family[i]![j]!)) / fBase : delta;
          });
        });
      });
      samples++;
    }
    if (samples === 0) {
      const per = 1 + space.nodes.reduce((s, n) => s + n.blocks.length - 1, 0);
      throw fieldError('budget', `${budget} is too small: mathnas-sampled needs at least ${per + 1} networks for one sample`);
    }
    const tables: MetricTable[] = metrics.map((metric, mi) => ({
      metric,
      intercept: baseM![metric]!,
      values: sums[mi]!.map((row) => Array.from(row, (v) => v / samples)),
      ...(metric === req.accuracy && req.flops ? { scale: { reference: fBase, denominator: req.flops } } : {}),
    }));
    const notes = [`averaged over ${samples} sampled networks`];
    if (req.graphAware && oracle.remaining >= 1) {
      tables[0] = { ...tables[0]!, graph: { disconnected: await disconnectedAccuracy(space, oracle, req.accuracy) } };
    }
    return estimatedTable(req, 'mathnas-sampled', { evaluated: oracle.evaluated, base, metrics: tables, notes });
  },
};
