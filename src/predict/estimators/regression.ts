import type { Metrics } from '../../eval/types.js';
import { createOracle } from '../../eval/oracle.js';
import { createRng } from '../../random.js';
import { genomeKey, radices } from '../../space/space.js';
import type { Genome } from '../../space/types.js';
import type { BlockTable, MetricTable } from '../block-table.js';
import { defaultCandidates, fitBlocks } from '../fit.js';
import { averageFlopsBase, sampleGenome, switchNetworks } from './design.js';
import { disconnectedAccuracy } from './graph.js';
import type { EstimateRequest, Estimator } from './types.js';

export const REGRESSION_DEFAULT_BUDGET = 100;

/**
 * Beyond the paper: block values fitted by ridge regression to a budget of evaluated networks, the base's switch
 * networks plus uniform samples. Graph-aware, every network is evaluated in its effective form (so no evaluation
 * is spent on two forms of one network) and accuracy is modelled on effective forms only. Cross-validation picks
 * between a purely additive model and one with pair terms.
 */
export const regressionEstimator: Estimator = {
  name: 'regression',
  description: 'ridge regression of block values (and pair terms, chosen by cross-validation) on sampled networks',
  async estimate(req: EstimateRequest) {
    const { space } = req;
    const budget = req.budget ?? REGRESSION_DEFAULT_BUDGET;
    const oracle = createOracle(req.evaluator, budget);
    const graph = Boolean(req.graphAware && space.effective);
    const canon = (g: Genome): Genome | null => (graph ? space.effective!(g) : g);
    const reserve = graph ? 1 : 0;
    const design: Genome[] = [];
    const keys = new Set<string>();
    const add = (g: Genome | null) => {
      if (!g || design.length >= budget - reserve) return;
      const k = genomeKey(g);
      if (!keys.has(k)) {
        keys.add(k);
        design.push(g);
      }
    };
    const base = averageFlopsBase(space, req.flops, graph ? (g) => genomeKey(canon(g) ?? []) === genomeKey(g) : undefined);
    add(base);
    for (const s of switchNetworks(space, base)) add(canon(s.genome));
    const rng = createRng(req.seed);
    for (let tries = 0; design.length < budget - reserve && tries < 200 * budget; tries++) add(canon(sampleGenome(space, rng)));

    const results: Metrics[] = [];
    const chunk = 50;
    for (let i = 0; i < design.length; i += chunk) {
      results.push(...(await oracle.evaluate(design.slice(i, i + chunk))));
      req.onProgress?.(oracle.evaluated, budget);
    }
    const radix = radices(space);
    const tables: MetricTable[] = [];
    let chosen = '';
    for (const metric of [req.accuracy, ...req.costs]) {
      const isAcc = metric === req.accuracy;
      const rows = design.filter((_, i) => Number.isFinite(results[i]![metric]));
      const y = design.map((_, i) => results[i]![metric]!).filter(Number.isFinite);
      const candidates = isAcc ? defaultCandidates(radix) : [{ pairs: false, mainPenalty: 0, pairPenalty: 0 }];
      const fit = fitBlocks(radix, rows, y, candidates, req.seed);
      if (isAcc) chosen = `${fit.candidate.rankTarget ? 'rank-target ' : ''}${fit.candidate.pairs ? 'pairs' : 'additive'} (main penalty ${fit.candidate.mainPenalty}${fit.candidate.pairs ? `, pair penalty ${fit.candidate.pairPenalty}` : ''}), out-of-fold Spearman ${fit.cvSpearman.toFixed(3)}`;
      tables.push({
        metric,
        intercept: fit.intercept,
        values: fit.values,
        ...(fit.candidate.pairs ? { pairs: fit.pairs } : {}),
        ...(fit.link ? { link: fit.link } : {}),
      });
    }
    if (graph) tables[0] = { ...tables[0]!, graph: { disconnected: await disconnectedAccuracy(space, oracle, req.accuracy) } };
    req.onProgress?.(oracle.evaluated, budget);
    return {
      format: 'blocknas-block-table/1',
      space: space.name,
      estimator: graph ? 'regression+graph' : 'regression',
      ...(req.dataset ? { dataset: req.dataset } : {}),
      ...(req.device ? { device: req.device } : {}),
      evaluated: oracle.evaluated,
      seed: req.seed,
      base: [...base],
      metrics: tables,
      notes: [`accuracy model: ${chosen}`],
    } satisfies BlockTable;
  },
};
