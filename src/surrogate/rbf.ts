import type { Genome } from '../space/types.js';
import { checkFitData, encodeAll, genomeFeatures, medianDistance, notFitted, squaredDistance } from './features.js';
import { luSolve } from './linalg.js';
import type { Surrogate, SurrogateBaseOptions } from './types.js';

export type RbfKernel = 'gaussian' | 'cubic';

export interface RbfOptions extends SurrogateBaseOptions {
  /** Default cubic with a linear tail, the RBF surrogate of NAT (pySOT's default). */
  readonly kernel?: RbfKernel;
  /** Gaussian width σ in φ(r) = exp(-r²/2σ²); default the median pairwise training distance. */
  readonly width?: number;
  /** Added to the kernel diagonal: 0 interpolates the training data exactly; default 1e-6 as in pySOT. */
  readonly regularization?: number;
  /** Affine tail p(x) = c₀ + cᵀx; default true (the cubic kernel is only conditionally positive definite without it). */
  readonly tail?: boolean;
}

/**
 * RBF network f(x) = Σᵢ wᵢ φ(‖x − xᵢ‖) + p(x), from the saddle-point system [Φ + λI, P; Pᵀ, −εI][w; c] = [y; 0].
 * The −εI block is there because one-hot columns within a node sum to the intercept column, so P has dependent
 * columns; it only relaxes Pᵀw = 0, never the first block row, so with λ = 0 training points are still matched exactly.
 */
export function rbfSurrogate(options: RbfOptions): Surrogate {
  const kernel = options.kernel ?? 'cubic';
  const lambda = options.regularization ?? 1e-6;
  const useTail = options.tail ?? true;
  if (!(lambda >= 0)) throw new Error('rbf: regularization must be >= 0');
  const features = genomeFeatures(options.radix, options.encoding ?? 'onehot');
  const name = options.name ?? `rbf-${kernel}`;
  let model: { centres: Float64Array[]; w: Float64Array; c: Float64Array; phi: (r2: number) => number } | null = null;

  return {
    name,
    fit(x: readonly Genome[], y: readonly number[]) {
      checkFitData(x, y);
      const centres = encodeAll(features, x);
      const n = centres.length;
      const width = options.width ?? medianDistance(centres);
      const phi = kernel === 'cubic' ? (r2: number) => r2 * Math.sqrt(r2) : (r2: number) => Math.exp(-r2 / (2 * width * width));
      const q = useTail ? features.dim + 1 : 0;
      const size = n + q;
      const a = new Float64Array(size * size);
      let scale = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          const v = phi(squaredDistance(centres[i]!, centres[j]!));
          a[i * size + j] = v;
          a[j * size + i] = v;
          scale = Math.max(scale, Math.abs(v));
        }
      for (let i = 0; i < n; i++) a[i * size + i]! += lambda;
      const eps = 1e-10 * Math.max(scale, 1);
      for (let i = 0; i < n; i++)
        for (let t = 0; t < q; t++) {
          const v = t === 0 ? 1 : centres[i]![t - 1]!;
          a[i * size + n + t] = v;
          a[(n + t) * size + i] = v;
        }
      for (let t = 0; t < q; t++) a[(n + t) * size + n + t] = -eps;
      const rhs = new Float64Array(size);
      rhs.set(y);
      const sol = luSolve(a, size, rhs);
      model = { centres, w: sol.subarray(0, n), c: sol.subarray(n), phi };
    },
    predict(x: readonly Genome[]) {
      if (!model) throw notFitted(name);
      const { centres, w, c, phi } = model;
      const out = new Float64Array(x.length);
      x.forEach((g, r) => {
        const v = features.encode(g);
        let s = 0;
        for (let i = 0; i < centres.length; i++) s += w[i]! * phi(squaredDistance(v, centres[i]!));
        if (c.length > 0) {
          s += c[0]!;
          for (let k = 0; k < v.length; k++) s += c[k + 1]! * v[k]!;
        }
        out[r] = s;
      });
      return out;
    },
  };
}
