import { fieldError } from '../errors.js';
import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { Evaluator, Metrics } from '../core/metrics.js';

/**
 * Wraps an evaluator for an estimator: remembers what was evaluated, so asking twice for one network costs once,
 * and counts the distinct networks, which every estimate reports.
 */
export interface Oracle {
  evaluate(archs: readonly Genome[]): Promise<Metrics[]>;
  /** Distinct networks evaluated so far. */
  readonly evaluated: number;
  /** Distinct networks still allowed (Infinity without a budget). */
  readonly remaining: number;
  has(g: Genome): boolean;
}

export function createOracle(evaluator: Evaluator, budget = Infinity): Oracle {
  const cache = new Map<string, Metrics>();
  return {
    get evaluated() {
      return cache.size;
    },
    get remaining() {
      return budget - cache.size;
    },
    has: (g) => cache.has(genomeKey(g)),
    async evaluate(archs) {
      const fresh: Genome[] = [];
      const seen = new Set<string>();
      for (const g of archs) {
        const k = genomeKey(g);
        if (!cache.has(k) && !seen.has(k)) {
          seen.add(k);
          fresh.push(g);
        }
      }
      if (cache.size + fresh.length > budget) {
        throw fieldError('budget', `${budget} is too small: the estimator needs ${cache.size + fresh.length} networks`);
      }
      if (fresh.length > 0) {
        const results = await evaluator.evaluate(fresh);
        fresh.forEach((g, i) => cache.set(genomeKey(g), results[i]!));
      }
      return archs.map((g) => cache.get(genomeKey(g))!);
    },
  };
}
