import type { Metrics } from '../core/metrics.js';
import { isOwnEffectiveForm, radices } from '../space/space.js';
import type { Genome, SearchSpace } from '../space/types.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import { pairFeatureCount } from './encoding.js';
import { cvSplits, fitCandidate, MAX_PAIR_FEATURES, outOfFold, type RidgeCandidate } from './fit.js';
import { predictMetric } from './predict.js';

/**
 * A way of predicting a cost (latency, energy) from blocks: a ridge family, over the network as drawn or over its
 * effective form (dead blocks removed, as a device whose compiler drops them runs it).
 */
export interface CostCandidate {
  readonly fit: RidgeCandidate;
  readonly effective: boolean;
}

const ADDITIVE: RidgeCandidate = { pairs: false, mainPenalty: 0, pairPenalty: 0 };

/**
 * Simplest first: a tie keeps the earlier one, so an exactly additive device (FLOPs, HW-NAS-Bench's FPGA) keeps the
 * plain additive table. No main penalty: the design sees every block; pair terms are shrunk so a short budget
 * falls back towards the additive model.
 */
export function costCandidates(space: SearchSpace): CostCandidate[] {
  const fits: RidgeCandidate[] = [ADDITIVE];
  if (pairFeatureCount(radices(space)) <= MAX_PAIR_FEATURES) {
    for (const pairPenalty of [3, 30]) fits.push({ pairs: true, mainPenalty: 1e-6, pairPenalty });
  }
  const domains = space.effective ? [false, true] : [false];
  return domains.flatMap((effective) => fits.map((fit) => ({ fit, effective })));
}

export function describeCostCandidate(c: CostCandidate): string {
  const family = c.fit.pairs ? `pair terms (penalty ${c.fit.pairPenalty})` : 'additive';
  return `${family} over ${c.effective ? 'the effective form' : 'every block'}`;
}

const FOLDS = 5;

/**
 * Which rows of a k-fold split (fold = position % folds) use a block that no training row of their fold uses: the
 * fit knows nothing of that block, so its error there says nothing of the model (a covering design has one network
 * per rare block, and an exactly additive device would look inexact).
 */
function unseenInFold(rows: readonly Genome[], folds: number): boolean[] {
  const out = new Array<boolean>(rows.length).fill(false);
  for (let f = 0; f < folds; f++) {
    const seen = new Set<string>();
    rows.forEach((g, k) => {
      if (k % folds !== f) g.forEach((b, node) => seen.add(`${node}:${b}`));
    });
    rows.forEach((g, k) => {
      if (k % folds === f) out[k] = g.some((b, node) => !seen.has(`${node}:${b}`));
    });
  }
  return out;
}

const REPEATS = 3;


/** Rows a candidate is fitted on: every measured network, or the connected ones reduced to their effective form. */
function rowsFor(space: SearchSpace, genomes: readonly Genome[], y: readonly number[], effective: boolean) {
  const idx: number[] = [];
  const rows: Genome[] = [];
  genomes.forEach((g, i) => {
    if (!Number.isFinite(y[i])) return;
    // A disconnected network is one value, not a sum of blocks (a device may skip it altogether): it stays out of
    // every fit and the table gives it its measured cost where the device treats it apart.
    const eff = space.effective ? space.effective(g) : g;
    if (!eff) return;
    const r = effective ? eff : g;
    idx.push(i);
    rows.push(r);
  });
  return { idx, rows, y: idx.map((i) => y[i]!) };
}

export interface FittedCost {
  readonly table: MetricTable;
  readonly candidate: CostCandidate;
  /** Out-of-fold root mean squared error of every candidate, in the order given (NaN where too few rows). */
  readonly cvRmse: readonly number[];
}

/**
 * Fits one cost metric, choosing among `candidates` by repeated k-fold out-of-fold RMSE on the networks search can
 * return (with graph semantics: connected ones that are their own effective form; every candidate learns from all
 * connected ones), and keeps the chosen candidate's out-of-fold residuals (measured − predicted, one
 * per network, from the first split) for prediction intervals (interval.ts). `disconnected` is a network with no
 * input-to-output path and its measured cost: when it runs faster than every connected network and off the model
 * (raspi4, docs/notes/2026-12-07-limits.md), the device treats disconnected networks apart and the table gives them
 * that cost; an effective-form table always does (NaN when none was measured).
 */
