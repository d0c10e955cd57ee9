import type { Genome } from '../space/types.js';
import type { TabularBenchmark } from '../core/tabular-benchmark.js';

export interface TrueBest {
  readonly index: number;
  readonly genome: Genome;
  readonly value: number;
}

/**
 * The architecture with the highest true `objective` whose true metrics all meet their limits, by scanning the
 * whole benchmark: the ground truth a search is judged against. Null when no architecture qualifies. Limits get
 * the same relative slack (1e-9) as the solvers, so a limit printed from a data value admits that value.
 */
export function trueBest(
  bench: TabularBenchmark,
  objective: string,
  limits: readonly { metric: string; max: number }[],
): TrueBest | null {
  const obj = bench.values(objective);
  const cols = limits.map((l) => ({ v: bench.values(l.metric), max: l.max }));
  let best = -1;
  for (let i = 0; i < obj.length; i++) {
    if (!Number.isFinite(obj[i]!) || (best >= 0 && obj[i]! <= obj[best]!)) continue;
    if (cols.every((c) => c.v[i]! <= c.max + 1e-9 * Math.max(1, Math.abs(c.max)))) best = i;
  }
  return best < 0 ? null : { index: best, genome: bench.genomes[best]!, value: obj[best]! };
}
