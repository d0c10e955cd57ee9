import { createRng, shuffle, type Rng } from '../random.js';
import type { Genome } from '../space/types.js';
import { checkFitData, encodeAll, genomeFeatures, notFitted } from './features.js';
import type { Surrogate, SurrogateBaseOptions } from './types.js';

export interface MlpOptions extends SurrogateBaseOptions {
  /** Hidden layer widths: one or two layers. Default [64]. */
  readonly hidden?: readonly number[];
  readonly learningRate?: number;
  /** Upper bound on training epochs; early stopping usually ends sooner. */
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Fraction held out for early stopping; 0 trains on everything for `epochs`. */
  readonly holdout?: number;
  /** Epochs without a better holdout loss before stopping. */
  readonly patience?: number;
  /**
   * Decoupled weight decay (AdamW: each step shrinks weights by learningRate·weightDecay). Default 1, far above
   * the usual 1e-2: with a few hundred networks an unshrunk MLP invents interactions; on NB201 this default lifted
   * the Kendall tau of the surrogate bench (bench/surrogate-bench.ts; docs/notes/2026-12-08-evolve-bench.md).
   */
  readonly weightDecay?: number;
  readonly seed?: number;
}

interface Layer {
  readonly inputs: number;
  readonly outputs: number;
  readonly w: number; // offset of the inputs×outputs weights in the flat parameter vector
  readonly b: number; // offset of the biases
}

/**
 * A small ReLU MLP on standardised targets, trained by Adam on mean squared error, keeping the weights with the
 * lowest holdout loss. All parameters live in one flat vector so Adam and the early-stopping snapshot are one loop.
 */
export function mlpSurrogate(options: MlpOptions): Surrogate {
  const features = genomeFeatures(options.radix, options.encoding ?? 'onehot');
  const hidden = options.hidden ?? [64];
  if (hidden.length < 1 || hidden.length > 2) throw new Error('mlp: one or two hidden layers');
  const widths = [features.dim, ...hidden, 1];
  const layers: Layer[] = [];
  let size = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const inputs = widths[l]!;
    const outputs = widths[l + 1]!;
    layers.push({ inputs, outputs, w: size, b: size + inputs * outputs });
    size += inputs * outputs + outputs;
  }
  const lr = options.learningRate ?? 3e-3;
  const epochs = options.epochs ?? 1000;
  const batchSize = options.batchSize ?? 32;
  const holdoutFraction = options.holdout ?? 0.2;
  const patience = options.patience ?? 50;
  const decay = options.weightDecay ?? 1;
  const name = options.name ?? `mlp-${hidden.join('x')}`;
  // Activations per layer (index 0 is the input), reused across samples to keep training allocation-free.
  const acts = widths.map((w) => new Float64Array(w));
  const deltas = widths.map((w) => new Float64Array(w));
  let fitted: { params: Float64Array; mean: number; scale: number } | null = null;

  // Weights are stored input-major (row i holds input i's outgoing weights): one-hot inputs and ReLU outputs are
  // mostly zero, and this layout lets both passes skip a zero input's whole row.
  const forward = (p: Float64Array, x: Float64Array): number => {
    acts[0]!.set(x);
    layers.forEach((L, l) => {
      const a = acts[l]!;
      const out = acts[l + 1]!;
      for (let o = 0; o < L.outputs; o++) out[o] = p[L.b + o]!;
      for (let i = 0; i < L.inputs; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;
        const row = L.w + i * L.outputs;
        for (let o = 0; o < L.outputs; o++) out[o]! += p[row + o]! * ai;
      }
      if (l < layers.length - 1) for (let o = 0; o < L.outputs; o++) if (!(out[o]! > 0)) out[o] = 0;
    });
    return acts[widths.length - 1]![0]!;
  };

  /** Adds d(loss)/d(params) for one sample, with dLoss/dOutput = g, to `grad`; needs forward() just before. */
  const backward = (p: Float64Array, g: number, grad: Float64Array) => {
    deltas[widths.length - 1]![0] = g;
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l]!;
      const a = acts[l]!;
      const d = deltas[l + 1]!;
      const below = deltas[l]!;
      for (let o = 0; o < L.outputs; o++) grad[L.b + o]! += d[o]!;
      for (let i = 0; i < L.inputs; i++) {
        const ai = a[i]!;
        // A zero activation gets no weight gradient, and (ReLU, or a zero input) passes no delta further down.
        if (ai === 0) {
          below[i] = 0;
          continue;
        }
        const row = L.w + i * L.outputs;
        let s = 0;
        for (let o = 0; o < L.outputs; o++) {
          grad[row + o]! += d[o]! * ai;
          s += d[o]! * p[row + o]!;
        }
        below[i] = s;
      }
    }
  };

  const init = (rng: Rng): Float64Array => {
    const p = new Float64Array(size);
    for (const L of layers) {
      const bound = Math.sqrt(6 / L.inputs); // He-uniform for ReLU inputs
      for (let k = 0; k < L.inputs * L.outputs; k++) p[L.w + k] = (2 * rng.next() - 1) * bound;
    }
    return p;
  };

  return {
    name,
    fit(x: readonly Genome[], y: readonly number[]) {
      checkFitData(x, y, 2);
      const rng = createRng(options.seed ?? 0);
      const rows = encodeAll(features, x);
      const n = rows.length;
      const mean = y.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      const scale = sd > 0 ? sd : 1;
      const t = Float64Array.from(y, (v) => (v - mean) / scale);
      const order = shuffle(Array.from({ length: n }, (_, i) => i), rng);
      const nHold = n >= 10 ? Math.round(holdoutFraction * n) : 0;
      const hold = order.slice(0, nHold);
      const train = order.slice(nHold);

      const p = init(rng);
      const m1 = new Float64Array(size);
      const m2 = new Float64Array(size);
      const grad = new Float64Array(size);
      const beta1 = 0.9;
      const beta2 = 0.999;
      let step = 0;
      let best = Float64Array.from(p);
      let bestLoss = Infinity;
      let since = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        shuffle(train, rng);
        for (let s = 0; s < train.length; s += batchSize) {
          const batch = train.slice(s, s + batchSize);
          grad.fill(0);
          for (const i of batch) backward(p, (2 * (forward(p, rows[i]!) - t[i]!)) / batch.length, grad);
          step++;
          const c1 = 1 - beta1 ** step;
          const c2 = 1 - beta2 ** step;
          for (let k = 0; k < size; k++) {
            const gk = grad[k]!;
            m1[k] = beta1 * m1[k]! + (1 - beta1) * gk;
            m2[k] = beta2 * m2[k]! + (1 - beta2) * gk * gk;
            p[k] = p[k]! * (1 - lr * decay) - (lr * (m1[k]! / c1)) / (Math.sqrt(m2[k]! / c2) + 1e-8);
          }
        }
        if (hold.length === 0) continue;
        let loss = 0;
        for (const i of hold) loss += (forward(p, rows[i]!) - t[i]!) ** 2;
        if (loss < bestLoss) {
          bestLoss = loss;
          best = Float64Array.from(p);
          since = 0;
        } else if (++since >= patience) break;
      }
      fitted = { params: hold.length > 0 ? best : p, mean, scale };
    },
    predict(x: readonly Genome[]) {
      const f = fitted;
      if (!f) throw notFitted(name);
      return Float64Array.from(x, (g) => f.mean + f.scale * forward(f.params, features.encode(g)));
    },
  };
}
