import { genomeFromRank } from '../../src/space/space.js';
import { choiceProgram, type ChoiceProgram } from '../../src/search/choice-program.js';
import type { Problem } from '../../src/search/problem.js';

/** A problem's linear part as the branch and bound takes it (a fractional objective's scaling left out). */
export function programOf(p: Problem): ChoiceProgram {
  const { radix, limits, rules } = p;
  return choiceProgram({ radix, sense: 'maximize', objective: p.objective.model.values, pairs: p.objective.pairs ?? [], limits, rules });
}

/** Every genome of the product space, in rank order. */
export function genomes(radix: readonly number[]): number[][] {
  const n = radix.reduce((a, r) => a * r, 1);
  return Array.from({ length: n }, (_, k) => genomeFromRank(radix, k));
}
