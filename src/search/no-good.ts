import type { CouplingRule, Genome } from '../space/types.js';

/** A rule that excludes exactly one architecture: it may agree with `g` on all nodes but one. */
export function noGood(g: Genome): CouplingRule {
  return { name: `not ${g.join(',')}`, terms: g.map((block, node) => ({ node, block, coef: 1 })), op: '<=', rhs: g.length - 1 };
}
