import type { Evaluator, Metrics } from '../core/metrics.js';

/**
 * One evaluator from several that measure different metrics of the same architectures (trained accuracy, timed
 * latency, counted FLOPs): each runs in turn on the whole batch and the metrics are merged. A metric id given by
 * two evaluators is an error: which one to trust would be a silent choice.
 */
export function combineEvaluators(name: string, parts: readonly Evaluator[]): Evaluator {
  const ids = parts.flatMap((p) => p.provides.map((m) => m.id));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new Error(`combineEvaluators: metric ${dup} comes from two evaluators`);
  return {
    name,
    provides: parts.flatMap((p) => p.provides),
    async evaluate(archs, ctx) {
      const out: Record<string, number>[] = archs.map(() => ({}));
      for (const p of parts) {
        const results = await p.evaluate(archs, ctx);
        results.forEach((m, i) => Object.assign(out[i]!, m));
      }
      return out as Metrics[];
    },
  };
}
