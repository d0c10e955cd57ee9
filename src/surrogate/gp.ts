import { createRng, shuffle } from '../random.js';
import type { Genome } from '../space/types.js';
import { checkFitData, encodeAll, genomeFeatures, medianDistance, notFitted, squaredDistance } from './features.js';
import { backSolve, cholesky, forwardSolve } from './linalg.js';
import type { ProbabilisticSurrogate, SurrogateBaseOptions } from './types.js';

export type GpKernel = 'rbf' | 'matern52';

export const DEFAULT_HYPER_ROWS = 400;

/** k(x, x') = signalVariance · κ(‖x − x'‖ / lengthscale); observations carry noiseVariance on top. */
export interface GpHyper {
  readonly lengthscale: number;
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

export interface GpOptions extends SurrogateBaseOptions {
  /** Default Matérn 5/2: the squared exponential is too smooth for accuracy surfaces that jump at one block change. */
  readonly kernel?: GpKernel;
  /** Fixed hyperparameters (in the target's units); skips the likelihood search. */
  readonly hyper?: GpHyper;
  /** Lengthscale grid, as multiples of the median pairwise training distance. */
  readonly lengthscaleFactors?: readonly number[];
  /** Grid of noise-to-signal variance ratios. */
  readonly noiseRatios?: readonly number[];
  /**
   * Past this many training rows the hyperparameter grid is searched on a fixed random subset of this size, and
   * only the chosen setting is factorised on every row (default 400). The grid costs one Cholesky factorisation per
   * setting, cubic in the rows; a search that fits every measured network's equivalents as well (NATv2 on NB201)
   * reaches 1,000-1,500 rows, where the full grid took minutes per fit.
   */
  readonly hyperRows?: number;
}

export interface GaussianProcess extends ProbabilisticSurrogate {
  /** The hyperparameters of the last fit (null before fitting). */
  readonly hyper: GpHyper | null;
  /** log p(y | X, hyper) of the last fit, with the prior mean fixed at the training mean. */
  readonly logMarginalLikelihood: number;
}

export function gpCorrelation(kernel: GpKernel, r2: number, lengthscale: number): number {
  if (kernel === 'rbf') return Math.exp(-r2 / (2 * lengthscale * lengthscale));
  const s = (Math.sqrt(5) * Math.sqrt(r2)) / lengthscale;
  return (1 + s + (s * s) / 3) * Math.exp(-s);
}

/** A factorised fit: the kernel's Cholesky factor, the weights K⁻¹r and the log marginal likelihood. */
interface Factorised {
  hyper: GpHyper;
  l: Float64Array;
  alpha: Float64Array;
  lml: number;
}

interface State extends Factorised {
  centres: Float64Array[];
  mean: number;
}

/**
 * Exact GP regression with a constant prior mean (the training mean). Hyperparameters maximise the log marginal
 * likelihood over a lengthscale × noise-ratio grid; for each grid point the signal variance has a closed-form
 * optimum, σf² = rᵀA⁻¹r / n with A = C + (σn²/σf²)I, so a small grid covers all three parameters.
 */
export function gaussianProcess(options: GpOptions): GaussianProcess {
  const kernel = options.kernel ?? 'matern52';
  const features = genomeFeatures(options.radix, options.encoding ?? 'onehot');
  const factors = options.lengthscaleFactors ?? [0.25, 0.5, 1, 2, 4];
  const ratios = options.noiseRatios ?? [1e-6, 1e-4, 1e-3, 1e-2, 0.1, 0.3];
  const name = options.name ?? `gp-${kernel}`;
  let state: State | null = null;

  const factorise = (d2: Float64Array, n: number, h: GpHyper, r: Float64Array) => {
    const k = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) k[i] = h.signalVariance * gpCorrelation(kernel, d2[i]!, h.lengthscale);
    for (let i = 0; i < n; i++) k[i * n + i]! += h.noiseVariance;
    const l = cholesky(k, n);
    if (!l) return null;
    const z = forwardSolve(l, n, r);
    let logDet = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      logDet += 2 * Math.log(l[i * n + i]!);
      quad += z[i]! ** 2;
    }
    const lml = -0.5 * quad - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
    return { l, alpha: backSolve(l, n, z), lml, quad };
  };

  /**
   * The chosen setting on every row. Rows the subset did not see can make the kernel numerically singular at a
   * tiny noise ratio (repeated rows: front weighting repeats archive members), so the noise is raised along the
   * grid's ratios until the factorisation succeeds.
   */
  const factoriseFull = (d2: Float64Array, n: number, r: Float64Array, hyper: GpHyper): Factorised => {
    const ratio = hyper.noiseVariance / hyper.signalVariance;
    for (const next of [ratio, ...ratios.filter((v) => v > ratio)]) {
      const h = { ...hyper, noiseVariance: next * hyper.signalVariance };
      const f = factorise(d2, n, h, r);
      if (f) return { hyper: h, l: f.l, alpha: f.alpha, lml: f.lml };
    }
    throw new Error(`${name}: the chosen hyperparameters gave no positive-definite kernel on all ${n} rows`);
  };

  const kStar = (v: Float64Array, s: State) =>
    Float64Array.from(s.centres, (c) => s.hyper.signalVariance * gpCorrelation(kernel, squaredDistance(v, c), s.hyper.lengthscale));

  return {
    name,
    get hyper() {
      return state?.hyper ?? null;
    },
    get logMarginalLikelihood() {
      return state?.lml ?? NaN;
    },
    fit(x: readonly Genome[], y: readonly number[]) {
      checkFitData(x, y);
      const centres = encodeAll(features, x);
      const n = centres.length;
      const mean = y.reduce((a, b) => a + b, 0) / n;
      const r = Float64Array.from(y, (v) => v - mean);
      const d2 = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d2[i * n + j] = squaredDistance(centres[i]!, centres[j]!);
      let best: Factorised | null = null;
      if (options.hyper) {
        const f = factorise(d2, n, options.hyper, r);
        if (!f) throw new Error(`${name}: kernel matrix not positive definite under the given hyperparameters`);
        best = { hyper: options.hyper, ...f };
      } else {
        const hyperRows = options.hyperRows ?? DEFAULT_HYPER_ROWS;
        const sub = n > hyperRows ? shuffle(Array.from({ length: n }, (_, i) => i), createRng(n)).slice(0, hyperRows) : null;
        const m = sub ? sub.length : n;
        const subD2 = sub ? Float64Array.from({ length: m * m }, (_, k) => d2[sub[Math.floor(k / m)]! * n + sub[k % m]!]!) : d2;
        const subR = sub ? Float64Array.from(sub, (i) => r[i]!) : r;
        const base = medianDistance(sub ? sub.map((i) => centres[i]!) : centres);
        let chosen: Factorised | null = null;
        for (const factor of factors)
          for (const ratio of ratios) {
            const unit = { lengthscale: factor * base, signalVariance: 1, noiseVariance: ratio };
            const f = factorise(subD2, m, unit, subR);
            if (!f) continue;
            // Profile out σf²: scaling K by s scales the quadratic term by 1/s and adds m·log s to log|K|.
            const s = Math.max(f.quad / m, 1e-12);
            const lml = f.lml + 0.5 * f.quad - 0.5 * f.quad / s - 0.5 * m * Math.log(s);
            if (chosen && lml <= chosen.lml) continue;
            const hyper = { lengthscale: unit.lengthscale, signalVariance: s, noiseVariance: ratio * s };
            chosen = { hyper, l: f.l, alpha: f.alpha, lml };
          }
        if (!chosen) throw new Error(`${name}: no hyperparameter setting gave a positive-definite kernel`);
        if (sub) {
          best = factoriseFull(d2, n, r, chosen.hyper);
        } else {
          // The factor and weights were computed at unit signal variance; rescale them to the chosen one.
          const s = chosen.hyper.signalVariance;
          best = { ...chosen, l: chosen.l.map((v) => v * Math.sqrt(s)), alpha: chosen.alpha.map((v) => v / s) };
        }
      }
      state = { centres, mean, ...best };
    },
    predict(x: readonly Genome[]) {
      const s = state;
      if (!s) throw notFitted(name);
      return Float64Array.from(x, (g) => dot(kStar(features.encode(g), s), s.alpha) + s.mean);
    },
    predictWithVariance(x: readonly Genome[]) {
      const s = state;
      if (!s) throw notFitted(name);
      const n = s.centres.length;
      const mean = new Float64Array(x.length);
      const variance = new Float64Array(x.length);
      x.forEach((g, r) => {
        const k = kStar(features.encode(g), s);
        mean[r] = dot(k, s.alpha) + s.mean;
        const v = forwardSolve(s.l, n, k);
        // Latent-function variance (no observation noise); rounding can take it a hair below zero.
        variance[r] = Math.max(s.hyper.signalVariance - dot(v, v), 0);
      });
      return { mean, variance };
    },
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
