import { shuffle, type Rng } from '../random.js';
import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { MooProblem } from './problem.js';

/** Tries per wanted genome before giving up: the space may be nearly exhausted or its rules rarely met. */
const TRIES = 50;

/** Up to `n` distinct valid genomes drawn uniformly per node, none of them in `exclude`. */
export function sampleValid(problem: MooProblem, rng: Rng, n: number, exclude: ReadonlySet<string> = new Set()): Genome[] {
  const out: Genome[] = [];
  const keys = new Set<string>();
  for (let t = 0; t < TRIES * n && out.length < n; t++) {
    const g = problem.repair(problem.radix.map((k) => rng.int(k)));
    if (!g) continue;
    const key = genomeKey(g);
    if (exclude.has(key) || keys.has(key)) continue;
    keys.add(key);
    out.push(g);
  }
  return out;
}

/**
 * Up to `n` distinct valid genomes in which every node uses each of its blocks as evenly as possible (a Latin
 * design over block choices): the block-level coverage a block-wise surrogate needs from its first fit, which
 * uniform sampling only gives on average. Repair and duplicates break the balance slightly; uniform draws fill up.
 */
export function balancedSample(problem: MooProblem, rng: Rng, n: number, exclude: ReadonlySet<string> = new Set()): Genome[] {
  const columns = problem.radix.map((k) => shuffle(Array.from({ length: n }, (_, i) => i % k), rng));
  const out: Genome[] = [];
  const keys = new Set(exclude);
  for (let i = 0; i < n; i++) {
    const g = problem.repair(columns.map((c) => c[i]!));
    if (!g) continue;
    const key = genomeKey(g);
    if (keys.has(key)) continue;
    keys.add(key);
    out.push(g);
  }
  if (out.length < n) out.push(...sampleValid(problem, rng, n - out.length, keys));
  return out;
}
