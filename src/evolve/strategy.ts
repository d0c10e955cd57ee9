import type { Genome } from '../space/types.js';

/**
 * A search strategy in ask/tell form (Optuna's sampler, pymoo's algorithm): it proposes genomes and learns from
 * their minimised objective vectors. It never evaluates anything itself, so the runner can store, cache, budget
 * and resume evaluations the same way for every strategy. Strategies must be deterministic given their seed and
 * the objectives told: a resumed run replays them.
 */
export interface Strategy {
  readonly name: string;
  /** Up to `max` new genomes to evaluate next (valid and repaired); none means the strategy has nothing left. */
  ask(max: number): Promise<Genome[]>;
  tell(genomes: readonly Genome[], objectives: readonly (readonly number[])[]): void;
  /** What the last ask did, for the run's history (surrogate chosen, its tau...). */
  lastDetail?(): unknown;
}
