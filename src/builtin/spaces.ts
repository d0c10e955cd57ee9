import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DatasetName, parseDatasetName } from '../data/datasets.js';
import { fieldError } from '../errors.js';
import { createAnalyticEvaluator } from '../eval/analytic.js';
import { combineEvaluators } from '../eval/combine.js';
import { createLatencyEvaluator, DEFAULT_LATENCY_SETTINGS, type LatencySettings } from '../eval/latency.js';
import { blobScale } from '../eval/latency-reference.js';
import { createSupernetEvaluator, type SupernetSettings } from '../eval/supernet.js';
import { createTrainEvaluator, type TrainSettings } from '../eval/train.js';
import type { Evaluator } from '../core/metrics.js';
import { buildMbv3Mini, mbv3MiniCost } from '../spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace, MBV3_MINI_LATENCY_REFERENCE } from '../spaces/mbv3-mini/space.js';
import { mbv3MiniFamily } from '../spaces/mbv3-mini/supernet.js';
import type { Genome, SearchSpace } from '../space/types.js';
import type { EvaluationStore } from '../store/types.js';
import type { BackendName } from '../tfjs/backend.js';
import { createPoolEvaluator } from './pool.js';

/*
 * Built-in spaces: networks blocknas builds, trains and times itself (TensorFlow.js on this machine, datasets from
 * npm), so they need no data directory. Each ships the block table blocknas's own pipeline produced
 * (tables/<space>.json, rebuilt by `blocknas estimate <space> --out tables/<space>.json`), which is what `search`
 * uses unless --table names another.
 */

export const BUILTIN_SPACES = ['mbv3-mini'] as const;
export type BuiltinSpaceName = (typeof BUILTIN_SPACES)[number];

export const DEFAULT_BUILTIN_SPACE: BuiltinSpaceName = 'mbv3-mini';

export const BUILTIN_DESCRIPTIONS: Readonly<Record<BuiltinSpaceName, string>> = {
  'mbv3-mini':
    'MobileNetV3-style network for 28x28 images with the OFAv2 additions (parallel branches, dense skips, early exits), trained on MNIST / Fashion-MNIST and timed here with TensorFlow.js',
};

/** Latency "devices" of a built-in space: TensorFlow.js backends of the machine blocknas runs on. */
export const BUILTIN_DEVICES: readonly BackendName[] = ['wasm', 'cpu'];

export const EVALUATOR_KINDS = ['supernet', 'train'] as const;
export type EvaluatorKind = (typeof EVALUATOR_KINDS)[number];

export function isBuiltinSpace(name: string): name is BuiltinSpaceName {
  return (BUILTIN_SPACES as readonly string[]).includes(name);
}

const SPACES: Readonly<Record<BuiltinSpaceName, () => SearchSpace>> = { 'mbv3-mini': createMbv3MiniSpace };

export function builtinSpace(name: BuiltinSpaceName): SearchSpace {
  return SPACES[name]();
}

/** Where the package keeps the shipped table (same relative place from src/builtin and dist/builtin). */
export function shippedTablePath(name: BuiltinSpaceName): string {
  return fileURLToPath(new URL(`../../tables/${name}.json`, import.meta.url));
}

export function hasShippedTable(name: BuiltinSpaceName): boolean {
  return existsSync(shippedTablePath(name));
}

/** How accuracy is measured, as plain JSON: a worker thread rebuilds the same evaluator from it. */
export interface AccuracySpec {
  readonly space: BuiltinSpaceName;
  readonly kind: EvaluatorKind;
  readonly dataset: DatasetName;
  readonly supernet?: Partial<SupernetSettings>;
  readonly train?: Partial<TrainSettings>;
}

export interface AccuracyHooks {
  /** Keeps the super-network's training checkpoints (and hands a finished one to workers). */
  readonly store?: EvaluationStore;
  readonly log?: (line: string) => void;
  readonly onTrainStep?: (done: number, total: number) => void;
}

export type AccuracyEvaluator = Evaluator & { readonly settings: object; readonly key?: string };

