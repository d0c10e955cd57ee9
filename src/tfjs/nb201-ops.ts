import * as tf from '@tensorflow/tfjs-core';
import { seededValues } from './small-cnn.js';

/** 'train': BN normalises with the batch's statistics; 'eval': with the running ones. */
export type BnMode = 'train' | 'eval';

/** BatchNorm2d(affine=True, track_running_stats=True); γ and β learnable, the running statistics buffers. */
export interface BnParams {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  runningMean: tf.Tensor1D;
  runningVar: tf.Tensor1D;
  /**
   * β and the running mean were created as zeros, so eval-mode BN adds nothing after scaling. tfjs tensors are
   * immutable, so this stays true; skipping the add saves a full-size pass per BN.
   */
  zeroShift: boolean;
}

export interface ConvParams {
  filter: tf.Tensor4D;
  bn: BnParams;
}

/** PyTorch's BatchNorm2d default. */
export const BN_EPSILON = 1e-5;

export interface ParamFactory {
  /** The learnable tensors made so far, in creation order. */
  readonly params: tf.Tensor[];
  nextSeed(): number;
  /** Seeded U(±bound) tensor, registered as a parameter. */
  tensor(shape: number[], bound: number): tf.Tensor;
  /** Conv2d weight [k, k, cin, cout] with nn.Conv2d's default init. */
  filter(k: number, cin: number, cout: number): tf.Tensor4D;
  bn(c: number): BnParams;
  /** Conv2d(bias=False) followed by BatchNorm2d. */
  conv(k: number, cin: number, cout: number): ConvParams;
  dispose(): void;
}

export function createParamFactory(seed: number): ParamFactory {
  const params: tf.Tensor[] = [];
  const buffers: tf.Tensor[] = [];
  let next = seed;
  const nextSeed = () => next++;
  const tensor = (shape: number[], bound: number): tf.Tensor => {
    const count = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(seededValues(count, nextSeed(), bound), shape);
    params.push(t);
    return t;
  };
  // kaiming_uniform_(a=√5), PyTorch's default for conv weights, is U(±1/√fan_in). The scale matters here: with BN in
  // eval mode nothing renormalises, so it sets how much conv paths weigh against skip paths in the Jacobian.
  const filter = (k: number, cin: number, cout: number) => tensor([k, k, cin, cout], 1 / Math.sqrt(k * k * cin)) as tf.Tensor4D;
  const bn = (c: number): BnParams => {
    const gamma = tf.ones([c]) as tf.Tensor1D;
    const beta = tf.zeros([c]) as tf.Tensor1D;
    params.push(gamma, beta);
    const runningMean = tf.zeros([c]) as tf.Tensor1D;
    const runningVar = tf.ones([c]) as tf.Tensor1D;
    buffers.push(runningMean, runningVar);
    return { gamma, beta, runningMean, runningVar, zeroShift: true };
  };
  return {
    params,
    nextSeed,
    tensor,
    filter,
    bn,
    conv: (k, cin, cout) => ({ filter: filter(k, cin, cout), bn: bn(cout) }),
    dispose: () => tf.dispose([...params, ...buffers]),
  };
}

export function relu(x: tf.Tensor4D): tf.Tensor4D {
  return tf.relu(x);
}

/**
 * Conv2d with PyTorch's symmetric zero padding (k-1)/2. For stride 2 on an even size tfjs 'same' would pad only the
 * bottom/right, shifting every output pixel by one input pixel against PyTorch.
 */
export function conv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  const k = filter.shape[0];
  const pad = (k - 1) / 2;
  return tf.conv2d(x, filter, stride, pad === 0 ? 'valid' : stride === 1 ? 'same' : pad);
}

/** Per-channel scale γ/√(σ²+ε) and shift β − μ·scale of BN with its running statistics. */
function evalAffine(p: BnParams): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  const scale = tf.mul(p.gamma, tf.rsqrt(tf.add(p.runningVar, BN_EPSILON))) as tf.Tensor1D;
  return { scale, shift: tf.sub(p.beta, tf.mul(p.runningMean, scale)) as tf.Tensor1D };
}

/**
 * Conv2d(bias=False) → BatchNorm2d. In eval mode BN is a per-channel affine map, folded into the filter: the same
 * function, but tfjs's FusedBatchNorm gradient tiles full-size temporaries that dominated the backward pass.
 */
