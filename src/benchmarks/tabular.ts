import { UserError } from '../errors.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';

/** Evaluator over precomputed per-index metric columns. */
export function tabularEvaluator(
  name: string,
  available: readonly MetricInfo[],
  metricIds: readonly string[],
  values: (id: string) => Float64Array,
  indexOf: (g: readonly number[]) => number,
): Evaluator {
  const provides = metricIds.map((id) => {
    const info = available.find((m) => m.id === id);
    if (!info) throw new UserError(`${name} has no metric "${id}" (available: ${available.map((m) => m.id).join(', ')})`);
    return info;
  });
  const columns = metricIds.map(values);
  return {
    name,
    provides,
    async evaluate(archs) {
      return archs.map((g) => {
        const i = indexOf(g);
        const m: Record<string, number> = {};
        metricIds.forEach((id, k) => (m[id] = columns[k]![i]!));
        return m as Metrics;
      });
    },
  };
}
