import type { Genome } from '../space/types.js';
import type { PairTerm } from '../core/additive.js';

/**
 * One-hot block encoding with an intercept (feature 0), optionally with every pair of nodes' joint choice as
 * further one-hot groups. Pair features keep the model exactly representable in an integer linear program.
 */
export interface BlockEncoding {
  readonly size: number;
  readonly pairs: boolean;
  /** Active feature indices of an architecture. */
  encode(g: Genome): Int32Array;
  /** Which features are pair terms (penalised more than main effects). */
  isPair(k: number): boolean;
  /** Splits fitted weights back into an intercept, per-node values and pair terms. */
  decode(w: ArrayLike<number>): { intercept: number; values: number[][]; pairs: PairTerm[] };
}

export function pairFeatureCount(radix: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < radix.length; i++) for (let j = i + 1; j < radix.length; j++) n += radix[i]! * radix[j]!;
  return n;
}

export function blockEncoding(radix: readonly number[], pairs: boolean): BlockEncoding {
  const m = radix.length;
  const nodeOff: number[] = [];
  let k = 1;
  for (const r of radix) {
    nodeOff.push(k);
    k += r;
  }
  const mainEnd = k;
  const pairOff: { i: number; j: number; off: number }[] = [];
  if (pairs) {
    for (let i = 0; i < m; i++)
      for (let j = i + 1; j < m; j++) {
        pairOff.push({ i, j, off: k });
        k += radix[i]! * radix[j]!;
      }
  }
  const size = k;
  return {
    size,
    pairs,
    isPair: (f) => f >= mainEnd,
    encode(g) {
      const x = new Int32Array(1 + m + pairOff.length);
      x[0] = 0;
      for (let i = 0; i < m; i++) x[1 + i] = nodeOff[i]! + g[i]!;
      pairOff.forEach((p, t) => (x[1 + m + t] = p.off + g[p.i]! * radix[p.j]! + g[p.j]!));
      return x;
    },
    decode(w) {
      const values = radix.map((r, i) => Array.from({ length: r }, (_, b) => w[nodeOff[i]! + b]!));
      const pairTerms = pairOff.map(({ i, j, off }) => ({
        i,
        j,
        values: Array.from({ length: radix[i]! }, (_, a) =>
          Array.from({ length: radix[j]! }, (_, b) => w[off + a * radix[j]! + b]!),
        ),
      }));
      return { intercept: w[0]!, values, pairs: pairTerms };
    },
  };
}
