import { nonDominatedSort } from '../../moo/dominance.js';
import { createRng } from '../../random.js';
import { genomeKey } from '../../space/space.js';
import type { Genome } from '../../space/types.js';
import type { MooProblem } from '../problem.js';
import { sampleValid } from '../sampling.js';
import type { Strategy } from '../strategy.js';

export interface RegularizedEvolutionOptions {
  readonly seed: number;
  /** Population (the aging queue). Default 20. */
  readonly population?: number;
  /** Tournament sample. Default 5. */
  readonly sample?: number;
}

/**
 * Regularized (aging) evolution, Real et al. 2019, with the tournament judged by Pareto rank inside the sample
 * (ties drawn at random) so it serves several objectives: one mutated child per step, the oldest member dies.
 * Mutation changes exactly one node's block, as in the paper.
 */
export function regularizedEvolution(problem: MooProblem, options: RegularizedEvolutionOptions): Strategy {
  const rng = createRng(options.seed);
  const size = options.population ?? 20;
  const sampleSize = options.sample ?? 5;
  const radix = problem.radix;
  const mutable = radix.flatMap((k, i) => (k > 1 ? [i] : []));
  const queue: { genome: Genome; objectives: readonly number[] }[] = [];
  const seen = new Set<string>();

  const mutate = (g: Genome): Genome | null => {
    const out = [...g];
    const i = mutable[rng.int(mutable.length)]!;
    const r = rng.int(radix[i]! - 1);
    out[i] = r >= out[i]! ? r + 1 : r;
    return problem.repair(out);
  };

  const tournament = (): Genome => {
    const picks = Array.from({ length: Math.min(sampleSize, queue.length) }, () => queue[rng.int(queue.length)]!);
    const best = nonDominatedSort(picks.map((p) => p.objectives)).fronts[0]!;
    return picks[best[rng.int(best.length)]!]!.genome;
  };

  return {
    name: 'regularized-evolution',
    async ask(max) {
      if (queue.length < size) {
        const out = sampleValid(problem, rng, Math.min(size - queue.length, max), seen);
        for (const g of out) seen.add(genomeKey(g));
        return out;
      }
      for (let t = 0; t < 100; t++) {
        const child = mutate(tournament());
        if (child && !seen.has(genomeKey(child))) {
          seen.add(genomeKey(child));
          return [child];
        }
      }
      const out = sampleValid(problem, rng, 1, seen); // the neighbourhood is used up: a fresh random network
      for (const g of out) seen.add(genomeKey(g));
      return out;
    },
    tell(genomes, objectives) {
      genomes.forEach((g, i) => {
        queue.push({ genome: g, objectives: objectives[i]! });
        if (queue.length > size) queue.shift();
      });
    },
  };
}
