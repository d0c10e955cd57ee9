import { UserError } from '../errors.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import { costInterval, type Interval } from '../predict/interval.js';
import { radices } from '../space/space.js';
import type { SearchSpace } from '../space/types.js';
import type { Limit, Problem } from './problem.js';

export interface LimitSpec {
  readonly metric: string;
  readonly max: number;
}

export interface FromTableOptions {
  /** Drop Eq. 5's FLOPs scaling (the published search code's form). */
  readonly linear?: boolean;
  /**
   * Hold each limit at the upper bound of the prediction interval at this confidence (interval.ts) instead of at the
   * prediction, for metrics whose table keeps residuals; absent: at the prediction.
   */
  readonly confidence?: number;
}

/** How one limit is held: the limit itself, the bound put on the prediction, and why they differ. */
export interface HeldLimit extends LimitSpec {
  /** The bound on the predicted value: max less the interval's upper offset. */
  readonly held: number;
  /** The prediction interval the limit is held with; null when the table keeps no residuals (or no confidence). */
  readonly interval: Interval | null;
}

function limitTable(table: BlockTable, metric: string): MetricTable {
  const t = table.metrics.find((m) => m.metric === metric);
  if (!t) throw new UserError(`limit on ${metric}: the block table has no such metric (it has ${table.metrics.map((m) => m.metric).join(', ')})`);
  if (t.scale || t.link) throw new UserError(`limit on ${metric}: a limit needs a cost table that is a sum of block (and pair) terms, not a scaled or linked one`);
  return t;
}

/** Each limit with the bound the search puts on its prediction. */
export function holdLimits(table: BlockTable, limits: readonly LimitSpec[], confidence?: number): HeldLimit[] {
  if (confidence !== undefined && !(confidence > 0 && confidence < 1)) {
    throw new UserError(`confidence: expected a number between 0 and 1 (exclusive), got ${confidence}`);
  }
  return limits.map(({ metric, max }) => {
    const t = limitTable(table, metric);
    if (!Number.isFinite(max)) throw new UserError(`limit on ${metric}: expected a number, got ${max}`);
    const interval = confidence === undefined ? null : costInterval(t, confidence);
    if (interval && !Number.isFinite(interval.upper)) {
      const need = Math.ceil(1 / (1 - confidence!)) - 1;
      throw new UserError(`confidence ${confidence}: the ${metric} model rests on ${interval.n} cross-validated residuals, too few for it (needs ${need}); lower the confidence or evaluate more networks`);
    }
    // A margin within rounding of the limit is an exact fit's noise (an additive device), not uncertainty.
    const margin = interval ? Math.max(0, interval.upper) : 0;
    return { metric, max, held: margin > 1e-9 * Math.max(1, Math.abs(max)) ? max - margin : max, interval };
  });
}

function objectiveTable(table: BlockTable, objectiveMetric: string): MetricTable {
  const obj = table.metrics.find((m) => m.metric === objectiveMetric);
  if (!obj) throw new UserError(`block table has no ${objectiveMetric} to maximise`);
  return obj;
}

/**
 * Eq. 6 from a block table: maximise the predicted objective metric, one block per node, each limited metric's
 * prediction at most its held limit (holdLimits). A graph-aware objective or cost searches the effective
 * (connected, no dead block) architectures, where its prediction is linear; nothing is lost because a dead block
 * only adds cost. A cost with pair terms keeps them in its limit (the program linearises them exactly).
 */
export function problemFromTable(
  table: BlockTable,
  space: SearchSpace,
  objectiveMetric: string,
  limits: readonly LimitSpec[],
  { linear = false, confidence }: FromTableOptions = {},
): Problem {
  objectiveTable(table, objectiveMetric);
  return problemFromHeld(table, space, objectiveMetric, holdLimits(table, limits, confidence), { linear });
}

/** problemFromTable for limits already held (holdLimits): each prediction at most its held bound. */
export function problemFromHeld(
  table: BlockTable,
  space: SearchSpace,
  objectiveMetric: string,
  held: readonly HeldLimit[],
  { linear = false }: Pick<FromTableOptions, 'linear'> = {},
): Problem {
  const obj = objectiveTable(table, objectiveMetric);
  const tables = held.map((h) => limitTable(table, h.metric));
  const limitModels: Limit[] = held.map(({ metric, held: max }, k) => {
    const t = tables[k]!;
    return { metric, model: { intercept: t.intercept, values: t.values }, ...(t.pairs?.length ? { pairs: t.pairs } : {}), max };
  });
  const rules = [...space.rules];
  const graphMetric = [obj, ...tables].find((t) => t.graph);
  if (graphMetric) {
    if (!space.effectiveRules) throw new UserError(`space ${space.name} cannot search a graph-aware table (${graphMetric.metric})`);
    rules.push(...space.effectiveRules);
  }
  return {
    radix: radices(space),
    objective: {
      model: { intercept: obj.intercept, values: obj.values },
      ...(obj.pairs ? { pairs: obj.pairs } : {}),
      ...(obj.scale && !linear ? { scale: obj.scale } : {}),
    },
    limits: limitModels,
    rules,
  };
}
