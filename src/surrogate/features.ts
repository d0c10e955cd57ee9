import { blockEncoding } from '../predict/encoding.js';
import type { Genome } from '../space/types.js';
import type { EncodingKind } from './types.js';

/** A fixed map from genomes to dense feature vectors of length `dim`. */
export interface GenomeFeatures {
  readonly kind: EncodingKind;
  readonly dim: number;
  encode(g: Genome): Float64Array;
}

/**
 * One-hot reuses the block encoding of the linear predictors without its intercept (feature 0), so a surrogate
 * and a block table index (node, block) the same way.
 */
export function genomeFeatures(radix: readonly number[], kind: EncodingKind): GenomeFeatures {
  if (kind === 'ordinal') {
    return {
      kind,
      dim: radix.length,
      encode(g) {
        checkLength(g, radix.length);
        // A node with one block carries no information; 0 keeps it from dividing by zero.
        return Float64Array.from(radix, (r, i) => (r > 1 ? g[i]! / (r - 1) : 0));
      },
    };
  }
  const enc = blockEncoding(radix, false);
  return {
    kind,
    dim: enc.size - 1,
    encode(g) {
      checkLength(g, radix.length);
      const x = new Float64Array(enc.size - 1);
      const active = enc.encode(g);
      for (let u = 1; u < active.length; u++) x[active[u]! - 1] = 1;
      return x;
    },
  };
}

function checkLength(g: Genome, m: number): void {
  if (g.length !== m) throw new Error(`surrogate: genome has ${g.length} nodes, the radix ${m}`);
}

export function encodeAll(f: GenomeFeatures, xs: readonly Genome[]): Float64Array[] {
  return xs.map((g) => f.encode(g));
}

export function checkFitData(x: readonly unknown[], y: readonly number[], min = 1): void {
  if (x.length !== y.length) throw new Error(`surrogate: ${x.length} genomes but ${y.length} targets`);
  if (x.length < min) throw new Error(`surrogate: needs at least ${min} training points, got ${x.length}`);
  if (!y.every(Number.isFinite)) throw new Error('surrogate: targets must be finite (drop failed evaluations first)');
}

export function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return s;
}

/** Median pairwise distance: the scale that makes default kernel widths independent of encoding and space. */
export function medianDistance(xs: readonly Float64Array[], maxPairs = 20000): number {
  const d: number[] = [];
  outer: for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      const s = squaredDistance(xs[i]!, xs[j]!);
      if (s > 0) d.push(Math.sqrt(s));
      if (d.length >= maxPairs) break outer;
    }
  if (d.length === 0) return 1;
  d.sort((a, b) => a - b);
  return d[d.length >> 1]!;
}

export function notFitted(name: string): Error {
  return new Error(`surrogate ${name}: predict before fit`);
}
