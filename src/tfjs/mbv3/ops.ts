import * as tf from '@tensorflow/tfjs-core';
import { seededValues } from '../small-cnn.js';
import type { Activation } from './config.js';
import { channelAffine, channelMoments, hardSwish, registerMbv3Kernels } from './kernels.js';

registerMbv3Kernels();

/** Batch norm with learnable γ, β and running statistics (set by calibration; mean 0, variance 1 until then). */
export interface Bn {
  readonly gamma: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
  mean: Float32Array;
  variance: Float32Array;
}

/** Conv (no bias) followed by BN; a depthwise filter is [k, k, c, 1]. */
export interface ConvBn {
  readonly filter: tf.Tensor4D;
  readonly depthwise: boolean;
  readonly bn: Bn;
}

export interface Linear {
  readonly weight: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
}

export const BN_EPSILON = 1e-5;

/**
 * Makes a network's layers. `name` is the layer's place in the network (stable across architectures: 's2.b1.main.dw'),
 * which lets a weight-sharing super-network hand out slices of the same weights to every sub-network.
 */
export interface LayerFactory {
  convBn(name: string, k: number, cin: number, cout: number): ConvBn;
  depthwiseBn(name: string, k: number, c: number): ConvBn;
  linear(name: string, fin: number, fout: number): Linear;
}

export interface ParamFactory extends LayerFactory {
  readonly params: tf.Variable[];
  /** The weights of convolutions and linear layers: the ones weight decay applies to. */
  readonly weights: tf.Variable[];
  /** Every variable by layer name and role ('.filter', '.gamma', '.beta', '.weight', '.bias'). */
  readonly named: Map<string, tf.Variable>;
}

/** Seeded variables: every tensor draws from its own seed, so a network is the same on every backend and run. */
export function createParamFactory(seed: number): ParamFactory {
  const params: tf.Variable[] = [];
  const weights: tf.Variable[] = [];
  const named = new Map<string, tf.Variable>();
  let next = seed;
  const add = <T extends tf.Variable>(name: string, v: T, decay: boolean): T => {
    if (named.has(name)) throw new Error(`mbv3: two layers named ${name}`);
    named.set(name, v);
    params.push(v);
    if (decay) weights.push(v);
    return v;
  };
  const uniform = <T extends tf.Tensor>(name: string, shape: number[], bound: number, decay: boolean): T => {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = seededValues(count, next++, bound);
    // tidy frees the initial tensor; variables outlive it.
    return add(name, tf.tidy(() => tf.variable(tf.tensor(values, shape))), decay) as unknown as T;
  };
  const bn = (name: string, c: number): Bn => {
    const gamma = add(`${name}.gamma`, tf.tidy(() => tf.variable(tf.ones([c]))), false) as unknown as tf.Tensor1D;
    const beta = add(`${name}.beta`, tf.tidy(() => tf.variable(tf.zeros([c]))), false) as unknown as tf.Tensor1D;
    return { gamma, beta, mean: new Float32Array(c), variance: new Float32Array(c).fill(1) };
  };
  // He-uniform for convs feeding BN and ReLU-like activations; PyTorch's nn.Linear default for linear layers.
  const he = (fanIn: number) => Math.sqrt(6 / fanIn);
  return {
    params,
    weights,
    named,
    convBn: (name, k, cin, cout) => ({ filter: uniform(`${name}.filter`, [k, k, cin, cout], he(k * k * cin), true), depthwise: false, bn: bn(name, cout) }),
    depthwiseBn: (name, k, c) => ({ filter: uniform(`${name}.filter`, [k, k, c, 1], he(k * k), true), depthwise: true, bn: bn(name, c) }),
    linear: (name, fin, fout) => ({
      weight: uniform(`${name}.weight`, [fin, fout], 1 / Math.sqrt(fin), true),
      bias: uniform(`${name}.bias`, [fout], 1 / Math.sqrt(fin), false),
    }),
  };
}

/**
 * Training-mode BN (batch mean, biased batch variance) with a closed-form backward pass that also returns dγ and
 * dβ: tf.customGrad only differentiates its explicit inputs, so γ and β are inputs here. With x̂ = (x − μ)/σ and
 * a = γ/σ: dx = a·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = M·mean(dy·x̂), dβ = M·mean(dy), M = N·H·W. Statistics and
 * the affine maps are single-pass kernels (kernels.ts): two passes over x forward, two over (dy, x) backward.
 */
