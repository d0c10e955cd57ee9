/**
 * The plain evaluate loop around an ask/tell algorithm, with an evaluation budget as termination. Real searches
 * with asynchronous or batched evaluators drive ask/tell themselves; this serves tests and small synchronous uses.
 */
import type { Genome } from '../../space/types.js';
import type { Evaluated, MooAlgorithm } from './types.js';

export interface RunOptions {
  /** Stop once this many genomes have been evaluated; the last batch is cut to fit. */
  readonly maxEvaluations: number;
  /** Stop after this many tells. Default unlimited. */
  readonly maxGenerations?: number;
}

export interface RunResult extends Evaluated {
  readonly evaluations: number;
  readonly generations: number;
}

/** Evaluates a batch of genomes to minimised objective vectors, index-aligned. */
export type BatchEvaluator = (genomes: Genome[]) => number[][];

export function runMinimize(algorithm: MooAlgorithm, evaluate: BatchEvaluator, options: RunOptions): RunResult {
  const { maxEvaluations, maxGenerations = Infinity } = options;
  if (!(maxEvaluations >= 0)) throw new Error(`runMinimize: maxEvaluations must be >= 0, got ${maxEvaluations}`);
  let evaluations = 0;
  let generations = 0;
  while (evaluations < maxEvaluations && generations < maxGenerations) {
    let batch = algorithm.ask();
    if (batch.length === 0) break; // nothing new left to try
    if (batch.length > maxEvaluations - evaluations) batch = batch.slice(0, maxEvaluations - evaluations);
    const objectives = evaluate(batch);
    if (objectives.length !== batch.length) {
      throw new Error(`runMinimize: evaluator returned ${objectives.length} results for ${batch.length} genomes`);
    }
    algorithm.tell(batch, objectives);
    evaluations += batch.length;
    generations++;
  }
  return { ...algorithm.result(), evaluations, generations };
}
