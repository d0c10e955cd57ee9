import { allGenomes, genomeKey, productSize, radices, satisfiesRules } from '../../space/space.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { createRng, type Rng } from '../../random.js';
import { additive, productMean, type AdditiveModel } from '../../core/additive.js';

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
 * The stream `averageFlopsBase` samples from: apart from the design's own (`createRng(seed)`), so that giving an
 * estimator a FLOPs model does not change which networks it draws.
 */
export function baseRng(seed: number): Rng {
  return createRng(seed ^ 0xba5e);
}

/** Uniform valid architectures `averageFlopsBase` scores on a space too large to enumerate. */
export const BASE_SAMPLES = 200_000;

/**
 * MathNAS Algorithm 1's base network: the architecture whose FLOPs are closest to the space's average FLOPs.
 * Spaces up to 2M genomes are enumerated and ties go to the lowest rank, so the choice is deterministic. Larger
 * spaces (OFA's per-layer MobileNetV3: ~10^20) take the closest of BASE_SAMPLES uniform valid architectures drawn
 * from `rng`, so the base there depends on the seed. `accept` narrows the candidates (graph awareness).
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
  const size = productSize(space);
  if (size <= ENUMERATE_UP_TO) {
    for (const g of allGenomes(radix)) consider(g);
  } else {
    if (!rng) throw new Error(`space ${space.name}: ${size} genomes are too many to enumerate; averageFlopsBase needs an rng to sample them`);
    for (let k = 0; k < BASE_SAMPLES; k++) consider(sampleGenome(space, rng));
  }
  if (!best) throw new Error(`space ${space.name}: no base network candidate (no valid architecture passes the filter)`);
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

/**
 * Valid architectures that, with `base`, use every block of every node at least once: each is a uniform draw whose
 * nodes are then moved, where the rules allow, to a block not used yet. About max(n_i) networks instead of the
 * Σ(n_i - 1) switch networks. Blocks that no valid architecture near a draw can use are left out after `patience`
 * draws in a row that cover nothing new.
 */
export function coveringNetworks(space: SearchSpace, base: Genome, rng: Rng, patience = 100): Genome[] {
  const unseen = space.nodes.map((n, i) => new Set(n.blocks.map((_, j) => j).filter((j) => j !== base[i])));
  const out: Genome[] = [];
  for (let idle = 0; idle < patience && unseen.some((u) => u.size > 0); ) {
    const g = [...sampleGenome(space, rng)];
    unseen.forEach((u, i) => {
      if (u.size === 0 || u.has(g[i]!)) return;
      const options = [...u];
      const was = g[i]!;
      g[i] = options[rng.int(options.length)]!;
      if (!satisfiesRules(space.rules, g)) g[i] = was;
    });
    const fresh = g.filter((b, i) => unseen[i]!.has(b)).length;
    if (fresh === 0) {
      idle++;
      continue;
    }
    idle = 0;
    g.forEach((b, i) => unseen[i]!.delete(b));
    out.push(g);
  }
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

