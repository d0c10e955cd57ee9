import type * as tf from '@tensorflow/tfjs-core';
import type { Genome } from '../space/types.js';
import { createNb201Net, type Nb201NetSpec } from '../spaces/nb201/tfjs-net.js';
import type { BnMode } from '../tfjs/nb201-ops.js';
import { jacobCov } from './jacob-cov.js';

export interface Nb201JacobCovOptions {
  /** BN mode (default 'train', which reproduces the published scores; see jacob-cov.ts). */
  bn?: BnMode;
  /** Seed of the network's initialisation. */
  seed: number;
  /** Network shape overrides (default the NB201 CIFAR-10 network; classes default 1, as NASWOT v1 builds it). */
  net?: Omit<Nb201NetSpec, 'genome'>;
}

/**
 * jacob_cov of a freshly initialised NB201 network for `genome` on the NHWC batch `images` (its size and channels
 * set the network's input). NaN for a cell with no input-to-output path, as in the published table.
 */
export async function nb201JacobCov(genome: Genome, images: tf.Tensor4D, options: Nb201JacobCovOptions): Promise<number> {
  const [, size, , channels] = images.shape;
  const net = createNb201Net({ classes: 1, ...options.net, genome, inputSize: size, inChannels: channels }, options.seed);
  try {
    return await jacobCov(net, images, { bn: options.bn ?? 'train' });
  } finally {
    net.dispose();
  }
}
