import type { SupernetEvaluator } from '../eval/supernet.js';
import type { EvolveTarget } from '../evolve/target.js';
import type { EvaluationStore } from '../store/types.js';
import type { LatencySettings } from '../eval/latency.js';
import type { BackendName } from '../tfjs/backend.js';
import { type AccuracySpec, builtinEvaluator, builtinSpace, type BuiltinSpaceName } from './spaces.js';

export interface BuiltinTargetOptions {
  readonly accuracy: AccuracySpec;
  readonly device: BackendName;
  readonly latency: Partial<LatencySettings>;
  readonly workers: number;
  /** Super-network checkpoints. */
  readonly store: EvaluationStore;
  readonly log?: (line: string) => void;
  readonly onTrainStep?: (done: number, total: number) => void;
}

export const NO_FINE_TUNE_FOR_TRAIN =
  'networks trained from scratch (--evaluator train) already finished their training schedule; fine-tuning applies to inherited weights (--evaluator supernet)';

/**
 * A built-in space as an evolutionary-search target: networks measured here (accuracy from the super-network or
 * training, latency timed, FLOPs counted). No true front: the space is not enumerable at this cost. With the
 * super-network, NATv2's post-processing is real: the Pareto networks are fine-tuned from their inherited weights.
 */
export function builtinTarget(name: BuiltinSpaceName, o: BuiltinTargetOptions): EvolveTarget {
  const be = builtinEvaluator(name, {
    accuracy: o.accuracy,
    device: o.device,
    latency: o.latency,
    store: o.store,
    ...(o.log ? { log: o.log } : {}),
    ...(o.onTrainStep ? { onTrainStep: o.onTrainStep } : {}),
    workers: o.workers,
  });
  const supernet = o.accuracy.kind === 'supernet' ? (be.accuracyPart as SupernetEvaluator) : null;
  return {
    name,
    space: builtinSpace(name),
    metrics: be.evaluator.provides,
    evaluator: () => be.evaluator,
    key: be.key,
    fineTune: supernet
      ? { available: true, run: (archs, epochs, signal) => supernet.fineTune(archs, { epochs }, signal) }
      : { available: false, reason: NO_FINE_TUNE_FOR_TRAIN },
    close: be.close,
  };
}
