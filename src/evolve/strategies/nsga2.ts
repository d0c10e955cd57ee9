import { createNsga2 } from '../../search/nsga/nsga2.js';
import { createResetMutation, createUniformCrossover } from '../../search/nsga/operators.js';
import type { MooProblem } from '../problem.js';
import type { Strategy } from '../strategy.js';

export interface Nsga2StrategyOptions {
  readonly seed: number;
  /** Population size; default 20, so that a few hundred evaluations still make ten generations or more. */
  readonly popSize?: number;
}

/** NSGA-II evaluating every offspring for real: the baseline without a surrogate. */
export function nsga2Strategy(problem: MooProblem, options: Nsga2StrategyOptions): Strategy {
  const radix = problem.radix;
  const algorithm = createNsga2({
    radix,
    popSize: options.popSize ?? 20,
    seed: options.seed,
    crossover: createUniformCrossover(),
    mutation: createResetMutation({ radix }),
    repair: problem.repair,
  });
  return {
    name: 'nsga2',
    async ask(max) {
      return algorithm.ask().slice(0, max);
    },
    tell: (genomes, objectives) => algorithm.tell(genomes, objectives),
  };
}
