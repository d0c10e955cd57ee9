import { UserError } from '../errors.js';
import type { BlockTable } from '../predict/block-table.js';
import { radices } from '../space/space.js';
import type { SearchSpace } from '../space/types.js';
import type { Limit, Problem } from './problem.js';

export interface LimitSpec {
  readonly metric: string;
  readonly max: number;
}

/**
 * Eq. 6 from a block table: maximise the predicted objective metric, one block per node, each limited metric's
 * prediction at most its limit. A graph-aware objective searches the effective (connected, no dead block)
 * architectures, where the prediction is linear; nothing is lost because a dead block only adds cost.
 * `linear` drops Eq. 5's FLOPs scaling (the published search code's form).
 */
export function problemFromTable(
  table: BlockTable,
  space: SearchSpace,
  objectiveMetric: string,
  limits: readonly LimitSpec[],
  { linear = false }: { linear?: boolean } = {},
): Problem {
  const obj = table.metrics.find((m) => m.metric === objectiveMetric);
  if (!obj) throw new UserError(`block table has no ${objectiveMetric} to maximise`);
  const limitModels: Limit[] = limits.map(({ metric, max }) => {
    const t = table.metrics.find((m) => m.metric === metric);
    if (!t) {
      throw new UserError(`limit on ${metric}: the block table has no such metric (it has ${table.metrics.map((m) => m.metric).join(', ')})`);
    }
    if (t.graph || t.scale || t.pairs || t.link) throw new UserError(`limit on ${metric}: only additive metrics can be limited`);
    if (!Number.isFinite(max)) throw new UserError(`limit on ${metric}: expected a number, got ${max}`);
    return { metric, model: { intercept: t.intercept, values: t.values }, max };
  });
  const rules = [...space.rules];
  if (obj.graph) {
    if (!space.effectiveRules) throw new UserError(`space ${space.name} cannot search a graph-aware table`);
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