/** The accuracy evaluator of a spec: weight sharing (supernet) or every network trained from scratch (train). */
export function accuracyEvaluator(spec: AccuracySpec, hooks: AccuracyHooks = {}): AccuracyEvaluator {
  if (!(EVALUATOR_KINDS as readonly string[]).includes(spec.kind)) {
    throw fieldError('evaluator', `expected one of ${EVALUATOR_KINDS.join(', ')}, got "${spec.kind}"`);
  }
  const dataset = parseDatasetName(spec.dataset);
  const log = hooks.log ?? (() => {});
  if (spec.kind === 'supernet') {
    return createSupernetEvaluator({
      family: mbv3MiniFamily(builtinSpace(spec.space)),
      settings: { ...spec.supernet, dataset },
      ...(hooks.store ? { store: hooks.store } : {}),
      log,
      ...(hooks.onTrainStep ? { onTrainStep: hooks.onTrainStep } : {}),
    });
  }
  return createTrainEvaluator({ build: buildMbv3Mini, settings: { ...spec.train, dataset }, log });
}

export interface BuiltinEvaluatorOptions extends AccuracyHooks {
  readonly accuracy: AccuracySpec;
  readonly device: BackendName;
  readonly latency?: Partial<LatencySettings>;
  /** Worker threads for accuracy (above 1, a piscina pool; latency is always timed in this thread). */
  readonly workers?: number;
}

export interface BuiltinEvaluator {
  readonly evaluator: Evaluator;
  /** The accuracy part, in this thread (for the super-network's fine-tuning). */
  readonly accuracyPart: AccuracyEvaluator;
  /** Names every setting that changes the metrics: the store key of its evaluations. */
  readonly key: string;
  readonly accuracy: string;
  readonly costs: readonly string[];
  /** The network latency is timed against (LatencySettings.reference), if any. */
  readonly latencyReference: Genome | null;
  /** Stops the worker pool, if there is one. */
  close(): Promise<void>;
}

/**
 * Latency of a built-in space's networks on one backend, timed here against the space's reference network: the
 * protocol of every estimation, and of search --verify. With a store, the reference's scale is kept there.
 */
export function builtinLatencyEvaluator(device: BackendName, latency: Partial<LatencySettings> = {}, store?: EvaluationStore) {
  const settings = { ...DEFAULT_LATENCY_SETTINGS, reference: MBV3_MINI_LATENCY_REFERENCE, ...latency, backends: [device] };
  return createLatencyEvaluator({
    build: buildMbv3Mini,
    settings,
    ...(store ? { scale: blobScale(store, `latency-scale:${JSON.stringify(settings)}`) } : {}),
  });
}

/** FLOPs and params of a built-in space's networks, counted from their definition. */
export function builtinAnalyticEvaluator(name: BuiltinSpaceName): Evaluator {
  return createAnalyticEvaluator(name, mbv3MiniCost);
}

/** Accuracy (super-network or training from scratch), latency on one backend, FLOPs and params, as one evaluator. */
export function builtinEvaluator(name: BuiltinSpaceName, o: BuiltinEvaluatorOptions): BuiltinEvaluator {
  const accuracyPart = accuracyEvaluator(o.accuracy, o);
  const latency = builtinLatencyEvaluator(o.device, o.latency, o.store);
  const latencySettings = latency.settings;
  const analytic = builtinAnalyticEvaluator(name);
  const pool = (o.workers ?? 1) > 1 ? createPoolEvaluator(accuracyPart, o.accuracy, o.workers!) : null;
  const evaluator = combineEvaluators(`${name}-${o.accuracy.kind}`, [pool ?? accuracyPart, latency, analytic]);
  return {
    evaluator,
    accuracyPart,
    key: JSON.stringify({ space: name, kind: o.accuracy.kind, accuracy: accuracyPart.settings, latency: latency.settings }),
    accuracy: `accuracy:${o.accuracy.dataset}-val`,
    costs: [`latency:${o.device}`, 'flops', 'params'],
    latencyReference: latencySettings.reference,
    close: async () => void (await pool?.close()),
  };
}
