import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { EvaluationStore } from '../store/types.js';
import { failedMetrics, failureOf } from './failure.js';
import type { Evaluator, Metrics } from '../core/metrics.js';

export interface CachedEvaluator extends Evaluator {
  /** Networks this wrapper actually handed to the underlying evaluator (store misses). */
  readonly fresh: number;
  /** Networks answered from the store. */
  readonly reused: number;
  /** Networks answered with a failure (failure.ts), fresh or recorded in the store earlier. */
  readonly failed: number;
}

/**
 * An evaluator whose results go to the store as soon as each batch is done and come from it when already there,
 * so a killed run loses no finished evaluation and a resumed or repeated run evaluates nothing twice. `key` names
 * the evaluator's settings: two evaluators with the same key must return the same metrics. An architecture the
 * inner evaluator failed (a row marked by failure.ts) goes to the store's failures, not its evaluations, and is
 * answered as failed again from there: a resumed run replays it as it happened (store.deleteFailures retries it).
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
  let failed = 0;
  const ids = inner.provides.map((m) => m.id);
  return {
    name: inner.name,
    provides: inner.provides,
    get fresh() {
      return fresh;
    },
    get reused() {
      return reused;
    },
    get failed() {
      return failed;
    },
    async evaluate(archs: readonly Genome[], ctx) {
      const keys = archs.map(genomeKey);
      const known = store.getEvaluations(key, keys);
      const answers = new Map<string, Metrics>();
      for (const [k, e] of known) answers.set(k, e.metrics);
      const unknown = [...new Set(keys.filter((k) => !answers.has(k)))];
      for (const [k, f] of unknown.length > 0 ? store.getFailures(key, unknown) : []) {
        const genome = k === '' ? [] : k.split(',').map(Number);
        answers.set(k, failedMetrics(ids, { genome, arch: k, reason: f.reason, attempts: f.attempts }));
      }
      const missing: Genome[] = [];
      const missingKeys = new Set<string>();
      archs.forEach((g, i) => {
        const k = keys[i]!;
        if (!answers.has(k) && !missingKeys.has(k)) {
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
        const failures = rows.flatMap((r) => {
          const f = failureOf(r.metrics);
          return f ? [{ arch: r.arch, reason: f.reason, attempts: f.attempts }] : [];
        });
        // Measurements first: a kill between the two loses only failures, which a resume then tries again.
        store.putEvaluations(key, failures.length > 0 ? rows.filter((r) => !failureOf(r.metrics)) : rows);
        if (failures.length > 0) store.putFailures(key, failures);
        for (const r of rows) answers.set(r.arch, r.metrics);
        fresh += part.length;
        options.onStored?.(fresh);
      }
      const out = keys.map((k) => answers.get(k)!);
      failed += out.filter((m) => failureOf(m)).length;
      return out;
    },
  };
}
