import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type Dataset, type DatasetName, DEFAULT_SPLIT_SEED, firstN, loadDataset, type Split } from '../data/datasets.js';
import { fieldError } from '../errors.js';
import { createRng, shuffle } from '../random.js';
import type { Genome } from '../space/types.js';
import { type BackendName, initBackend } from '../tfjs/backend.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';

/** Inference on a trained network: logits of every head, in depth order (the last is the network's output). */
export interface InferenceNet {
  run(x: tf.Tensor4D): tf.Tensor2D[];
  dispose(): void;
}

/** What the train evaluator needs of a network (src/tfjs/mbv3's Mbv3Net is one). */
export interface TrainableNet {
  readonly params: readonly tf.Variable[];
  /** The variables L2 weight decay applies to (default: all). */
  readonly decayParams?: readonly tf.Variable[];
  /** Head names in depth order; the last is the network's output, earlier ones are early exits. */
  readonly heads: readonly string[];
  /** Training loss of a batch (all heads), BN in training mode. */
  loss(x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar;
  /** Called after training with training images, before inference (BN statistics). */
  calibrate?(batches: Iterable<tf.Tensor4D>): void;
  inference(): InferenceNet;
  dispose(): void;
}

export type LrSchedule = { readonly kind: 'cosine' } | { readonly kind: 'step'; readonly everyEpochs: number; readonly gamma: number };

export interface TrainSettings {
  readonly dataset: DatasetName;
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate; the schedule scales it per step. */
  readonly lr: number;
  readonly schedule: LrSchedule;
  /** 'sgd': Nesterov momentum 0.9; 'adam': Adam with tfjs defaults. */
  readonly optimizer: 'sgd' | 'adam';
  /** L2 penalty (λ/2)·Σw² added to the loss, on the net's decayParams. */
  readonly weightDecay: number;
  /** Seeds the network's initial weights and the batch order. */
  readonly seed: number;
  /** Subset sizes: the first N images of each split (default: all). */
  readonly trainSize?: number;
  readonly valSize?: number;
  readonly testSize?: number;
  /** Training images BN statistics are recomputed on after training. */
  readonly calibrationImages: number;
  readonly backend: BackendName;
  readonly splitSeed: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  dataset: 'mnist',
  epochs: 1,
  // Adam at 0.01 learns most in the few steps a CPU budget allows (one epoch on 1,000 MNIST images: 51% validation
  // accuracy at batch 32, against 23% for Nesterov SGD at 0.1, batch 64); sgd suits longer schedules.
  batchSize: 32,
  lr: 0.01,
  schedule: { kind: 'cosine' },
  optimizer: 'adam',
  weightDecay: 4e-5,
  seed: 0,
  calibrationImages: 500,
  backend: 'wasm',
  splitSeed: DEFAULT_SPLIT_SEED,
};

export interface TrainEvaluatorOptions {
  readonly settings?: Partial<TrainSettings>;
  /** Builds the network of a genome with seeded initial weights. */
  readonly build: (genome: Genome, seed: number) => TrainableNet;
  /** Progress lines; silent by default. */
  readonly log?: (line: string) => void;
}

export const TRAIN_SECONDS = 'train-seconds';

export function trainMetrics(dataset: DatasetName): MetricInfo[] {
  return [
    { id: `accuracy:${dataset}-val`, kind: 'accuracy', unit: '%', source: 'measured', description: `top-1 on the ${dataset} validation split after training (what search uses)` },
    { id: `accuracy:${dataset}-test`, kind: 'accuracy', unit: '%', source: 'measured', description: `top-1 on the ${dataset} test split (reported only, never searched on)` },
    // MetricKind has no "time"; a training time is a cost like latency: lower is better.
    { id: TRAIN_SECONDS, kind: 'latency', unit: 's', source: 'measured', description: 'wall-clock seconds of the training loop on this machine' },
  ];
}

/**
 * Trains every architecture from scratch and measures its accuracy. Besides the metrics in `provides`, a network
 * with early exits also gets `accuracy:<dataset>-val-<head>` and `-test-<head>` per exit (e.g. -val-exit1).
 */
export function createTrainEvaluator(options: TrainEvaluatorOptions): Evaluator & { readonly settings: TrainSettings } {
  const settings = checkSettings({ ...DEFAULT_TRAIN_SETTINGS, ...options.settings });
  const log = options.log ?? (() => {});
  return {
    name: `train-${settings.dataset}`,
    provides: trainMetrics(settings.dataset),
    settings,
    async evaluate(archs, ctx) {
      await initBackend(settings.backend);
      const ds = loadDataset(settings.dataset, settings.splitSeed);
      const out: Metrics[] = [];
      for (const [i, g] of archs.entries()) {
        if (ctx?.signal?.aborted) throw new Error('training aborted');
        out.push(trainNetwork(options.build(g, settings.seed), ds, settings, ctx?.signal, (line) => log(`[${i + 1}/${archs.length}] ${line}`)));
      }
      return out;
    },
  };
}

function checkSettings(s: TrainSettings): TrainSettings {
  const posInt = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v > 0);
  if (!posInt(s.epochs)) throw fieldError('epochs', `expected a positive integer, got ${s.epochs}`);
  if (!posInt(s.batchSize)) throw fieldError('batchSize', `expected a positive integer, got ${s.batchSize}`);
  if (!(s.lr > 0)) throw fieldError('lr', `expected a positive number, got ${s.lr}`);
  if (!(s.weightDecay >= 0)) throw fieldError('weightDecay', `expected a number >= 0, got ${s.weightDecay}`);
  if (s.optimizer !== 'sgd' && s.optimizer !== 'adam') throw fieldError('optimizer', `expected sgd or adam, got ${String(s.optimizer)}`);
  if (s.schedule.kind === 'step' && !(s.schedule.everyEpochs > 0 && s.schedule.gamma > 0)) {
    throw fieldError('lrSchedule', 'step: expected everyEpochs > 0 and gamma > 0');
  }
  if (s.schedule.kind !== 'cosine' && s.schedule.kind !== 'step') throw fieldError('lrSchedule', 'expected cosine or step');
  for (const [flag, v] of [['trainSize', s.trainSize], ['valSize', s.valSize], ['testSize', s.testSize], ['calibrationImages', s.calibrationImages]] as const) {
    if (!posInt(v)) throw fieldError(flag, `expected a positive integer, got ${v}`);
  }
  return s;
}

