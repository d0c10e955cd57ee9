import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, type Dataset, type DatasetName, DEFAULT_SPLIT_SEED, firstN, loadDataset } from '../data/datasets.js';
import { fieldError } from '../errors.js';
import { createRng, type Rng, shuffle } from '../random.js';
import type { Genome } from '../space/types.js';
import { createMemoryStore } from '../store/memory.js';
import type { EvaluationStore } from '../store/types.js';
import { initBackend } from '../tfjs/backend.js';
import { decodeCheckpoint, encodeCheckpoint, type NamedArray } from '../tfjs/checkpoint.js';
import type { Mbv3Config, Mbv3Macro } from '../tfjs/mbv3/config.js';
import { calibrateMbv3, mbv3Forward, mbv3Inference, mbv3Loss, mbv3LossOf } from '../tfjs/mbv3/net.js';
import { trainExec } from '../tfjs/mbv3/ops.js';
import { createMbv3Supernet, extractSubnet, loadSupernetWeights, type Mbv3Supernet, supernetWeights } from '../tfjs/mbv3/supernet.js';
import { batchesOf, DEFAULT_TRAIN_SETTINGS, learningRate, makeOptimizer, measureAccuracy, type TrainableNet, trainNetwork, type TrainSettings, withDecay } from './train.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';

/*
 * Weight-sharing evaluation (once-for-all / BigNAS): one super-network is trained with the sandwich rule (every
 * step: the largest sub-network, the smallest, and a few random ones, gradients summed), then any sub-network is
 * evaluated with the weights it inherits, after re-estimating its BN statistics on training images (OFA's
 * set_running_statistics). Estimating a block table then costs one training and m·n inferences, not m·n trainings.
 * Training saves a checkpoint (weights and Adam state) in the store every few steps, so a killed run resumes
 * training where it stopped; evaluations go to the store through cachedEvaluator as usual.
 */

/** The train evaluator's settings that apply to the super-network's training (seed also draws the sub-networks). */
export interface SupernetSettings
  extends Pick<
    TrainSettings,
    'dataset' | 'epochs' | 'batchSize' | 'lr' | 'weightDecay' | 'seed' | 'trainSize' | 'valSize' | 'testSize' | 'calibrationImages' | 'backend' | 'splitSeed'
  > {
  /** Random sub-networks per step besides the largest and the smallest. */
  readonly randomSubnets: number;
  /** In-place distillation: every sub-network but the largest learns from the largest's predictions. */
  readonly distill: boolean;
}

export const DEFAULT_SUPERNET_SETTINGS: SupernetSettings = {
  dataset: 'fashion-mnist',
  epochs: 1,
  batchSize: 32,
  lr: 0.01,
  weightDecay: 4e-5,
  seed: 0,
  randomSubnets: 1,
  // On the held-out bench distillation lifted the accuracy Spearman (docs/notes/2026-12-08-evaluation.md).
  distill: true,
  // Sized so that the whole block estimation of mbv3-mini fits in about a quarter of an hour on two cores.
  trainSize: 5000,
  valSize: 1500,
  testSize: 250,
  calibrationImages: 300,
  backend: 'wasm',
  splitSeed: DEFAULT_SPLIT_SEED,
};

/** A space whose networks are sub-networks of one MobileNetV3-family super-network. */
export interface SupernetFamily {
  readonly space: string;
  readonly macro: Mbv3Macro;
  readonly largest: Genome;
  readonly smallest: Genome;
  /** A uniformly drawn valid genome. */
  sample(rng: Rng): Genome;
  configOf(g: Genome): Mbv3Config;
}

export interface SupernetEvaluatorOptions {
  readonly family: SupernetFamily;
  readonly settings?: Partial<SupernetSettings>;
  /** Where training checkpoints go (and come from, on a re-run); none: training is not resumable. */
  readonly store?: EvaluationStore;
  /** Steps between checkpoints. */
  readonly checkpointEvery?: number;
  readonly log?: (line: string) => void;
  /** Training progress: steps done of all steps. */
  readonly onTrainStep?: (done: number, total: number) => void;
}

