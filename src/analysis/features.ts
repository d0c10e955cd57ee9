/**
 * Architecture diversity: each architecture becomes the vector of how many of its layer slots hold each layer type,
 * normalised to fractions of its slots, and a space's diversity is the total variance (trace of the covariance) of
 * those vectors. Fractions put every space on one simplex, so spaces with different slot counts compare directly;
 * the total variance is 0 when every architecture has the same mix and at most 1 − 1/K for K types.
 */

/** One vocabulary for all spaces, so per-type results line up across spaces. */
export const LAYER_TYPES = [
  'none',
  'skip',
  'conv1x1',
  'conv3x3',
  'sep_conv3x3',
  'sep_conv5x5',
  'dil_conv3x3',
  'dil_conv5x5',
  'max_pool3x3',
  'avg_pool3x3',
] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

const INDEX = new Map<LayerType, number>(LAYER_TYPES.map((t, i) => [t, i]));

/** Fraction of the slots holding each layer type; all zeros for an architecture without slots. */
export function layerFractions(layers: readonly LayerType[]): Float64Array {
  const v = new Float64Array(LAYER_TYPES.length);
  for (const t of layers) v[INDEX.get(t)!]! += 1;
  if (layers.length > 0) for (let k = 0; k < v.length; k++) v[k]! /= layers.length;
  return v;
}

export interface ArchDiversity {
  /** Architectures the variance was taken over. */
  readonly archs: number;
  /** Σ over layer types of the population variance of the fractions. */
  readonly totalVariance: number;
  /** Mean fraction and variance per layer type, for the types that occur. */
  readonly perType: Readonly<Record<string, { readonly mean: number; readonly variance: number }>>;
}

/** Total variance of the layer-fraction vectors of `archs` (population variance: the archs are the population). */
export function archDiversity(archs: Iterable<readonly LayerType[]>): ArchDiversity {
  const k = LAYER_TYPES.length;
  const sum = new Float64Array(k);
  const sumSq = new Float64Array(k);
  let n = 0;
  for (const layers of archs) {
    const v = layerFractions(layers);
    for (let j = 0; j < k; j++) {
      sum[j]! += v[j]!;
      sumSq[j]! += v[j]! * v[j]!;
    }
    n++;
  }
  let totalVariance = 0;
  const perType: Record<string, { mean: number; variance: number }> = {};
  for (let j = 0; j < k; j++) {
    const mean = n ? sum[j]! / n : NaN;
    // max(0, ·) because E[x²] − E[x]² can come out a rounding error below zero for a constant column.
    const variance = n ? Math.max(0, sumSq[j]! / n - mean * mean) : NaN;
    totalVariance += variance;
    if (sum[j]! > 0) perType[LAYER_TYPES[j]!] = { mean, variance };
  }
  return { archs: n, totalVariance, perType };
}