/** Learning rate at step t of T (epoch e). */
export function learningRate(s: Pick<TrainSettings, 'lr' | 'schedule'>, t: number, total: number, epoch: number): number {
  if (s.schedule.kind === 'cosine') return (s.lr * (1 + Math.cos((Math.PI * t) / total))) / 2;
  return s.lr * s.schedule.gamma ** Math.floor(epoch / s.schedule.everyEpochs);
}

export function makeOptimizer(s: Pick<TrainSettings, 'optimizer' | 'lr'>): { opt: tf.Optimizer; setLr(lr: number): void } {
  if (s.optimizer === 'sgd') {
    const opt = tf.train.momentum(s.lr, 0.9, true);
    return { opt, setLr: (lr) => opt.setLearningRate(lr) };
  }
  const opt = tf.train.adam(s.lr);
  // AdamOptimizer reads its (protected) learningRate field on every step and has no setter.
  return { opt, setLr: (lr) => ((opt as unknown as { learningRate: number }).learningRate = lr) };
}

/** Trains `net` (then disposes it) and measures its accuracy: the loop of the train evaluator, for any trainable net. */
export function trainNetwork(net: TrainableNet, ds: Dataset, s: TrainSettings, signal: AbortSignal | undefined, log: (line: string) => void): Metrics {
  const train = s.trainSize === undefined ? ds.train : firstN(ds.train, s.trainSize, 'trainSize');
  const { opt, setLr } = makeOptimizer(s);
  try {
    const stepsPerEpoch = Math.floor(train.size / s.batchSize);
    if (stepsPerEpoch === 0) throw fieldError('batchSize', `${s.batchSize} is larger than the ${train.size} training images`);
    const total = stepsPerEpoch * s.epochs;
    const rng = createRng(s.seed ^ 0x5eed);
    const decay = net.decayParams ?? net.params;
    const order = Array.from({ length: train.size }, (_, i) => i);
    let lastLoss = Number.NaN;
    const t0 = performance.now();
    for (let epoch = 0, t = 0; epoch < s.epochs; epoch++) {
      shuffle(order, rng);
      // Incomplete last batches are dropped (BN on a handful of images is noise); the reshuffle uses them next epoch.
      for (let b = 0; b < stepsPerEpoch; b++, t++) {
        if (signal?.aborted) throw new Error('training aborted');
        setLr(learningRate(s, t, total, epoch));
        const { x, y } = batchTensors(ds, train, order.slice(b * s.batchSize, (b + 1) * s.batchSize));
        const loss = opt.minimize(() => withDecay(net.loss(x, y), decay, s.weightDecay), true, net.params as tf.Variable[]);
        lastLoss = loss?.dataSync()[0] ?? Number.NaN;
        tf.dispose([x, y, loss as tf.Scalar]);
      }
      log(`epoch ${epoch + 1}/${s.epochs}: loss ${lastLoss.toFixed(4)}`);
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    if (net.calibrate) {
      const calib = firstN(train, Math.min(s.calibrationImages, train.size));
      net.calibrate(batchesOf(ds, calib, 250));
    }
    const metrics: Record<string, number> = { [TRAIN_SECONDS]: trainSeconds, ...measureAccuracy(net.inference(), net.heads, ds, s) };
    log(`${trainSeconds.toFixed(1)} s, val ${metrics[`accuracy:${ds.name}-val`]!.toFixed(2)}%`);
    return metrics;
  } finally {
    opt.dispose();
    net.dispose();
  }
}

export function withDecay(loss: tf.Scalar, params: readonly tf.Variable[], weightDecay: number): tf.Scalar {
  if (weightDecay === 0 || params.length === 0) return loss;
  const l2 = tf.addN(params.map((p) => tf.sum(tf.square(p))));
  return tf.add(loss, tf.mul(l2, weightDecay / 2));
}

export function* batchesOf(ds: Dataset, split: Split, size: number): Generator<tf.Tensor4D> {
  for (let start = 0; start < split.size; start += size) {
    const positions = Array.from({ length: Math.min(size, split.size - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(ds, split, positions);
    y.dispose();
    try {
      yield x;
    } finally {
      x.dispose();
    }
  }
}

/**
 * Validation and test accuracy of a trained network (disposes `inference`): `accuracy:<dataset>-val` and `-test` for
 * the final head, `...-val-<head>` and `...-test-<head>` for early exits.
 */
export function measureAccuracy(
  inference: InferenceNet,
  heads: readonly string[],
  ds: Dataset,
  s: { readonly valSize?: number; readonly testSize?: number },
): Record<string, number> {
  const metrics: Record<string, number> = {};
  try {
    for (const [split, name, size] of [[ds.validation, 'val', s.valSize], [ds.test, 'test', s.testSize]] as const) {
      const acc = accuracies(inference, ds, size === undefined ? split : firstN(split, size), heads.length);
      heads.forEach((head, h) => {
        const id = h === heads.length - 1 ? `accuracy:${ds.name}-${name}` : `accuracy:${ds.name}-${name}-${head}`;
        metrics[id] = acc[h]!;
      });
    }
  } finally {
    inference.dispose();
  }
  return metrics;
}

/** Top-1 accuracy (%) of every head over a split. */
function accuracies(inference: InferenceNet, ds: Dataset, split: Split, heads: number): number[] {
  const correct = new Array<number>(heads).fill(0);
  for (let start = 0; start < split.size; start += 500) {
    const positions = Array.from({ length: Math.min(500, split.size - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(ds, split, positions);
    tf.tidy(() => {
      const truth = tf.argMax(y, 1);
      inference.run(x).forEach((logits, h) => {
        correct[h]! += tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), truth), 'int32')).dataSync()[0]!;
      });
    });
    tf.dispose([x, y]);
  }
  return correct.map((c) => (100 * c) / split.size);
}
