import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random.js';

/** A plain conv-BN-ReLU stack, global pooling and a dense head; the reference workload for CPU training. */
export interface SmallCnnSpec {
  inputSize: number;
  inChannels: number;
  /** Output channels of each 3x3 conv-BN-ReLU stage. */
  channels: number[];
  /** Stride of each stage (same length as channels). */
  strides: number[];
  /** Pooling before the head: 'avg' = global average, 'max' = 2x2/2 max pool then global average. */
  pool: 'avg' | 'max';
  classes: number;
}

export const BENCH_CNN: SmallCnnSpec = {
  inputSize: 32,
  inChannels: 3,
  channels: [16, 32, 64],
  strides: [1, 2, 2],
  pool: 'avg',
  classes: 10,
};

export interface SmallCnn {
  readonly spec: SmallCnnSpec;
  readonly params: tf.Variable[];
  /** Mean softmax cross-entropy of a batch, BN in training mode (batch statistics). */
  loss(x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar;
}

/** Deterministic uniform values in [-scale, scale), identical on every backend. */
export function seededValues(count: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (rng.next() * 2 - 1) * scale;
  return out;
}

export function createSmallCnn(spec: SmallCnnSpec, seed: number): SmallCnn {
  if (spec.channels.length !== spec.strides.length) throw new Error('channels and strides differ in length');
  const params: tf.Variable[] = [];
  let nextSeed = seed;
  // Uniform with the variance of He-normal init, so ReLU stacks keep their activation scale.
  const weight = (shape: number[], fanIn: number): tf.Variable => {
    const count = shape.reduce((a, b) => a * b, 1);
    // tidy frees the initial tensor handle; the variable keeps the data
    const v = tf.tidy(() => tf.variable(tf.tensor(seededValues(count, nextSeed++, Math.sqrt(6 / fanIn)), shape)));
    params.push(v);
    return v;
  };
  const constant = (size: number, value: number): tf.Variable => {
    const v = tf.tidy(() => tf.variable(tf.fill([size], value)));
    params.push(v);
    return v;
  };

  const stages = spec.channels.map((out, i) => {
    const inC = i === 0 ? spec.inChannels : (spec.channels[i - 1] ?? 0);
    return {
      filter: weight([3, 3, inC, out], 9 * inC),
      gamma: constant(out, 1),
      beta: constant(out, 0),
      stride: spec.strides[i] ?? 1,
    };
  });
  const last = spec.channels[spec.channels.length - 1] ?? spec.inChannels;
  const dense = weight([last, spec.classes], last);
  const bias = constant(spec.classes, 0);

  const loss = (x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar =>
    tf.tidy(() => {
      let h: tf.Tensor4D = x;
      for (const st of stages) {
        const z = tf.conv2d(h, st.filter as tf.Tensor4D, st.stride, 'same');
        const { mean, variance } = tf.moments(z, [0, 1, 2]);
        h = tf.relu(tf.batchNorm(z, mean, variance, st.beta, st.gamma, 1e-3)) as tf.Tensor4D;
      }
      if (spec.pool === 'max') h = tf.maxPool(h, 2, 2, 'valid');
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(pooled, dense as tf.Tensor2D), bias) as tf.Tensor2D;
      return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
    });

  return { spec, params, loss };
}

/** A fixed random batch (inputs and one-hot labels) for a spec, identical on every backend. */
export function fixedBatch(spec: SmallCnnSpec, batch: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const shape: [number, number, number, number] = [batch, spec.inputSize, spec.inputSize, spec.inChannels];
  const x = tf.tensor4d(seededValues(batch * spec.inputSize ** 2 * spec.inChannels, seed), shape);
  const rng = createRng(seed + 1);
  const labels = Array.from({ length: batch }, () => rng.int(spec.classes));
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), spec.classes), 'float32') as tf.Tensor2D);
  return { x, y };
}
