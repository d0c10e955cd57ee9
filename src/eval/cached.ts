import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { EvaluationStore } from '../store/types.js';
import type { Evaluator, Metrics } from './types.js';

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
export function cachedEvaluator(inner: Evaluator, store: EvaluationStore, key: string): CachedEvaluator {
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
      if (missing.length > 0) {
        const t0 = performance.now();
        const results = await inner.evaluate(missing, ctx);
        const seconds = (performance.now() - t0) / 1000 / missing.length;
        const rows = missing.map((g, i) => ({ arch: genomeKey(g), metrics: results[i]!, seconds }));
        store.putEvaluations(key, rows);
        for (const r of rows) known.set(r.arch, r);
        fresh += missing.length;
      }
      return keys.map((k) => known.get(k)!.metrics as Metrics);
    },
  };
}