export function convBn(x: tf.Tensor4D, p: ConvParams, stride: number, mode: BnMode): tf.Tensor4D {
  if (mode === 'train') return batchNormTrain(conv(x, p.filter, stride), p.bn);
  const { scale, shift } = evalAffine(p.bn);
  const y = conv(x, tf.mul(p.filter, scale) as tf.Tensor4D, stride);
  return p.bn.zeroShift ? y : tf.add(y, shift);
}

export function batchNorm(x: tf.Tensor4D, p: BnParams, mode: BnMode): tf.Tensor4D {
  if (mode === 'train') return batchNormTrain(x, p);
  const { scale, shift } = evalAffine(p);
  const y = tf.mul<tf.Tensor4D>(x, scale);
  return p.zeroShift ? y : tf.add(y, shift);
}

/**
 * BN with the batch's mean and biased variance, as BatchNorm2d normalises in training mode. Written as a per-channel
 * affine map y = a·x + b (a = γ/σ, b = β − μ·a) with the closed-form input gradient
 *   dx = a·(dy − mean(dy) − x̂·mean(dy·x̂)),  x̂ = (x − μ)/σ,
 * which is again per-channel affine in dy and x. Autodiff through tf.moments instead keeps a dozen full-size
 * temporaries per BN alive until the backward pass ends.
 */
export function batchNormTrain(x: tf.Tensor4D, p: BnParams): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const mean = channelMean(input);
    // E[x²] − μ² saves the centred full-size temporary; the wasm reductions accumulate in float64, and at init the
    // channel means are small against the spreads, so the cancellation costs nothing measurable (see the BN test).
    const variance = tf.relu(tf.sub(channelMean(tf.square(input)), tf.square(mean)));
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const a = tf.mul(p.gamma, invStd);
    save([input, mean, invStd, a]);
    return {
      value: tf.add(tf.mul(input, a), tf.sub(p.beta, tf.mul(mean, a))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, smean, sinv, sa] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const dyMean = channelMean(dy as tf.Tensor4D);
        // mean(dy·x̂) = (mean(dy·x) − μ·mean(dy))/σ
        const dyXhat = tf.mul(tf.sub(channelMean(tf.mul(dy, sx) as tf.Tensor4D), tf.mul(smean, dyMean)), sinv);
        const xCoef = tf.neg(tf.mul(tf.mul(sa, sinv), dyXhat));
        const offset = tf.sub(tf.neg(tf.mul(sa, dyMean)), tf.mul(xCoef, smean));
        return tf.add(tf.add(tf.mul(dy, sa), tf.mul(sx, xCoef)), offset);
      },
    };
  });
  return f(x) as tf.Tensor4D;
}

/** Per-channel mean over N, H, W of an NHWC tensor, as [C]. */
export function channelMean(x: tf.Tensor4D): tf.Tensor1D {
  return tf.mean(x, [0, 1, 2]);
}

/**
 * AvgPool2d(3, stride 1, padding 1, count_include_pad=False): each window's in-image sum over its in-image count,
 * which is what tf.avgPool 'same' computes. Its stock gradient spreads dy with a flat 1/9, wrong at the border; the
 * exact one is the transposed box sum of dy/count, and a 3x3 stride-1 box sum is its own transpose.
 */
export function avgPool3x3(x: tf.Tensor4D): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.avgPool(args[0] as tf.Tensor4D, 3, 1, 'same'),
    gradFunc: (dy: tf.Tensor) => boxSum3x3(tf.mul(dy, inverseWindowCounts(x.shape[1], x.shape[2])) as tf.Tensor4D),
  }));
  return f(x) as tf.Tensor4D;
}

/** Sum over each 3x3 window, zero padded. */
export function boxSum3x3(x: tf.Tensor4D): tf.Tensor4D {
  return tf.depthwiseConv2d(x, tf.ones([3, 3, x.shape[3], 1]) as tf.Tensor4D, 1, 'same');
}

/** [1, h, w, 1]: 1 / the number of in-image pixels of the 3x3 window centred at each position. */
export function inverseWindowCounts(h: number, w: number): tf.Tensor4D {
  const values = new Float32Array(h * w);
  const span = (i: number, n: number) => Math.min(i + 1, n - 1) - Math.max(i - 1, 0) + 1;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) values[i * w + j] = 1 / (span(i, h) * span(j, w));
  return tf.tensor4d(values, [1, h, w, 1]);
}
