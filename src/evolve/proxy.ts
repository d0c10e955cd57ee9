import type { ZeroCostProxy } from '../core/metrics.js';
import { shuffle, type Rng } from '../random.js';
import type { Genome } from '../space/types.js';
import type { MooProblem, ObjectiveSpec } from './problem.js';
import { balancedSample } from './sampling.js';

/**
 * The initial archive is the proxy's best of a balanced pool this many times its size: smaller pools did worse on
 * NB201, and past 16 the start is too alike (worse worst seeds; docs/notes/2026-12-08-evolve-bench.md).
 */
export const PROXY_POOL_FACTOR = 16;

/** The proxy where it has something to say: a proxy of accuracy, so only with an accuracy among the objectives. */
export function usableProxy(objectives: readonly ObjectiveSpec[], proxy: ZeroCostProxy | undefined): ZeroCostProxy | undefined {
  return objectives.some((o) => o.info.kind === 'accuracy') ? proxy : undefined;
}

export interface ProxyStart {
  /** The initial archive: the pool's best by the proxy, best first. */
  readonly initial: readonly Genome[];
  /**
   * The proxy as a feature: an architecture's score as its share of the pool scoring lower (ties half), 0..1;
   * 0 where the proxy is undefined (such networks rank below every other). The pool is a balanced design, so this is the score's quantile in the space,
   * on any space and without enumerating it; proxies' raw scales differ by orders of magnitude.
   */
  rank(g: Genome): number;
}

/**
 * NATv2's archive initialisation with a zero-cost proxy: draw a balanced pool of PROXY_POOL_FACTOR x `n` networks
 * and start from the `n` the proxy rates best, so the first fits already see networks near the front. On NB201
 * accuracy / fpga and accuracy / fpga / pixel3, with the proxy term in the accuracy surrogate, it lifted the median
 * share of the true front's hypervolume at 200 evaluations (docs/notes/2026-12-08-evolve-bench.md).
 */
export function proxyStart(problem: MooProblem, rng: Rng, n: number, exclude: ReadonlySet<string>, proxy: ZeroCostProxy): ProxyStart {
  const pool = balancedSample(problem, rng, PROXY_POOL_FACTOR * n, exclude);
  const score = (g: Genome) => {
    const s = proxy.score(g);
    return Number.isFinite(s) ? s : -Infinity;
  };
  // shuffled first so that ties (and undefined scores) are not taken in the design's order
  const order = shuffle(pool.map((g) => ({ g, s: score(g) })), rng).sort((a, b) => (a.s === b.s ? 0 : a.s < b.s ? 1 : -1));
  const sorted = Float64Array.from(pool.map(score).filter(Number.isFinite)).sort();
  const undefinedCount = pool.length - sorted.length;
  return {
    initial: order.slice(0, n).map((o) => o.g),
    rank(g) {
      const s = score(g);
      if (!Number.isFinite(s) || pool.length === 0) return 0;
      return (undefinedCount + (lowerBound(sorted, s) + lowerBound(sorted, s, true)) / 2) / pool.length;
    },
  };
}

/** Entries of ascending `a` below `v` (or not above it, with `orEqual`). */
function lowerBound(a: Float64Array, v: number, orEqual = false): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v || (orEqual && a[mid]! === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
