import type { ZeroCostProxy } from '../../core/metrics.js';
import type { MooProblem } from '../problem.js';
import type { Strategy } from '../strategy.js';
import type { SurrogateChoice } from '../surrogates.js';
import { type InnerSearch, natv2 } from './natv2.js';
import { nsga2Strategy } from './nsga2.js';
import { randomSearch } from './random.js';
import { regularizedEvolution } from './regularized-evolution.js';

export const STRATEGY_NAMES = ['natv2', 'nsga2', 'regularized-evolution', 'random'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategySettings {
  readonly seed: number;
  readonly budget?: number;
  readonly initSize?: number;
  readonly perIteration?: number;
  readonly surrogate?: SurrogateChoice;
  readonly inner?: InnerSearch;
  readonly frontWeight?: number;
  readonly equivalents?: boolean;
  readonly reselectEvery?: number;
  readonly proxy?: ZeroCostProxy;
}

/** The one place a strategy is made from its name (CLI, benchmarks); a new strategy is a new module and a line here. */
export function createStrategy(name: StrategyName, problem: MooProblem, s: StrategySettings): Strategy {
  switch (name) {
    case 'natv2':
      return natv2(problem, s);
    case 'nsga2':
      return nsga2Strategy(problem, { seed: s.seed });
    case 'regularized-evolution':
      return regularizedEvolution(problem, { seed: s.seed });
    case 'random':
      return randomSearch(problem, { seed: s.seed });
  }
}
