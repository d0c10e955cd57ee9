import { fieldError } from './errors.js';

/** Seeded PRNG (mulberry32): every sampled figure in blocknas must reproduce from its seed. */
export interface Rng {
  next(): number;
  int(n: number): number;
}

/** The generator's state is 32 bits: a larger seed would silently wrap onto a smaller one. */
export const MAX_SEED = 2 ** 32 - 1;

/** A seed checked to be one the generator tells apart: an integer from 0 to MAX_SEED. */
export function checkSeed(seed: number, field = 'seed'): number {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) throw fieldError(field, `expected an integer from 0 to ${MAX_SEED} (32 bits), got ${seed}`);
  return seed;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
