import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { EvaluationStore } from '../store/types.js';
import type { Evaluator, Metrics } from '../core/metrics.js';

export interface CachedEvaluator extends Evaluator {
  /** Networks this wrapper actually handed to the underlying evaluator (store misses). */
  readonly fresh: number;
  /** Networks answered from the store. */
  readonly reused: number;
}

/**
 * An evaluator whose results go to the store as soon as each batch is done and come from it when already there,
 * so a killed run loses no finished evaluation and a resumed or repeated run evaluates nothing twice. `key` names
 * the evaluator's settings: two evaluators with the same key must return the same metrics.
 */
export function cachedEvaluator(
  inner: Evaluator,
  store: EvaluationStore,
  key: string,
  options: { readonly chunk?: number; readonly onStored?: (fresh: number) => void } = {},
): CachedEvaluator {
  // With `chunk`, misses go to the inner evaluator that many at a time, each chunk stored before the next starts: a caller that
  // asks for many networks at once (mathnas asks for all of them) still loses at most one chunk to a kill.
  const chunk = options.chunk ?? Number.POSITIVE_INFINITY;
  let fresh = 0;
  let reused = 0;
  return {
    name: inner.name,
    provides: inner.provides,
    get fresh() {
      return fresh;
    },
    get reused() {
      return reused;
    },
    async evaluate(archs: readonly Genome[], ctx) {
      const keys = archs.map(genomeKey);
      const known = store.getEvaluations(key, keys);
      const missing: Genome[] = [];
      const missingKeys = new Set<string>();
      archs.forEach((g, i) => {
        const k = keys[i]!;
        if (!known.has(k) && !missingKeys.has(k)) {
          missingKeys.add(k);
          missing.push(g);
        }
      });
      reused += archs.length - missing.length;
      for (let start = 0; start < missing.length; start += chunk) {
        const part = missing.slice(start, start + chunk);
        const t0 = performance.now();
        const results = await inner.evaluate(part, ctx);
        const seconds = (performance.now() - t0) / 1000 / part.length;
        const rows = part.map((g, i) => ({ arch: genomeKey(g), metrics: results[i]!, seconds }));
        store.putEvaluations(key, rows);
        for (const r of rows) known.set(r.arch, r);
        fresh += part.length;
        options.onStored?.(fresh);
      }
      return keys.map((k) => known.get(k)!.metrics as Metrics);
    },
  };
}
