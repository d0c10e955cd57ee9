import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { BUILTIN_DEVICES, builtinEvaluator, builtinSpace, type BuiltinSpaceName, type EvaluatorKind } from '../builtin/spaces.js';
import { type DatasetName, parseDatasetName } from '../data/datasets.js';
import { UserError } from '../errors.js';
import { cachedEvaluator } from '../eval/cached.js';
import type { BlockTable } from '../predict/block-table.js';
import { ESTIMATORS } from '../predict/estimators/index.js';
import { createMemoryStore } from '../store/memory.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { BackendName } from '../tfjs/backend.js';
import { progressReporter } from './progress.js';
import { type CommonOptions, DEFAULT_ESTIMATOR, parseIntOption } from './session.js';

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
];

export const BUILTIN_DEFAULT_DATASET: DatasetName = 'fashion-mnist';
/** Regression on this many networks: about 3x the m(n-1)+1 = 44 a block table needs at the least. */
export const BUILTIN_DEFAULT_BUDGET = 150;

export interface BuiltinEstimate {
  readonly table: BlockTable;
  readonly fresh: number;
  readonly reused: number;
  readonly interrupted: boolean;
}

/**
 * Estimates a built-in space's block table from networks evaluated here (super-network or trained from scratch,
 * timed on this machine). Every evaluation and the super-network's training checkpoints go to --store as they
 * finish, so the same command after a kill or Ctrl-C continues where it stopped.
 */
export async function estimateBuiltin(name: BuiltinSpaceName, opts: CommonOptions & BuiltinEstimateOptions, signal: AbortSignal): Promise<BuiltinEstimate> {
  const space = builtinSpace(name);
  const dataset = parseDatasetName(opts.dataset ?? BUILTIN_DEFAULT_DATASET);
  const device = (opts.device ?? 'wasm') as BackendName;
  if (!BUILTIN_DEVICES.includes(device)) throw new UserError(`--device: expected one of ${BUILTIN_DEVICES.join(', ')} (TensorFlow.js backends timed here), got "${opts.device}"`);
  const estimatorName = opts.estimator ?? DEFAULT_ESTIMATOR;
  const estimator = ESTIMATORS.find((e) => e.name === estimatorName);
  if (!estimator) throw new UserError(`--estimator: unknown "${estimatorName}" (one of ${ESTIMATORS.map((e) => e.name).join(', ')})`);
  const budget = parseIntOption('--budget', opts.budget, 1) ?? BUILTIN_DEFAULT_BUDGET;
  const seed = parseIntOption('--seed', opts.seed, 0) ?? 0;
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
  const store = opts.store ? openSqliteStore(resolve(opts.store)) : createMemoryStore();
  const quiet = opts.json ?? false;
  try {
    const be = builtinEvaluator(name, {
      kind,
      dataset,
      device,
      supernet: { ...sizes, seed, ...defined('randomSubnets', randomSubnets) },
      train: { ...sizes, seed },
      latency: { ...defined('repeats', repeats) },
      store,
      log: quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
      onTrainStep: progressReporter(`estimate ${name}: super-network training`, quiet, 'steps'),
    });
    const cached = cachedEvaluator(be.evaluator, store, be.key, { chunk: 1 });
    const abortable = { ...cached, evaluate: (archs: Parameters<typeof cached.evaluate>[0]) => cached.evaluate(archs, { signal }) };
    let table: BlockTable;
    try {
      table = await estimator.estimate({
        space,
        evaluator: abortable,
        accuracy: be.accuracy,
        costs: be.costs,
        budget,
        seed,
        graphAware: false,
        dataset,
        device,
        onProgress: progressReporter(`estimate ${name} (${estimatorName}, ${kind})`, quiet),
      });
    } catch (e) {
      if (signal.aborted) return { table: undefined as unknown as BlockTable, fresh: cached.fresh, reused: cached.reused, interrupted: true };
      throw e;
    }
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const notes = [
      ...(table.notes ?? []),
      `${be.accuracy}: ${kind === 'supernet' ? 'sub-networks of one weight-sharing super-network (sandwich rule), BN statistics recomputed per network' : 'every network trained from scratch'}; settings ${be.key}`,
      `latency:${device}: median batch-1 inference measured with TensorFlow.js ${device} on ${cpu} (${cpus().length} cores), Node ${process.versions.node}; other machines differ`,
    ];
    return { table: { ...table, notes }, fresh: cached.fresh, reused: cached.reused, interrupted: false };
  } finally {
    store.close();
  }
}

function defined<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
