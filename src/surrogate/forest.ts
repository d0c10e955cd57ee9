import { createRng } from '../random.js';
import type { Genome } from '../space/types.js';
import { growTree, predictTree, toColumns, type TreeNode } from './cart.js';
import { checkFitData, encodeAll, genomeFeatures, notFitted } from './features.js';
import type { Surrogate, SurrogateBaseOptions } from './types.js';

export interface ForestOptions extends SurrogateBaseOptions {
  readonly trees?: number;
  /** Features tried per split; default a third of them (Breiman's choice for regression), at least one. */
  readonly maxFeatures?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  /** Default true; false grows every tree on all rows (then only feature subsampling decorrelates them). */
  readonly bootstrap?: boolean;
  readonly seed?: number;
}

/** Random forest of fully grown CART trees on bootstrap samples with per-split feature subsampling. */
export function randomForest(options: ForestOptions): Surrogate & { readonly trees: readonly TreeNode[] } {
  // One-hot by default although trees can split ordinal indices: NB201's blocks are unordered operations, and a
  // split that isolates one operation beat contiguous index ranges at 100 and 300 training cells (bench.ts).
  const features = genomeFeatures(options.radix, options.encoding ?? 'onehot');
  const count = options.trees ?? 100;
  const maxFeatures = options.maxFeatures ?? Math.max(1, Math.ceil(features.dim / 3));
  const name = options.name ?? 'random-forest';
  let trees: TreeNode[] = [];

  return {
    name,
    get trees() {
      return trees;
    },
    fit(x: readonly Genome[], y: readonly number[]) {
      checkFitData(x, y);
      const cols = toColumns(encodeAll(features, x), features.dim);
      // A fresh stream per fit: refitting the same data reproduces the same forest.
      const rng = createRng(options.seed ?? 0);
      const n = x.length;
      trees = Array.from({ length: count }, () => {
        const sample = options.bootstrap === false ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: n }, () => rng.int(n));
        return growTree(cols, y, sample, {
          maxFeatures,
          rng,
          ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
          ...(options.minSamplesLeaf !== undefined ? { minSamplesLeaf: options.minSamplesLeaf } : {}),
        });
      });
    },
    predict(x: readonly Genome[]) {
      if (trees.length === 0) throw notFitted(name);
      return Float64Array.from(x, (g) => {
        const v = features.encode(g);
        let s = 0;
        for (const t of trees) s += predictTree(t, v);
        return s / trees.length;
      });
    },
  };
}
