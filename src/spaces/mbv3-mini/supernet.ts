import type { SupernetFamily } from '../../eval/supernet.js';
import type { Rng } from '../../random.js';
import { isValidGenome } from '../../space/space.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { MBV3_MINI_MACRO } from '../../tfjs/mbv3/config.js';
import { createMbv3MiniSpace, mbv3MiniConfig, parseMbv3Mini } from './space.js';

/**
 * mbv3-mini as sub-networks of one super-network. The sandwich's largest network has every choice at its largest
 * (kernel 7, expansion 6, depth 4, a kernel-5 parallel branch since the rules forbid a second kernel 7, dense skips);
 * the early exits are trained when random draws include them.
 */
export function mbv3MiniFamily(space: SearchSpace = createMbv3MiniSpace()): SupernetFamily {
  return {
    space: space.name,
    macro: MBV3_MINI_MACRO,
    largest: parseMbv3Mini('k7e6d4-p5|k7e6d4-p5-dense|k7e6d4-p5-dense|exit-none'),
    smallest: parseMbv3Mini('k3e3d2|k3e3d2|k3e3d2|exit-none'),
    sample(rng: Rng): Genome {
      // Rejection keeps the draw uniform over valid genomes (about 70% of uniform draws are valid).
      for (;;) {
        const g = space.nodes.map((n) => rng.int(n.blocks.length));
        if (isValidGenome(space, g)) return g;
      }
    },
    configOf: mbv3MiniConfig,
  };
}
