import type { Genome } from '../space/types.js';
import type { Domains } from './choice-program.js';
import type { Table } from './formulation.js';

/** Cap on moves in each phase, so a bad start costs a few scans of the blocks, not more. */
const MAX_MOVES = 64;

/**
 * A genome within the limits near `start` (each node's best block under the root's multipliers, which breaks a limit
 * by a node or two at most): blocks are moved into the limits one at a time, each time the move that loses the
 * least value per unit of excess removed, then single moves that gain value and keep the limits are taken while
 * any is left. Node values and weights only (pair terms and rules are ignored); the caller checks the genome
 * exactly. Null when the excess cannot be removed this way.
 */
export function lagrangeIncumbent(values: Table, weights: readonly Table[], caps: readonly number[], d: Domains, start: Genome): number[] | null {
  const g = [...start];
  const n = g.length;
  const used = caps.map((_, l) => g.reduce((s, a, j) => s + weights[l]![j]![a]!, 0));
  // Excess is summed over limits in units of each limit's total spread over the domains.
  const scale = weights.map((w) => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const a of d[j]!) [lo, hi] = [Math.min(lo, w[j]![a]!), Math.max(hi, w[j]![a]!)];
      s += hi - lo;
    }
    return s > 0 ? s : 1;
  });
  /** Total excess once node j moves to block a (j < 0: as things stand). */
  const excessAfter = (j: number, a: number): number => {
    let e = 0;
    for (let l = 0; l < caps.length; l++) {
      const change = j < 0 ? 0 : weights[l]![j]![a]! - weights[l]![j]![g[j]!]!;
      e += Math.max(0, used[l]! + change - caps[l]!) / scale[l]!;
    }
    return e;
  };
  const move = (j: number, a: number): void => {
    for (let l = 0; l < caps.length; l++) used[l] = used[l]! + weights[l]![j]![a]! - weights[l]![j]![g[j]!]!;
    g[j] = a;
  };
  for (let step = 0, excess = excessAfter(-1, 0); excess > 0; step++, excess = excessAfter(-1, 0)) {
    if (step === MAX_MOVES) return null;
    let best = -1;
    let bestBlock = -1;
    let bestRate = -Infinity;
    for (let j = 0; j < n; j++) {
      for (const a of d[j]!) {
        const removed = excess - excessAfter(j, a);
        if (!(removed > 0)) continue;
        const rate = (values[j]![a]! - values[j]![g[j]!]!) / removed;
        if (rate > bestRate) [best, bestBlock, bestRate] = [j, a, rate];
      }
    }
    if (best < 0) return null;
    move(best, bestBlock);
  }
  for (let step = 0; step < MAX_MOVES; step++) {
    let best = -1;
    let bestBlock = -1;
    let bestGain = 0;
    for (let j = 0; j < n; j++) {
      for (const a of d[j]!) {
        const gain = values[j]![a]! - values[j]![g[j]!]!;
        if (gain > bestGain && excessAfter(j, a) === 0) [best, bestBlock, bestGain] = [j, a, gain];
      }
    }
    if (best < 0) break;
    move(best, bestBlock);
  }
  return g;
}