export interface SupernetEvaluator extends Evaluator {
  readonly settings: SupernetSettings;
  /** Names the settings: evaluations and checkpoints of equal keys are interchangeable. */
  readonly key: string;
  /**
   * Trains the super-network if it is not yet (or loads it from the store) and returns its final checkpoint as a
   * store blob: what a worker thread needs to evaluate sub-networks without training again.
   */
  prepare(signal?: AbortSignal): Promise<{ readonly key: string; readonly data: Uint8Array }>;
  /**
   * NATv2's post-processing: each network starts from its inherited weights and trains on its own for `epochs`
   * (Adam at `lr`, cosine), then is measured as the train evaluator measures (plus `train-seconds`).
   */
  fineTune(archs: readonly Genome[], options: FineTuneOptions, signal?: AbortSignal): Promise<Metrics[]>;
}

export interface FineTuneOptions {
  readonly epochs: number;
  /** Default: a tenth of the super-network's learning rate. */
  readonly lr?: number;
}

export function supernetMetrics(dataset: DatasetName): MetricInfo[] {
  const how = 'with weights inherited from the trained super-network and BN statistics recomputed (no training of its own)';
  return [
    { id: `accuracy:${dataset}-val`, kind: 'accuracy', unit: '%', source: 'measured', description: `top-1 on the ${dataset} validation split, ${how}` },
    { id: `accuracy:${dataset}-test`, kind: 'accuracy', unit: '%', source: 'measured', description: `top-1 on the ${dataset} test split (reported only), ${how}` },
  ];
}

function checkSettings(s: SupernetSettings): SupernetSettings {
  const posInt = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v > 0);
  for (const [flag, v] of [
    ['epochs', s.epochs],
    ['batchSize', s.batchSize],
    ['trainSize', s.trainSize],
    ['valSize', s.valSize],
    ['testSize', s.testSize],
    ['calibrationImages', s.calibrationImages],
  ] as const) {
    if (!posInt(v)) throw fieldError(flag, `expected a positive integer, got ${v}`);
  }
  if (!(Number.isInteger(s.randomSubnets) && s.randomSubnets >= 0)) throw fieldError('randomSubnets', `expected an integer >= 0, got ${s.randomSubnets}`);
  if (!(s.lr > 0)) throw fieldError('lr', `expected a positive number, got ${s.lr}`);
  if (!(s.weightDecay >= 0)) throw fieldError('weightDecay', `expected a number >= 0, got ${s.weightDecay}`);
  return s;
}

