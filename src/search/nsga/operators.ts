/**
 * Variation operators for integer choice vectors (a block index per node). Crossover only exchanges genes, so
 * children stay within each node's radix; mutations draw a different block of the same node.
 */
import type { Rng } from '../../random.js';
import type { Genome } from '../../space/types.js';
import { genomeKey } from '../../space/space.js';
import type { Crossover, Mutation, Repair } from './types.js';

/** A uniformly random genome. */
export function sampleGenome(radix: readonly number[], rng: Rng): Genome {
  return radix.map((k) => rng.int(k));
}

export interface UniformCrossoverOptions {
  /** Probability that a pair is crossed at all (otherwise the children copy the parents). Default 0.9. */
  readonly prob?: number;
  /** Probability that a gene is exchanged. Default 0.5. */
  readonly swapProb?: number;
}

/** Exchanges each gene independently. */
export function createUniformCrossover(options: UniformCrossoverOptions = {}): Crossover {
  const prob = checkProb(options.prob ?? 0.9, 'prob');
  const swapProb = checkProb(options.swapProb ?? 0.5, 'swapProb');
  return (a, b, rng) => {
    checkPair(a, b);
    const c = [...a];
    const d = [...b];
    if (rng.next() < prob) {
      for (let i = 0; i < c.length; i++) {
        if (rng.next() < swapProb) {
          c[i] = b[i]!;
          d[i] = a[i]!;
        }
      }
    }
    return [c, d];
  };
}

export interface TwoPointCrossoverOptions {
  /** Probability that a pair is crossed at all. Default 0.9. */
  readonly prob?: number;
}

/**
 * Exchanges the genes between two distinct cut points. Keeps runs of neighbouring nodes together, which suits
 * spaces where adjacent nodes interact (stages, consecutive layers); with two genes it is a one-point crossover.
 */
export function createTwoPointCrossover(options: TwoPointCrossoverOptions = {}): Crossover {
  const prob = checkProb(options.prob ?? 0.9, 'prob');
  return (a, b, rng) => {
    checkPair(a, b);
    const m = a.length;
    const c = [...a];
    const d = [...b];
    if (m < 2 || !(rng.next() < prob)) return [c, d];
    // cuts lie strictly inside, so a crossover never just swaps the parents
    let lo = 1 + rng.int(m - 1);
    let hi = m;
    if (m > 2) {
      let other = 1 + rng.int(m - 2);
      if (other >= lo) other++;
      hi = Math.max(lo, other);
      lo = Math.min(lo, other);
    }
    for (let i = lo; i < hi; i++) {
      c[i] = b[i]!;
      d[i] = a[i]!;
    }
    return [c, d];
  };
}

export interface MutationOptions {
  readonly radix: readonly number[];
  /** Per-gene mutation probability. Default 1/m, m the number of nodes with more than one block. */
  readonly rate?: number;
}

/** Replaces a gene, with probability `rate`, by a uniformly drawn other block of the same node. */
export function createResetMutation(options: MutationOptions): Mutation {
  const { radix } = options;
  const rate = defaultRate(radix, options.rate);
  return (g, rng) => {
    checkLength(g, radix);
    const out = [...g];
    for (let i = 0; i < out.length; i++) {
      const k = radix[i]!;
      if (k < 2 || !(rng.next() < rate)) continue;
      const r = rng.int(k - 1);
      out[i] = r >= out[i]! ? r + 1 : r;
    }
    return out;
  };
}

export interface NearbyMutationOptions extends MutationOptions {
  /**
   * Distribution index of the polynomial step (Deb & Agrawal): larger values concentrate the step on the
   * neighbouring blocks. Default 3.
   */
  readonly eta?: number;
}

/**
 * For nodes whose blocks are ordered (widths, kernel sizes, expansion ratios): with probability `rate`, moves a
 * gene by a polynomially distributed step scaled to the node's range and rounded, at least one block, reflected
 * at the ends so that it always changes. Small steps are the most likely, large ones remain possible.
 */
export function createNearbyMutation(options: NearbyMutationOptions): Mutation {
  const { radix } = options;
  const rate = defaultRate(radix, options.rate);
  const eta = options.eta ?? 3;
  if (!(eta >= 0)) throw new Error(`nearby mutation: eta must be >= 0, got ${eta}`);
  const power = 1 / (eta + 1);
  return (g, rng) => {
    checkLength(g, radix);
    const out = [...g];
    for (let i = 0; i < out.length; i++) {
      const k = radix[i]!;
      if (k < 2 || !(rng.next() < rate)) continue;
      const u = rng.next();
      const delta = u < 0.5 ? (2 * u) ** power - 1 : 1 - (2 * (1 - u)) ** power;
      let step = Math.round(delta * (k - 1));
      if (step === 0) step = u < 0.5 ? -1 : 1;
      const v = out[i]!;
      // |step| <= k-1, so if one direction leaves the range the other one stays off v after clamping
      let target = v + step;
      if (target < 0 || target > k - 1) target = Math.min(k - 1, Math.max(0, v - step));
      out[i] = target;
    }
    return out;
  };
}

/** The repair that changes nothing, for spaces without coupling rules. */
export const identityRepair: Repair = (g) => g;

/**
 * The genomes whose key is neither in `exclude` nor earlier in the list, in their original order. The keys of the
 * kept genomes are added to `exclude` when it is given, so successive batches stay unique against each other.
 */
export function uniqueGenomes(genomes: readonly Genome[], exclude?: Set<string>): Genome[] {
  const seen = exclude ?? new Set<string>();
  const out: Genome[] = [];
  for (const g of genomes) {
    const key = genomeKey(g);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(g);
  }
  return out;
}

/** Throws unless `g` has one in-range integer per node of `radix`. */
export function checkGenome(g: Genome, radix: readonly number[]): void {
  checkLength(g, radix);
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= radix[i]!) {
      throw new Error(`genome [${g.join(',')}]: gene ${i} = ${v} outside 0..${radix[i]! - 1}`);
    }
  }
}

function defaultRate(radix: readonly number[], rate: number | undefined): number {
  if (rate !== undefined) return checkProb(rate, 'rate');
  const mutable = radix.filter((k) => k > 1).length;
  return mutable === 0 ? 0 : 1 / mutable;
}

function checkProb(p: number, name: string): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`${name} must be in [0, 1], got ${p}`);
  return p;
}

function checkPair(a: Genome, b: Genome): void {
  if (a.length !== b.length) throw new Error(`crossover: parents of length ${a.length} and ${b.length}`);
}

function checkLength(g: Genome, radix: readonly number[]): void {
  if (g.length !== radix.length) throw new Error(`genome of length ${g.length}, radix of ${radix.length}`);
}
