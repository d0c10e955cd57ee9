import { cpus } from 'node:os';
import { cachedEvaluator } from '../eval/cached.js';
import type { LatencySettings } from '../eval/latency.js';
import type { Evaluator } from '../core/metrics.js';
import type { BlockTable } from '../core/block-table.js';
import type { Estimator } from '../predict/estimators/types.js';
import type { Genome } from '../space/types.js';
import type { EvaluationStore } from '../store/types.js';
import type { BackendName } from '../tfjs/backend.js';
import { type AccuracySpec, builtinEvaluator, builtinSpace, type BuiltinSpaceName } from './spaces.js';

const LATENCY_CHUNK = 8;

/**
 * Regression on this many networks: about 3.4x the m(n-1)+1 = 44 a block table needs at the least. Inherited-weight
 * accuracy is noisy enough that 100 were too few (cross-validated accuracy Spearman 0.66 at 100 networks, 0.72-0.74
 * at 150, 0.76 at 200; docs/evaluation.md), and 150 still fit the 15-minute estimation on two cores.
 */
export const BUILTIN_DEFAULT_BUDGET = 150;

export interface BuiltinEstimateRequest {
  readonly space: BuiltinSpaceName;
  readonly accuracy: AccuracySpec;
  readonly device: BackendName;
  readonly latency?: Partial<LatencySettings>;
  readonly estimator: Estimator;
  readonly budget: number;
  readonly seed: number;
  readonly store: EvaluationStore;
  /** Worker threads for accuracy evaluations; 1 evaluates in this thread. */
  readonly workers: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly onTrainStep?: (done: number, total: number) => void;
  /** Networks with metrics so far (stored now or found in the store), of those the estimator wants. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BuiltinEstimate {
  /** Undefined when interrupted. */
  readonly table?: BlockTable;
  readonly fresh: number;
  readonly reused: number;
  readonly interrupted: boolean;
  /** The store key of the evaluations (what `evaluate` below reuses). */
  readonly key: string;
}

/** The evaluator an estimation uses, cached in the store under its settings key: for measuring more networks later. */
export interface BuiltinSession {
  readonly evaluator: Evaluator & { readonly fresh: number; readonly reused: number };
  readonly key: string;
  readonly accuracy: string;
  readonly costs: readonly string[];
  /** The network latency is timed against (LatencySettings.reference), if any. */
  readonly latencyReference: Genome | null;
  close(): Promise<void>;
}

export function openBuiltinEvaluator(req: Omit<BuiltinEstimateRequest, 'estimator' | 'budget' | 'seed'> & { onStored?: (fresh: number) => void }): BuiltinSession {
  const be = builtinEvaluator(req.space, {
    accuracy: req.accuracy,
    device: req.device,
    ...(req.latency ? { latency: req.latency } : {}),
    store: req.store,
    ...(req.log ? { log: req.log } : {}),
    ...(req.onTrainStep ? { onTrainStep: req.onTrainStep } : {}),
    workers: req.workers,
  });
  // Chunks of 8 (or one per worker, if more): a kill loses at most one chunk, and latency is timed interleaved
  // over a chunk (LatencySettings.rounds), which needs several networks.
  const chunk = Math.max(LATENCY_CHUNK, req.workers);
  const cached = cachedEvaluator(be.evaluator, req.store, be.key, { chunk, ...(req.onStored ? { onStored: req.onStored } : {}) });
  const signal = req.signal;
  const evaluator = {
    name: cached.name,
    provides: cached.provides,
    get fresh() {
      return cached.fresh;
    },
    get reused() {
      return cached.reused;
    },
    evaluate: (archs: Parameters<Evaluator['evaluate']>[0]) => cached.evaluate(archs, signal ? { signal } : {}),
  };
  return { evaluator, key: be.key, accuracy: be.accuracy, costs: be.costs, latencyReference: be.latencyReference, close: be.close };
}

/**
 * Estimates a built-in space's block table from networks evaluated here (super-network or trained from scratch,
 * timed on this machine). Every evaluation and the super-network's training checkpoints go to the store as they
 * finish, so the same request after a kill continues where it stopped.
 */
export async function estimateBuiltinTable(req: BuiltinEstimateRequest): Promise<BuiltinEstimate> {
  let total = req.budget;
  let session: BuiltinSession | null = null;
  const onStored = (fresh: number) => req.onProgress?.(Math.min(fresh + (session?.evaluator.reused ?? 0), total - 1), total);
  session = openBuiltinEvaluator({ ...req, onStored });
  const s = session;
  const space = builtinSpace(req.space);
  try {
    let table: BlockTable;
    try {
      table = await req.estimator.estimate({
        space,
        evaluator: s.evaluator,
        accuracy: s.accuracy,
        costs: s.costs,
        budget: req.budget,
        seed: req.seed,
        graphAware: false,
        dataset: req.accuracy.dataset,
        device: req.device,
        onProgress: (done, t) => {
          total = t;
          req.onProgress?.(done, t);
        },
      });
    } catch (e) {
      if (req.signal?.aborted) return { fresh: s.evaluator.fresh, reused: s.evaluator.reused, interrupted: true, key: s.key };
      throw e;
    }
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const how =
      req.accuracy.kind === 'supernet'
        ? 'sub-networks of one weight-sharing super-network (sandwich rule), BN statistics recomputed per network'
        : 'every network trained from scratch';
    const notes = [
      ...(table.notes ?? []),
      `${s.accuracy}: ${how}; settings ${s.key}`,
      `latency:${req.device}: median batch-1 inference measured with TensorFlow.js ${req.device} on ${cpu} (${cpus().length} cores), Node ${process.versions.node}; other machines differ`,
      ...(s.latencyReference
        ? [`latency:${req.device}: relative to ${space.format(s.latencyReference)} timed in every round of every batch, in its milliseconds as first measured (the machine's speed phases divided out)`]
        : []),
    ];
    return { table: { ...table, notes }, fresh: s.evaluator.fresh, reused: s.evaluator.reused, interrupted: false, key: s.key };
  } finally {
    await s.close();
  }
}