export function createSupernetEvaluator(options: SupernetEvaluatorOptions): SupernetEvaluator {
  const settings = checkSettings({ ...DEFAULT_SUPERNET_SETTINGS, ...options.settings });
  const { family } = options;
  const key = `supernet:${family.space}:${JSON.stringify(settings)}`;
  // The checkpoint depends on the training settings only: evaluating on more images reuses the trained weights.
  const { valSize: _v, testSize: _t, calibrationImages: _c, ...training } = settings;
  const trainKey = `supernet:${family.space}:${JSON.stringify(training)}`;
  // Without a store of its own, checkpoints still go somewhere: prepare() hands the last one to worker threads.
  const store = options.store ?? createMemoryStore();
  let ready: Promise<Mbv3Supernet> | null = null;
  const log = options.log ?? (() => {});
  const trained = async (signal: AbortSignal | undefined): Promise<{ sn: Mbv3Supernet; ds: Dataset }> => {
    await initBackend(settings.backend);
    const ds = loadDataset(settings.dataset, settings.splitSeed);
    ready ??= trainSupernet(family, ds, settings, { ...options, store, key: trainKey, log }, signal).catch((e: unknown) => {
      ready = null;
      throw e;
    });
    return { sn: await ready, ds };
  };
  return {
    name: `supernet-${settings.dataset}`,
    provides: supernetMetrics(settings.dataset),
    settings,
    key,
    async prepare(signal) {
      await trained(signal);
      const blobKey = checkpointKey(trainKey);
      return { key: blobKey, data: store.getBlob(blobKey)! };
    },
    async fineTune(archs, ft, signal) {
      if (!(Number.isInteger(ft.epochs) && ft.epochs > 0)) throw fieldError('fineTune', `expected a positive number of epochs, got ${ft.epochs}`);
      const { sn, ds } = await trained(signal);
      const s: TrainSettings = {
        ...DEFAULT_TRAIN_SETTINGS,
        dataset: settings.dataset,
        epochs: ft.epochs,
        batchSize: settings.batchSize,
        lr: ft.lr ?? settings.lr / 10,
        weightDecay: settings.weightDecay,
        seed: settings.seed,
        ...(settings.trainSize !== undefined ? { trainSize: settings.trainSize } : {}),
        ...(settings.valSize !== undefined ? { valSize: settings.valSize } : {}),
        ...(settings.testSize !== undefined ? { testSize: settings.testSize } : {}),
        calibrationImages: settings.calibrationImages,
        backend: settings.backend,
        splitSeed: settings.splitSeed,
      };
      const out: Metrics[] = [];
      for (const [i, g] of archs.entries()) {
        const ex = extractSubnet(sn, family.configOf(g));
        const net: TrainableNet = {
          params: ex.variables,
          decayParams: ex.decay,
          heads: ex.params.heads,
          loss: (x, y) => mbv3Loss(ex.params, x, y),
          calibrate: (batches) => calibrateMbv3(ex.params, batches),
          inference: () => mbv3Inference(ex.params),
          dispose: () => ex.dispose(),
        };
        out.push(trainNetwork(net, ds, s, signal, (line) => log(`fine-tune [${i + 1}/${archs.length}] ${line}`)));
        await new Promise((r) => setImmediate(r));
      }
      return out;
    },
    async evaluate(archs, ctx) {
      const { sn, ds } = await trained(ctx?.signal);
      const train = settings.trainSize === undefined ? ds.train : firstN(ds.train, settings.trainSize);
      const calib = firstN(train, Math.min(settings.calibrationImages, train.size));
      const out: Metrics[] = [];
      for (const g of archs) {
        if (ctx?.signal?.aborted) throw new Error('evaluation aborted');
        const view = sn.subnet(family.configOf(g));
        try {
          calibrateMbv3(view.params, batchesOf(ds, calib, 250));
          out.push(measureAccuracy(mbv3Inference(view.params), view.params.heads, ds, settings));
        } finally {
          view.dispose();
        }
        // Lets signal handlers run between networks.
        await new Promise((r) => setImmediate(r));
      }
      return out;
    },
  };
}

const checkpointKey = (key: string) => `checkpoint:${key}`;

interface CheckpointMeta {
  readonly key: string;
  readonly step: number;
  readonly total: number;
  readonly params: number;
}

