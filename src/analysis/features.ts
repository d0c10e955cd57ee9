/**
 * Architecture diversity: each architecture becomes the vector of how many of its layer slots hold each layer type,
 * normalised to fractions of its slots, and a space's diversity is the total variance (trace of the covariance) of
 * those vectors. Fractions put every space on one simplex, so spaces with different slot counts compare directly;
 * the total variance is 0 when every architecture has the same mix and at most 1 − 1/K for K types.
 */

/**
 * One vocabulary for all spaces, so per-type results line up across spaces. A type is what a layer computes (op and
 * kernel); widths (channels, expansion ratios, FFN sizes, attention heads) are not types. New types are appended, so
 * the earlier spaces' vectors only gain zero columns and their figures stay bit-identical.
 */
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
  // MobileNetV2/V3-style inverted residual (1×1 expand, k×k depthwise, 1×1 project), by depthwise kernel.
  'mbconv3x3',
  'mbconv5x5',
  'mbconv7x7',
  // Transformer sublayers: multi-head self-attention, encoder-decoder (cross) attention, position-wise feed-forward.
  'self_attention',
  'ende_attention',
  'feed_forward',
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
  return archDiversityWeighted(
    (function* () {
      for (const layers of archs) yield { layers, weight: 1 };
    })(),
  );
}

/** A layer list standing for `weight` architectures that all have it. */
export interface WeightedLayers {
  readonly layers: readonly LayerType[];
  readonly weight: number;
}

/**
 * `archDiversity` of a population given as distinct layer lists with multiplicities: exact for a space too large to
 * list whose architectures fall into few layer mixes. `archs` is the total weight. With unit weights it performs
 * exactly the operations of `archDiversity` (w · x = x for w = 1), so the results are bit-identical.
 */
export function archDiversityWeighted(archs: Iterable<WeightedLayers>): ArchDiversity {
  const k = LAYER_TYPES.length;
  const sum = new Float64Array(k);
  const sumSq = new Float64Array(k);
  let n = 0;
  for (const { layers, weight } of archs) {
    const v = layerFractions(layers);
    for (let j = 0; j < k; j++) {
      sum[j]! += weight * v[j]!;
      sumSq[j]! += weight * v[j]! * v[j]!;
    }
    n += weight;
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

/**
 * Standard error of the total variance of a sample: the total variance is the mean of the squared distances of the
 * fraction vectors to their mean, so its standard error is their SD over √n (the mean's own estimation error is of
 * order 1/n and ignored).
 */
export function totalVarianceStandardError(archs: readonly (readonly LayerType[])[]): number {
  const n = archs.length;
  if (n < 2) return NaN;
  const vs = archs.map(layerFractions);
  const mean = new Float64Array(LAYER_TYPES.length);
  for (const v of vs) for (let j = 0; j < v.length; j++) mean[j]! += v[j]! / n;
  const d = vs.map((v) => v.reduce((s, x, j) => s + (x - mean[j]!) ** 2, 0));
  const m = d.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
  return sd / Math.sqrt(n);
}
