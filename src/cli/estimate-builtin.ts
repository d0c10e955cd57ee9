import { resolve } from 'node:path';
import { defaultWorkers } from '../builtin/pool.js';
import { type BuiltinEstimate, BUILTIN_DEFAULT_BUDGET, estimateBuiltinTable } from '../builtin/estimate.js';
import { type AccuracySpec, BUILTIN_DEVICES, type BuiltinSpaceName, EVALUATOR_KINDS, type EvaluatorKind } from '../builtin/spaces.js';
import type { LatencySettings } from '../eval/latency.js';
import { type DatasetName, parseDatasetName } from '../data/datasets.js';
import { UserError } from '../errors.js';
import { ESTIMATORS } from '../predict/estimators/index.js';
import { createMemoryStore } from '../store/memory.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { BackendName } from '../tfjs/backend.js';
import { progressReporter } from './progress.js';
import { type CommonOptions, parseIntOption, parseSeedOption } from './session.js';
import { DEFAULT_ESTIMATOR } from '../targets/tabular.js';

/** Flags of `estimate` that only a built-in space (one blocknas evaluates itself) takes. */
export interface BuiltinEstimateOptions {
  evaluator?: string;
  store?: string;
  epochs?: string;
  trainSize?: string;
  valSize?: string;
  testSize?: string;
  calibrationImages?: string;
  randomSubnets?: string;
  repeats?: string;
  workers?: string;
}

export const BUILTIN_ONLY_FLAGS: readonly (keyof BuiltinEstimateOptions)[] = [
  'evaluator',
  'store',
  'epochs',
  'trainSize',
  'valSize',
  'testSize',
  'calibrationImages',
  'randomSubnets',
  'repeats',
  'workers',
];

export const BUILTIN_DEFAULT_DATASET: DatasetName = 'fashion-mnist';

export interface BuiltinEvaluation {
  readonly accuracy: AccuracySpec;
  readonly device: BackendName;
  readonly latency: Partial<LatencySettings>;
  readonly workers: number;
}

/** The evaluation flags of a built-in space (shared by estimate and evolve), checked: one-line errors naming the flag. */
export function parseBuiltinEvaluation(name: BuiltinSpaceName, opts: CommonOptions & BuiltinEstimateOptions): BuiltinEvaluation {
  const dataset = parseDatasetName(opts.dataset ?? BUILTIN_DEFAULT_DATASET);
  const device = (opts.device ?? 'wasm') as BackendName;
  if (!BUILTIN_DEVICES.includes(device)) throw new UserError(`--device: expected one of ${BUILTIN_DEVICES.join(', ')} (TensorFlow.js backends timed here), got "${opts.device}"`);
  const seed = parseSeedOption(opts.seed) ?? 0;
  const int = (flag: string, v: string | undefined, min = 1) => parseIntOption(flag, v, min);
  const sizes = {
    ...defined('epochs', int('--epochs', opts.epochs)),
    ...defined('trainSize', int('--train-size', opts.trainSize)),
    ...defined('valSize', int('--val-size', opts.valSize)),
    ...defined('testSize', int('--test-size', opts.testSize)),
    ...defined('calibrationImages', int('--calibration-images', opts.calibrationImages)),
  };
  const randomSubnets = int('--random-subnets', opts.randomSubnets, 0);
  const repeats = int('--repeats', opts.repeats);
  const kind = (opts.evaluator ?? 'supernet') as EvaluatorKind;
  if (!EVALUATOR_KINDS.includes(kind)) throw new UserError(`--evaluator: expected one of ${EVALUATOR_KINDS.join(', ')}, got "${opts.evaluator}"`);
  return {
    accuracy: { space: name, kind, dataset, supernet: { ...sizes, seed, ...defined('randomSubnets', randomSubnets) }, train: { ...sizes, seed } },
    device,
    latency: { ...defined('repeats', repeats) },
    workers: int('--workers', opts.workers) ?? defaultWorkers(),
  };
}

/** `estimate <built-in space>`: its flags checked and turned into a request (src/builtin/estimate.ts). */
export async function estimateBuiltin(name: BuiltinSpaceName, opts: CommonOptions & BuiltinEstimateOptions, signal: AbortSignal): Promise<BuiltinEstimate> {
  const ev = parseBuiltinEvaluation(name, opts);
  const estimatorName = opts.estimator ?? DEFAULT_ESTIMATOR;
  const estimator = ESTIMATORS.find((e) => e.name === estimatorName);
  if (!estimator) throw new UserError(`--estimator: unknown "${estimatorName}" (one of ${ESTIMATORS.map((e) => e.name).join(', ')})`);
  const budget = parseIntOption('--budget', opts.budget, 1) ?? BUILTIN_DEFAULT_BUDGET;
  const seed = parseSeedOption(opts.seed) ?? 0;
  const store = opts.store ? openSqliteStore(resolve(opts.store)) : createMemoryStore();
  const quiet = opts.json ?? false;
  try {
    return await estimateBuiltinTable({
      space: name,
      ...ev,
      estimator,
      budget,
      seed,
      store,
      signal,
      log: quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
      onTrainStep: progressReporter(`estimate ${name}: super-network training`, quiet, 'steps'),
      onProgress: progressReporter(`estimate ${name} (${estimatorName}, ${ev.accuracy.kind})`, quiet),
    });
  } finally {
    store.close();
  }
}

function defined<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