/** Trains the super-network (or finishes training it from the store's checkpoint) and returns it. */
async function trainSupernet(
  family: SupernetFamily,
  ds: Dataset,
  s: SupernetSettings,
  o: SupernetEvaluatorOptions & { key: string; log: (line: string) => void },
  signal: AbortSignal | undefined,
): Promise<Mbv3Supernet> {
  const sn = createMbv3Supernet(family.macro, s.seed);
  const train = s.trainSize === undefined ? ds.train : firstN(ds.train, s.trainSize, 'trainSize');
  const stepsPerEpoch = Math.floor(train.size / s.batchSize);
  if (stepsPerEpoch === 0) throw fieldError('batchSize', `${s.batchSize} is larger than the ${train.size} training images`);
  const total = stepsPerEpoch * s.epochs;
  const { opt, setLr } = makeOptimizer({ optimizer: 'adam', lr: s.lr });
  const blobKey = checkpointKey(o.key);
  let step = 0;
  const saved = o.store?.getBlob(blobKey);
  if (saved) {
    const { meta, arrays } = decodeCheckpoint<CheckpointMeta>(saved);
    if (meta.key !== o.key || meta.params !== sn.params.length) throw new Error('supernet checkpoint: saved for other settings');
    loadSupernetWeights(sn, arrays.slice(0, sn.params.length).map((a) => a.data));
    const optState = arrays.slice(sn.params.length);
    if (optState.length > 0) {
      await opt.setWeights(optState.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, [...a.shape], a.name === 'iter' ? 'int32' : 'float32') })));
    }
    step = meta.step;
    o.log(step >= total ? 'super-network: trained (from the store)' : `super-network: resuming training at step ${step}/${total}`);
  }
  const checkpoint = async () => {
    if (!o.store) return;
    const weights = supernetWeights(sn);
    const arrays: NamedArray[] = sn.params.map((v, i) => ({ name: sn.names[i]!, shape: v.shape, data: weights[i]! }));
    for (const w of step > 0 ? await opt.getWeights() : []) arrays.push({ name: w.name, shape: w.tensor.shape, data: Float32Array.from(w.tensor.dataSync()) });
    o.store.putBlob(blobKey, encodeCheckpoint({ key: o.key, step, total, params: sn.params.length } satisfies CheckpointMeta, arrays));
  };
  const every = o.checkpointEvery ?? 20;
  const largest = family.configOf(family.largest);
  const smallest = family.configOf(family.smallest);
  const order = Array.from({ length: train.size }, (_, i) => i);
  let orderEpoch = -1;
  const t0 = performance.now();
  const startStep = step;
  try {
    while (step < total) {
      if (signal?.aborted) throw new Error('training aborted');
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== orderEpoch) {
        // Each epoch's order depends on the seed and the epoch alone, so a resumed run sees the same batches.
        order.sort((a, b) => a - b);
        shuffle(order, createRng((s.seed * 7919 + epoch) | 0));
        orderEpoch = epoch;
      }
      const b = step % stepsPerEpoch;
      const rng = createRng((s.seed * 104729 + step * 31 + 17) | 0);
      const configs = [largest, smallest, ...Array.from({ length: s.randomSubnets }, () => family.configOf(family.sample(rng)))];
      setLr(learningRate({ lr: s.lr, schedule: { kind: 'cosine' } }, step, total, epoch));
      const { x, y } = batchTensors(ds, train, order.slice(b * s.batchSize, (b + 1) * s.batchSize));
      const loss = opt.minimize(
        () => {
          const views = configs.map((c) => sn.subnet(c).params);
          if (!s.distill) return withDecay(tf.addN(views.map((v) => mbv3Loss(v, x, y))) as tf.Scalar, sn.decayParams, s.weightDecay);
          // In-place distillation (BigNAS): the largest learns from the labels, the others from its predictions,
          // copied out of the tape so that no gradient flows into the teacher through them.
          // The teacher's forward pass is also its own training pass: the largest network is most of a step's cost.
          const teacherLogits = mbv3Forward(views[0]!, trainExec(), x);
          const teacher = teacherLogits.at(-1)!;
          const soft = tf.softmax(tf.tensor2d(teacher.dataSync() as Float32Array, teacher.shape));
          const losses = views.map((v, k) => (k === 0 ? mbv3LossOf(teacherLogits, y) : mbv3Loss(v, x, soft)));
          return withDecay(tf.addN(losses) as tf.Scalar, sn.decayParams, s.weightDecay);
        },
        true,
        sn.params as tf.Variable[],
      );
      const value = loss?.dataSync()[0] ?? Number.NaN;
      tf.dispose([x, y, loss as tf.Scalar]);
      step++;
      o.onTrainStep?.(step, total);
      if (step % every === 0 || step === total) await checkpoint();
      if (step % stepsPerEpoch === 0 || step === total) {
        const secs = (performance.now() - t0) / 1000;
        o.log(`super-network: step ${step}/${total}, loss ${(value / configs.length).toFixed(4)} per sub-network, ${secs.toFixed(0)} s (${((step - startStep) * s.batchSize * configs.length / secs).toFixed(0)} sub-network images/s)`);
      }
      await new Promise((r) => setImmediate(r));
    }
    return sn;
  } catch (e) {
    sn.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
}