const bnTrain = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, gamma, beta, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const [mean, meanSq] = tf.unstack(channelMoments(x)) as [tf.Tensor1D, tf.Tensor1D];
  const invStd = tf.rsqrt(tf.add(tf.relu(tf.sub(meanSq, tf.square(mean))), BN_EPSILON));
  const a = tf.mul(gamma, invStd);
  save([x, mean, invStd, a]);
  return {
    value: channelAffine(x, a, tf.sub(beta, tf.mul(mean, a))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, smean, sinv, sa] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const m = sx.shape[0] * sx.shape[1] * sx.shape[2];
      const [dyMean, dyxMean] = tf.unstack(channelMoments(dy, sx)) as [tf.Tensor1D, tf.Tensor1D];
      const dyXhat = tf.mul(tf.sub(dyxMean, tf.mul(smean, dyMean)), sinv);
      const xCoef = tf.neg(tf.mul(tf.mul(sa, sinv), dyXhat));
      const offset = tf.sub(tf.neg(tf.mul(sa, dyMean)), tf.mul(xCoef, smean));
      return [channelAffine(dy, sa, offset, sx, xCoef), tf.mul(dyXhat, m), tf.mul(dyMean, m)];
    },
  };
});

export function batchNormTrain(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D {
  return bnTrain(x, gamma, beta) as tf.Tensor4D;
}

/** h-swish(x) = x·relu6(x + 3)/6 (MobileNetV3), as one kernel each way. */
export function hswish<T extends tf.Tensor>(x: T): T {
  return hardSwish(x);
}

export function hsigmoid(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.relu6(tf.add(x, 3)), 1 / 6);
}

export function activate(x: tf.Tensor4D, act: Activation | null): tf.Tensor4D {
  if (act === 'relu') return tf.relu(x);
  return act === 'hswish' ? hswish(x) : x;
}

function convOnly(x: tf.Tensor4D, filter: tf.Tensor4D, depthwise: boolean, stride: number): tf.Tensor4D {
  return depthwise ? tf.depthwiseConv2d(x, filter, stride, 'same') : tf.conv2d(x, filter, stride, 'same');
}

/** How a network's conv+BN and linear layers run: training (batch statistics) or inference (BN folded). */
export interface Exec {
  convBn(x: tf.Tensor4D, p: ConvBn, stride: number, act: Activation | null): tf.Tensor4D;
  linear(x: tf.Tensor2D, p: Linear): tf.Tensor2D;
}

const linear = (x: tf.Tensor2D, p: Linear): tf.Tensor2D => tf.add(tf.matMul(x, p.weight), p.bias);

/** Batch-statistics BN; `record`, when given, sees every BN input (BN statistics calibration). */
export function trainExec(record?: (bn: Bn, z: tf.Tensor4D) => void): Exec {
  return {
    convBn(x, p, stride, act) {
      const z = convOnly(x, p.filter, p.depthwise, stride);
      record?.(p.bn, z);
      return activate(batchNormTrain(z, p.bn.gamma, p.bn.beta), act);
    },
    linear,
  };
}

/**
 * Inference as a deployed network runs: BN folded into the conv weights and a bias, ReLU fused into the conv
 * (tf.fused), h-swish separate. Folded tensors are made once per ConvBn; `dispose` frees them.
 */
export function inferenceExec(): Exec & { dispose(): void } {
  const folded = new Map<ConvBn, { filter: tf.Tensor4D; bias: tf.Tensor1D }>();
  const fold = (p: ConvBn) => {
    let f = folded.get(p);
    if (f === undefined) {
      f = tf.tidy(() => {
        const scale = tf.mul(p.bn.gamma, tf.rsqrt(tf.add(tf.tensor1d(p.bn.variance), BN_EPSILON))) as tf.Tensor1D;
        const c = scale.shape[0];
        const filter = tf.mul(p.filter, p.depthwise ? tf.reshape(scale, [c, 1]) : scale) as tf.Tensor4D;
        return { filter, bias: tf.sub(p.bn.beta, tf.mul(tf.tensor1d(p.bn.mean), scale)) as tf.Tensor1D };
      });
      // Folding happens during a forward pass, usually inside a caller's tidy: the folded tensors must outlive it.
      tf.keep(f.filter);
      tf.keep(f.bias);
      folded.set(p, f);
    }
    return f;
  };
  return {
    convBn(x, p, stride, act) {
      const { filter, bias } = fold(p);
      const fusedAct = act === 'relu' ? 'relu' : 'linear';
      const args = { x, filter, strides: stride, pad: 'same' as const, bias, activation: fusedAct } as const;
      const y = p.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
      return act === 'hswish' ? hswish(y) : y;
    },
    linear,
    dispose() {
      for (const f of folded.values()) tf.dispose([f.filter, f.bias]);
      folded.clear();
    },
  };
}

/**
 * Wraps an exec to count, from the shapes the layers actually produce, the multiply-accumulates per image
 * (convs: out_h·out_w·k·k·c_in·c_out/groups; linear: in·out): the built model's own FLOPs.
 */
export function countingExec(inner: Exec, tally: { macs: number }): Exec {
  return {
    convBn(x, p, stride, act) {
      const y = inner.convBn(x, p, stride, act);
      const [k, , cin, cout] = p.filter.shape as [number, number, number, number];
      tally.macs += y.shape[1] * y.shape[2] * k * k * (p.depthwise ? cin : cin * cout);
      return y;
    },
    linear(x, p) {
      tally.macs += x.shape[1] * p.weight.shape[1]!;
      return inner.linear(x, p);
    },
  };
}
