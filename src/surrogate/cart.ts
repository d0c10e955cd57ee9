import type { Rng } from '../random.js';

/** A CART regression tree: go left when x[feature] <= threshold. */
export type TreeNode =
  | { readonly leaf: true; readonly value: number; readonly count: number }
  | { readonly leaf: false; readonly feature: number; readonly threshold: number; readonly count: number; readonly left: TreeNode; readonly right: TreeNode };

export interface TreeOptions {
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  readonly minSamplesSplit?: number;
  /** Features tried per split (random forests); default all. */
  readonly maxFeatures?: number;
  /** Required when maxFeatures is below the feature count. */
  readonly rng?: Rng;
}

/** Feature-major copy of the rows: a split search scans one feature over many rows. */
export function toColumns(rows: readonly Float64Array[], dim: number): Float64Array[] {
  return Array.from({ length: dim }, (_, f) => Float64Array.from(rows, (r) => r[f]!));
}

export function fitTree(rows: readonly Float64Array[], y: ArrayLike<number>, options: TreeOptions = {}): TreeNode {
  const dim = rows[0]?.length ?? 0;
  return growTree(toColumns(rows, dim), y, Array.from(rows, (_, i) => i), options);
}

/**
 * Grows a tree on `sample` (row indices; repeats allowed, which is how a bootstrap weights rows). Splits minimise
 * the summed squared error of the two children; ties keep the first feature and the lowest threshold found, so a
 * tree depends only on its data and the rng.
 */
export function growTree(cols: readonly Float64Array[], y: ArrayLike<number>, sample: readonly number[], options: TreeOptions = {}): TreeNode {
  const maxDepth = options.maxDepth ?? Infinity;
  const minLeaf = Math.max(1, options.minSamplesLeaf ?? 1);
  const minSplit = Math.max(2, options.minSamplesSplit ?? 2);
  const dim = cols.length;
  const maxFeatures = Math.min(dim, options.maxFeatures ?? dim);
  if (maxFeatures < dim && !options.rng) throw new Error('cart: maxFeatures below the feature count needs an rng');
  const order = Array.from({ length: dim }, (_, f) => f);

  const grow = (idx: number[], depth: number): TreeNode => {
    const m = idx.length;
    let sum = 0;
    let sq = 0;
    for (const i of idx) {
      sum += y[i]!;
      sq += y[i]! ** 2;
    }
    const mu = sum / m;
    const sse = sq - sum * mu;
    const leaf: TreeNode = { leaf: true, value: mu, count: m };
    // Relative tolerance: a node whose targets agree to rounding has nothing left to explain.
    if (depth >= maxDepth || m < minSplit || m < 2 * minLeaf || sse <= 1e-12 * sq) return leaf;

    if (maxFeatures < dim) {
      for (let k = 0; k < dim; k++) {
        const j = k + options.rng!.int(dim - k);
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
    }
    // Gain = SSE reduction = sL²·(1/nL + 1/nR) on centred targets (sR = −sL), free of the cancellation of sL²/nL + sR²/nR − S²/m.
    let bestGain = 1e-12 * sse;
    let best: { feature: number; threshold: number; sorted: number[]; at: number } | null = null;
    let tried = 0;
    for (const f of order) {
      if (tried >= maxFeatures) break;
      const col = cols[f]!;
      const sorted = [...idx].sort((a, b) => col[a]! - col[b]!);
      // Like scikit-learn, a feature that is constant here does not count towards maxFeatures.
      if (col[sorted[0]!]! === col[sorted[m - 1]!]!) continue;
      tried++;
      let left = 0;
      for (let k = 0; k < m - 1; k++) {
        left += y[sorted[k]!]! - mu;
        const nl = k + 1;
        const here = col[sorted[k]!]!;
        const next = col[sorted[k + 1]!]!;
        if (here === next || nl < minLeaf || m - nl < minLeaf) continue;
        const gain = left * left * (1 / nl + 1 / (m - nl));
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, threshold: (here + next) / 2, sorted, at: nl };
        }
      }
    }
    if (!best) return leaf;
    return {
      leaf: false,
      feature: best.feature,
      threshold: best.threshold,
      count: m,
      left: grow(best.sorted.slice(0, best.at), depth + 1),
      right: grow(best.sorted.slice(best.at), depth + 1),
    };
  };
  if (sample.length === 0) throw new Error('cart: empty sample');
  return grow([...sample], 0);
}

export function predictTree(node: TreeNode, x: ArrayLike<number>): number {
  let t = node;
  while (!t.leaf) t = x[t.feature]! <= t.threshold ? t.left : t.right;
  return t.value;
}

export function treeDepth(node: TreeNode): number {
  return node.leaf ? 0 : 1 + Math.max(treeDepth(node.left), treeDepth(node.right));
}
