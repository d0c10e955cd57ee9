/**
 * The generational loop NSGA-II and NSGA-III share: sampling, mating, variation, repair, duplicate elimination and
 * the ask/tell bookkeeping. The algorithms differ only in their survival (and the mating preference it yields),
 * which they pass in.
 */
import { paretoFront } from '../../moo/dominance.js';
import { createRng, type Rng } from '../../random.js';
import { genomeKey } from '../../space/space.js';
import type { Genome } from '../../space/types.js';
import {
  checkGenome,
  createResetMutation,
  createUniformCrossover,
  identityRepair,
  sampleGenome,
} from './operators.js';
import type { Crossover, Evaluated, MooAlgorithm, Mutation, Repair } from './types.js';

/** Options every NSGA variant takes. */
export interface EvolutionOptions {
  /** Number of blocks per node. */
  readonly radix: readonly number[];
  /** Survivors kept per generation. */
  readonly popSize: number;
  readonly seed: number;
  /** Offspring bred per `ask`. Default popSize. */
  readonly nOffspring?: number;
  /** Default: uniform crossover, probability 0.9. */
  readonly crossover?: Crossover;
  /** Default: reset mutation at rate 1/m. */
  readonly mutation?: Mutation;
  /** Default: identity. */
  readonly repair?: Repair;
  /** Genomes placed first in the initial population (e.g. known good architectures); the rest is sampled. */
  readonly initial?: readonly Genome[];
}

export interface SurvivalResult {
  /** Candidate indices forming the new population, in population order. */
  readonly survivors: number[];
  /**
   * Binary-tournament preference between two survivors (positions in `survivors`): negative prefers the first,
   * positive the second, 0 draws at random. Without it parents are drawn uniformly.
   */
  readonly prefer?: (a: number, b: number) => number;
}

/** Chooses `n` of the candidates; `n` never exceeds their number. */
export type Survival = (objectives: readonly (readonly number[])[], n: number, rng: Rng) => SurvivalResult;

interface Member {
  readonly genome: Genome;
  readonly objectives: readonly number[];
}

/** Tries per wanted offspring before giving up; a small or nearly exhausted space yields fewer offspring. */
const BREED_TRIES = 20;

export function createEvolution(options: EvolutionOptions, survive: Survival): MooAlgorithm {
  const { radix, popSize, seed } = options;
  if (!Number.isInteger(popSize) || popSize < 1) throw new Error(`popSize must be a positive integer, got ${popSize}`);
  for (const k of radix) if (!Number.isInteger(k) || k < 1) throw new Error(`radix entries must be >= 1, got ${k}`);
  const nOffspring = options.nOffspring ?? popSize;
  if (!Number.isInteger(nOffspring) || nOffspring < 1) throw new Error(`nOffspring must be >= 1, got ${nOffspring}`);
  const crossover = options.crossover ?? createUniformCrossover();
  const mutation = options.mutation ?? createResetMutation({ radix });
  const repair = options.repair ?? identityRepair;
  const rng = createRng(seed);

  let population: Member[] = [];
  let prefer: SurvivalResult['prefer'];
  let nObj: number | undefined;
  let initialised = false;
  let pending = false;
  // Every genome handed out or told: never offer an architecture twice, evaluations are the expensive part.
  const seen = new Set<string>();

  const fresh = (g: Genome, out: Genome[]): void => {
    const repaired = repair(g);
    if (repaired === null) return;
    checkGenome(repaired, radix);
    const key = genomeKey(repaired);
    if (seen.has(key)) return;
    seen.add(key);
    out.push([...repaired]);
  };

  const sampleInto = (out: Genome[], want: number): void => {
    for (let t = 0; t < BREED_TRIES * want && out.length < want; t++) fresh(sampleGenome(radix, rng), out);
  };

  const pickParent = (): number => {
    const n = population.length;
    if (!prefer || n < 2) return rng.int(n);
    const a = rng.int(n);
    let b = rng.int(n - 1);
    if (b >= a) b++;
    const c = prefer(a, b);
    if (c < 0) return a;
    if (c > 0) return b;
    return rng.next() < 0.5 ? a : b;
  };

  const breed = (): Genome[] => {
    const out: Genome[] = [];
    for (let t = 0; t < BREED_TRIES * nOffspring && out.length < nOffspring; t++) {
      const a = population[pickParent()]!.genome;
      const b = population[pickParent()]!.genome;
      const children = crossover(a, b, rng);
      for (const child of children) {
        if (out.length >= nOffspring) break;
        fresh(mutation(child, rng), out);
      }
    }
    // Breeding keeps re-creating known genomes once the population has converged in a small space; fresh random
    // genomes keep the batch full there instead of stalling.
    if (out.length < nOffspring) sampleInto(out, nOffspring);
    return out;
  };

  const ask = (): Genome[] => {
    if (pending) throw new Error('ask: tell() the previous batch before asking again');
    const out: Genome[] = [];
    if (population.length === 0) {
      if (!initialised) for (const g of options.initial ?? []) if (out.length < popSize) fresh(g, out);
      sampleInto(out, popSize);
    } else {
      out.push(...breed());
    }
    initialised = true;
    pending = out.length > 0;
    return out;
  };

  const tell = (genomes: readonly Genome[], objectives: readonly (readonly number[])[]): void => {
    if (genomes.length !== objectives.length) {
      throw new Error(`tell: ${genomes.length} genomes but ${objectives.length} objective vectors`);
    }
    // validate everything before touching any state, so a rejected tell can simply be retried
    const width = nObj ?? objectives[0]?.length ?? 0;
    genomes.forEach((g, i) => {
      const f = objectives[i]!;
      checkGenome(g, radix);
      if (f.length !== width || width === 0) {
        throw new Error(`tell: objective vector of length ${f.length}, expected ${width}`);
      }
      for (const v of f) {
        if (!Number.isFinite(v)) throw new Error(`tell: non-finite objective ${v} for [${g.join(',')}]`);
      }
    });
    pending = false;
    if (genomes.length === 0) return;
    nObj = width;

    const candidates: Member[] = [...population];
    const inPopulation = new Set(population.map((m) => genomeKey(m.genome)));
    genomes.forEach((g, i) => {
      const key = genomeKey(g);
      seen.add(key);
      if (inPopulation.has(key)) return;
      inPopulation.add(key);
      candidates.push({ genome: [...g], objectives: [...objectives[i]!] });
    });
    const chosen = survive(
      candidates.map((c) => c.objectives),
      Math.min(popSize, candidates.length),
      rng,
    );
    population = chosen.survivors.map((i) => candidates[i]!);
    prefer = chosen.prefer;
  };

  const pack = (members: readonly Member[]): Evaluated => ({
    genomes: members.map((m) => [...m.genome]),
    objectives: members.map((m) => [...m.objectives]),
  });

  return {
    ask,
    tell,
    result: () => pack(paretoFront(population.map((m) => m.objectives)).map((i) => population[i]!)),
    population: () => pack(population),
  };
}