export function fitCostMetric(
  space: SearchSpace,
  genomes: readonly Genome[],
  results: readonly Metrics[],
  metric: string,
  seed: number,
  candidates: readonly CostCandidate[] = costCandidates(space),
  disconnected?: { readonly genome: Genome; readonly value: number },
): FittedCost {
  const radix = radices(space);
  const y = results.map((r) => r[metric] ?? NaN);
  // Judged where search goes: a space with graph semantics is searched over the networks that are their own
  // effective form (from-table.ts), where the two domains predict the same network and differ only in what they learnt.
  const ownForm = isOwnEffectiveForm(space);
  // Every candidate fits the same networks (rowsFor keeps the connected ones in both domains), so the folds and the
  // rows each fold cannot judge are the same for all of them.
  const { idx } = rowsFor(space, genomes, y, false);
  const pos = new Map(idx.map((i, r) => [i, r]));
  const judged = idx.map((i) => !ownForm || ownForm(genomes[i]!));
  const splits = cvSplits(genomes.length, seed, REPEATS).map((split) => {
    const order = split.filter((i) => pos.has(i)).map((i) => pos.get(i)!);
    const unseen = unseenInFold(order.map((r) => genomes[idx[r]!]!), FOLDS);
    return { order, skip: new Set(order.filter((_, k) => unseen[k])) };
  });
  const scale = Math.max(1e-300, ...y.filter(Number.isFinite).map(Math.abs));
  let best = 0;
  let bestRmse = Infinity;
  let bestResiduals: number[] = [];
  const cvRmse = candidates.map((c, k) => {
    const { rows, y: yc } = rowsFor(space, genomes, y, c.effective);
    if (rows.length < 2 * FOLDS) return NaN;
    let sq = 0;
    let count = 0;
    let residuals: number[] = [];
    splits.forEach(({ order, skip }, s) => {
      const oof = outOfFold(radix, rows, yc, c.fit, order, FOLDS);
      const res: number[] = [];
      for (let r = 0; r < rows.length; r++) {
        if (!judged[r] || skip.has(r)) continue;
        const e = yc[r]! - oof[r]!;
        sq += e * e;
        count++;
        res.push(e);
      }
      if (s === 0) residuals = res;
    });
    const rmse = Math.sqrt(sq / Math.max(1, count));
    // A richer model must beat the simpler ones by a margin, not by rounding: an exact additive fit scores ~1e-13.
    if (rmse < bestRmse * (1 - 1e-3) - 1e-9 * scale) [best, bestRmse, bestResiduals] = [k, rmse, residuals];
    return rmse;
  });
  const chosen = candidates[best]!;
  const { rows, y: yc } = rowsFor(space, genomes, y, chosen.effective);
  const fit = fitCandidate(radix, rows, yc, chosen.fit);
  const plain: MetricTable = { metric, intercept: fit.intercept, values: fit.values, ...(chosen.fit.pairs ? { pairs: fit.pairs } : {}) };
  // A device that skips a disconnected network runs it faster than any connected one and off the model (raspi4);
  // one that runs its blocks (fpga) keeps it in the sum.
  const lowest = Math.min(...yc);
  const apart =
    disconnected !== undefined &&
    disconnected.value < lowest - 1e-6 * Math.abs(lowest) &&
    Math.abs(disconnected.value - predictMetric(plain, space, disconnected.genome)) > 1e-6 * Math.max(1, Math.abs(lowest));
  const graph = chosen.effective ? { disconnected: disconnected?.value ?? Number.NaN } : apart ? { disconnected: disconnected!.value, form: 'drawn' as const } : null;
  const table: MetricTable = {
    ...plain,
    ...(graph ? { graph } : {}),
    fit: chosen.fit,
    // Sorted and rounded: intervals need only their order statistics, and table files stay readable.
    ...(bestResiduals.length > 0 ? { residuals: bestResiduals.map((e) => Number(e.toPrecision(6))).sort((a, b) => a - b) } : {}),
  };
  return { table, candidate: chosen, cvRmse };
}

/**
 * The table with out-of-fold residuals for each of `metrics` that was fitted (has `fit`) and kept its
 * observations but no residuals (tables written before intervals existed), from a cross-validation of the same
 * model family on the same networks. Other metrics are left as they are.
 */
export function withResiduals(table: BlockTable, space: SearchSpace, metrics: readonly string[]): BlockTable {
  const obs = table.observations;
  if (!obs) return table;
  let changed = false;
  const out = table.metrics.map((t) => {
    if (!metrics.includes(t.metric) || t.residuals || !t.fit || t.link || t.scale || !obs.metrics[t.metric]) return t;
    const results = obs.genomes.map((_, i) => ({ [t.metric]: obs.metrics[t.metric]![i] ?? NaN }));
    const candidate: CostCandidate = { fit: t.fit, effective: Boolean(t.graph) && t.graph?.form !== 'drawn' };
    const { table: refit } = fitCostMetric(space, obs.genomes, results, t.metric, table.seed, [candidate]);
    if (!refit.residuals) return t;
    changed = true;
    return { ...t, residuals: refit.residuals };
  });
  return changed ? { ...table, metrics: out } : table;
}
