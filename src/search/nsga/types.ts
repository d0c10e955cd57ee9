import type { Rng } from '../../random.js';
import type { Genome } from '../../space/types.js';

/** Two parents in, two children out; children may be copies of the parents when no crossover happens. */
export type Crossover = (a: Genome, b: Genome, rng: Rng) => [Genome, Genome];

/** A (possibly unchanged) variant of `g`; must stay within the radix it was built for. */
export type Mutation = (g: Genome, rng: Rng) => Genome;

/**
 * Maps any genome the operators produce onto a valid one (coupling rules, effective form). It runs on every
 * sampled and bred genome before duplicate elimination, so two parents repaired to the same architecture are
 * recognised as the same. `null` discards a genome that cannot be made valid (it is never offered).
 */
export type Repair = (g: Genome) => Genome | null;

/** Genomes with their minimised objective vectors, index-aligned. */
export interface Evaluated {
  readonly genomes: Genome[];
  readonly objectives: number[][];
}

/**
 * Ask/tell multi-objective search. `ask` hands out genomes to evaluate (the initial population first, then one
 * generation of offspring per call); `tell` hands back any evaluated genomes (normally the ones asked) and runs
 * survival. An empty `ask` means no new genome could be bred: the space is exhausted or the search has stalled.
 */
export interface MooAlgorithm {
  ask(): Genome[];
  tell(genomes: readonly Genome[], objectives: readonly (readonly number[])[]): void;
  /** The non-dominated members of the current population. */
  result(): Evaluated;
  /** The whole current population (survivors of the last `tell`). */
  population(): Evaluated;
}
