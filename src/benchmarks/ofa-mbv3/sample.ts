import type { Rng } from '../../random.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { DEPTHS, EXPANDS, KERNELS, SLOTS, STAGES } from './arch.js';
import { genomeOf, resolutionOf, RESOLUTION_NODE } from './space.js';

/**
 * A random sub-network as once-for-all samples them (`sample_active_subnet`): a resolution, then per stage a depth
 * uniform in {2, 3, 4} and per slot a kernel and an expand ratio, all uniform. Unlike a uniform draw of genomes,
 * which gives depth 4 to 89 % of the stages, every depth is equally likely.
 */
export function sampleOfaGenome(space: SearchSpace, rng: Rng): Genome {
  const resBlocks = space.nodes[RESOLUTION_NODE]!.blocks.length;
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
  const r = resolutionOf(space, [rng.int(resBlocks)]);
  const d = Array.from({ length: STAGES }, () => pick(DEPTHS));
  const ks = Array.from({ length: STAGES * SLOTS }, () => pick(KERNELS));
  const e = Array.from({ length: STAGES * SLOTS }, () => pick(EXPANDS));
  return genomeOf(space, { r, d, ks, e });
}
