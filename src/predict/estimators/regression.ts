import type { Metrics } from '../../core/metrics.js';
import { createOracle } from '../../eval/oracle.js';
import { createRng } from '../../random.js';
import { genomeKey, isOwnEffectiveForm, radices } from '../../space/space.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import type { MetricTable } from '../../core/block-table.js';
import { defaultCandidates, fitBlocks, type Copies, type RidgeCandidate } from '../fit.js';
import { averageFlopsBase, baseRng, coveringNetworks, sampleGenome, switchNetworks } from './design.js';
import { disconnectedMetrics } from './graph.js';
import { costCandidates, describeCostCandidate, fitCostMetric } from '../cost-model.js';
import { estimatedTable, type EstimateRequest, type Estimator } from './types.js';

export const REGRESSION_DEFAULT_BUDGET = 100;

/**
 * Fits one metric's block values to evaluated networks (NaN measurements and, when `effective`, disconnected
 * networks skipped), choosing among `candidates`
 * by cross-validation; with a single candidate it just fits (a refit after more networks were evaluated).
 */
export function fitMetric(
  space: SearchSpace,
  genomes: readonly Genome[],
  results: readonly Metrics[],
  metric: string,
  candidates: readonly RidgeCandidate[],
  seed: number,
  effective: boolean,
  equivalents = false,
): MetricTable {
  // Graph-aware: accuracy is a function of the effective form, so that is what is fitted.
  const rows = effective ? genomes.map((g) => space.effective!(g)) : genomes;
  const keep = genomes.map((_, i) => i).filter((i) => Number.isFinite(results[i]![metric]) && rows[i]);
  const kept = keep.map((i) => rows[i]!);
  const copies = equivalents && space.equivalents ? equivalentCopies(space, kept, effective) : undefined;
  const fit = fitBlocks(radices(space), kept, keep.map((i) => results[i]![metric]!), candidates, seed, 5, 3, copies);
  return {
    metric,
    intercept: fit.intercept,
    values: fit.values,
    ...(fit.candidate.pairs ? { pairs: fit.pairs } : {}),
    ...(fit.link ? { link: fit.link } : {}),
    fit: fit.candidate,
    ...(copies ? { equivalents: true } : {}),
  };
}

/**
 * Every other architecture that builds the same network as a measured one (in the fitted form, each once per
 * measured network): it has that network's accuracy up to training noise, and tells the block values how blocks
 * that route the same signal relate, which a hundred networks alone rarely show.
 */
function equivalentCopies(space: SearchSpace, rows: readonly Genome[], effective: boolean): Copies {
  const out: Genome[] = [];
  const of: number[] = [];
  rows.forEach((g, i) => {
    const seen = new Set([genomeKey(g)]);
    for (const e of space.equivalents!(g)) {
      const form = effective ? space.effective!(e) : e;
      if (!form || seen.has(genomeKey(form))) continue;
      seen.add(genomeKey(form));
      out.push(form);
      of.push(i);
    }
  });
  return { rows: out, of };
}

/**
 * Beyond the paper: block values fitted by ridge regression to a budget of evaluated networks, the base's switch
 * networks plus uniform samples. Graph-aware, no evaluation is spent on two networks with one effective form, and
 * accuracy is modelled on effective forms only (latency on the networks as drawn). Cross-validation picks
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
    // One evaluation is kept for a disconnected network: its accuracy (graph-aware) and its costs (cost-model.ts).
    const needsDead = Boolean(space.effective) && (graph || req.costs.length > 0);
    const reserve = needsDead ? 1 : 0;
    const design: Genome[] = [];
    const keys = new Set<string>();
    // Networks are evaluated as drawn (their latency includes dead blocks, which the hardware computes), but two
    // with one effective form count once, since they have one accuracy.
    const add = (g: Genome) => {
      const eff = canon(g);
      if (!eff || design.length >= budget - reserve) return;
      const k = genomeKey(eff);
      if (!keys.has(k)) {
        keys.add(k);
        design.push(g);
      }
    };
    const base = averageFlopsBase(space, req.flops, graph ? isOwnEffectiveForm(space) : undefined, baseRng(req.seed));
    add(base);
    const rng = createRng(req.seed);
    const switches = switchNetworks(space, base);
    // Below 1 + Σ(n_i - 1) networks the switches would run out before the last nodes: blocks never seen get
    // arbitrary values. A few covering networks see every block instead, and the rest of the budget is sampled.
    const short = switches.length >= budget - reserve;
    for (const g of short ? coveringNetworks(space, base, rng) : switches.map((s) => s.genome)) add(g);
    const covering = design.length - 1;
    for (let tries = 0; design.length < budget - reserve && tries < 200 * budget; tries++) add(sampleGenome(space, rng));

    const results: Metrics[] = [];
    const chunk = 50;
    for (let i = 0; i < design.length; i += chunk) {
      results.push(...(await oracle.evaluate(design.slice(i, i + chunk))));
      req.onProgress?.(oracle.evaluated, budget);
    }
    // One disconnected network stands for all of them: its accuracy for a graph-aware accuracy table, its costs for
    // every cost table (cost-model.ts fits only connected networks).
    const dead = needsDead ? await disconnectedMetrics(space, oracle) : null;
    const equivalents = req.equivalents ?? Boolean(space.equivalents);
    const accuracy = fitMetric(space, design, results, req.accuracy, defaultCandidates(radices(space)), req.seed, graph, equivalents);
    // Each cost gets the model its device fits best (cost-model.ts): additive, with pair terms, or on the effective form.
    const costs = req.costs.map((metric) => {
      const value = dead?.metrics[metric];
      const disconnected = dead && value !== undefined && Number.isFinite(value) ? { genome: dead.genome, value } : undefined;
      return fitCostMetric(space, design, results, metric, req.seed, costCandidates(space), disconnected);
    });
    const tables = [graph ? { ...accuracy, graph: { disconnected: dead?.metrics[req.accuracy] ?? NaN } } : accuracy, ...costs.map((c) => c.table)];
    const acc = accuracy.fit!;
    const chosen = `${acc.rankTarget ? 'rank-target ' : ''}${acc.pairs ? 'pairs' : 'additive'} (main penalty ${acc.mainPenalty}${acc.pairs ? `, pair penalty ${acc.pairPenalty}` : ''})`;
    req.onProgress?.(oracle.evaluated, budget);
    return estimatedTable(req, 'regression', {
      evaluated: oracle.evaluated,
      base,
      metrics: tables,
      observations: {
        genomes: design.map((g) => [...g]),
        metrics: Object.fromEntries([req.accuracy, ...req.costs].map((m) => [m, results.map((r) => r[m]!)])),
      },
      notes: [
        `accuracy model: ${chosen}${equivalents && space.equivalents ? ', fitted with the equivalent architectures of every measured network' : ''}`,
        ...costs.map((c) => `${c.table.metric} model: ${describeCostCandidate(c.candidate)} (lowest cross-validated error)`),
        ...(short ? [`design: base, ${covering} covering networks and samples (the base's ${switches.length} switch networks exceed the budget)`] : []),
      ],
    });
  },
};
