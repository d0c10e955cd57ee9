import { allGenomes, genomeKey, productSize, radices, satisfiesRules } from '../../space/space.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import type { Rng } from '../../random.js';
import { additive, productMean, type AdditiveModel } from '../model.js';

const ENUMERATE_UP_TO = 2_000_000n;

/** Uniform sample of the product space, rejecting architectures that break a coupling rule. */
export function sampleGenome(space: SearchSpace, rng: Rng): Genome {
  for (let tries = 0; tries < 100_000; tries++) {
    const g = space.nodes.map((n) => rng.int(n.blocks.length));
    if (satisfiesRules(space.rules, g)) return g;
  }
  throw new Error(`space ${space.name}: no valid architecture found by rejection sampling`);
}

/**
 * MathNAS Algorithm 1's base network: the architecture whose FLOPs are closest to the space's average FLOPs.
 * Ties go to the lowest rank, so the choice is deterministic. `accept` narrows the candidates (graph awareness).
 */
export function averageFlopsBase(
  space: SearchSpace,
  flops: AdditiveModel | undefined,
  accept: (g: Genome) => boolean = () => true,
  rng?: Rng,
): Genome {
  const radix = radices(space);
  if (!flops) return radix.map((r) => Math.floor((r - 1) / 2));
  const target = productMean(flops);
  let best: Genome | null = null;
  let bestGap = Infinity;
  const consider = (g: Genome) => {
    if (!satisfiesRules(space.rules, g) || !accept(g)) return;
    const gap = Math.abs(additive(flops, g) - target);
    if (gap < bestGap - 1e-12) {
      best = g;
      bestGap = gap;
    }
  };
  if (productSize(space) <= ENUMERATE_UP_TO) for (const g of allGenomes(radix)) consider(g);
  else for (let k = 0; k < 200_000 && rng; k++) consider(sampleGenome(space, rng));
  if (!best) throw new Error(`space ${space.name}: no base network candidate`);
  return best;
}

/** The architectures that differ from `base` in exactly one node, node by node, block by block. */
export function switchNetworks(space: SearchSpace, base: Genome): { node: number; block: number; genome: Genome }[] {
  const out: { node: number; block: number; genome: Genome }[] = [];
  space.nodes.forEach((n, i) => {
    for (let j = 0; j < n.blocks.length; j++) {
      if (j === base[i]) continue;
      const g = base.slice();
      g[i] = j;
      out.push({ node: i, block: j, genome: g });
    }
  });
  return out;
}

/** First architecture (by rank) whose effective form is null: a stand-in for every disconnected network. */
export function disconnectedNetwork(space: SearchSpace): Genome | null {
  if (!space.effective) return null;
  const radix = radices(space);
  for (const g of allGenomes(radix)) if (space.effective(g) === null) return g;
  return null;
}

export function dedupe(gs: readonly Genome[]): Genome[] {
  const seen = new Set<string>();
  return gs.filter((g) => {
    const k = genomeKey(g);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Accepts architectures that are their own effective form (every block can reach the output), for spaces with
 * graph semantics. A base network with a dead block would measure nothing when that block is switched.
 */
export function isOwnEffectiveForm(space: SearchSpace): ((g: Genome) => boolean) | undefined {
  if (!space.effective) return undefined;
  return (g) => {
    const e = space.effective!(g);
    return e !== null && genomeKey(e) === genomeKey(g);
  };
}
