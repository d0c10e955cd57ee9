import { createRng } from '../../random.js';
import { genomeKey } from '../../space/space.js';
import type { MooProblem } from '../problem.js';
import { sampleValid } from '../sampling.js';
import type { Strategy } from '../strategy.js';

/** Random search: the baseline every other strategy must beat. */
export function randomSearch(problem: MooProblem, options: { seed: number; batch?: number }): Strategy {
  const rng = createRng(options.seed);
  const seen = new Set<string>();
  const batch = options.batch ?? 10;
  return {
    name: 'random',
    async ask(max) {
      const out = sampleValid(problem, rng, Math.min(batch, max), seen);
      for (const g of out) seen.add(genomeKey(g));
      return out;
    },
    tell() {},
  };
}
