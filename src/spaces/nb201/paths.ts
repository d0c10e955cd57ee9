import type { Genome } from '../../space/types.js';
import { NONE } from './space.js';

/*
 * Path encoding of an NB201 cell (BANANAS, White et al. 2021): the cell's output sums its input-to-output paths,
 * so which op sequences reach the output says more about accuracy than the six edges one by one. NB201 has four
 * paths: 0→3 (e3), 0→1→3 (e0, e4), 0→2→3 (e1, e5), 0→1→2→3 (e0, e2, e5). Each becomes one extra categorical node:
 * its op sequence (4^length values, ops other than none) or "broken" (a none on it), so a block-wise model over
 * the augmented genome fits one value per path and op sequence.
 */
const PATHS: readonly (readonly number[])[] = [[3], [0, 4], [1, 5], [0, 2, 5]];

/** Blocks of the four path nodes: every op sequence, and one more value for a broken path. */
export const NB201_PATH_RADIX: readonly number[] = PATHS.map((p) => 4 ** p.length + 1);

/** The genome followed by its four path nodes. */
export function withPaths(g: Genome): number[] {
  const paths = PATHS.map((edges) => {
    let code = 0;
    for (const e of edges) {
      const op = g[e]!;
      if (op === NONE) return 4 ** edges.length;
      code = code * 4 + (op - 1);
    }
    return code;
  });
  return [...g, ...paths];
}
