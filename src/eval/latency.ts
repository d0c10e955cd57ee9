import { fieldError } from '../errors.js';
import type { Genome } from '../space/types.js';
import { type BackendName, initBackend } from '../tfjs/backend.js';
import { memoryScale, type ReferenceScale, timeAgainstReference } from './latency-reference.js';
import { type LatencySample, type TimedNet, timeNet, timeNets } from './latency-timing.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';

export { type LatencySample, type TimedNet, timeNet, timeNets } from './latency-timing.js';

export interface LatencySettings {
  readonly backends: readonly BackendName[];
  /** Untimed runs first: XNNPACK operator setup and V8 compilation happen on the first calls. */
  readonly warmup: number;
  /** ...and untimed runs until this many milliseconds have passed: small networks need more runs to settle. */
  readonly warmupMs: number;
  /**
   * Untimed runs of the first network before anything is timed, in milliseconds: wasm code is compiled by a fast
   * baseline tier first and optimised while it runs, and the first networks of a process ran slower than the same
   * networks later (docs/notes/2026-12-08-evaluation.md).
   */
  readonly processWarmupMs: number;
  /**
   * The timed runs of a batch are interleaved in this many rounds (round r times every network repeats/rounds
   * times). On a shared or virtual machine speed changes in phases that last tens of runs (docs/notes/2026-12-08-evaluation.md);
   * interleaving spreads each phase over every network of the batch instead of landing on one.
   */
  readonly rounds: number;
  readonly repeats: number;
  /**
   * A network timed in every round of every batch (null: none). Latencies are then relative to it per round, in
   * its first-measured milliseconds (src/eval/latency-reference.ts): the machine's speed phases divide out, so
   * batches timed minutes or sessions apart compare.
   */
  readonly reference: Genome | null;
  /** Input [height, width, channels]; the batch is always 1. */
  readonly inputShape: readonly [number, number, number];
}

export const DEFAULT_LATENCY_SETTINGS: LatencySettings = {
  backends: ['wasm'],
  warmup: 5,
  warmupMs: 200,
  processWarmupMs: 3000,
  rounds: 10,
  repeats: 60,
  reference: null,
  inputShape: [28, 28, 1],
};

export interface LatencyEvaluatorOptions {
  readonly settings?: Partial<LatencySettings>;
  readonly build: (genome: Genome, seed: number) => TimedNet;
  /** Where the reference's milliseconds are kept (a store, so a resumed run keeps the scale); default: this process. */
  readonly scale?: ReferenceScale;
}

export function latencyMetrics(backends: readonly BackendName[], referenced = false): MetricInfo[] {
  return backends.flatMap((b): MetricInfo[] => [
    {
      id: `latency:${b}`,
      kind: 'latency',
      unit: 'ms',
      source: 'measured',
      description: referenced
        ? `median ms of one batch-1 inference on the tfjs ${b} backend, this machine, relative to a reference network timed alongside (in its first-measured ms)`
        : `median wall-clock ms of one batch-1 inference on the tfjs ${b} backend, this machine`,
    },
    { id: `latency:${b}-p10`, kind: 'latency', unit: 'ms', source: 'measured', description: `10th percentile of the same runs (spread)` },
    { id: `latency:${b}-p90`, kind: 'latency', unit: 'ms', source: 'measured', description: `90th percentile of the same runs (spread)` },
    ...(referenced
      ? [{ id: `latency:${b}-raw`, kind: 'latency' as const, unit: 'ms', source: 'measured' as const, description: 'median wall-clock ms of the same runs, without the reference correction' }]
      : []),
  ]);
}

/**
 * Times batch-1 inference of each architecture on each backend, in this process: warm-up runs, then `repeats`
 * timed runs, each ending when the logits have been read back. Reports the median, and p10/p90 as the spread.
 * Timings are as noisy as the machine: compare networks measured in one run.
 */
export function createLatencyEvaluator(options: LatencyEvaluatorOptions): Evaluator & { readonly settings: LatencySettings } {
  const settings = { ...DEFAULT_LATENCY_SETTINGS, ...options.settings };
  if (!Number.isInteger(settings.warmup) || settings.warmup < 0) throw fieldError('warmup', `expected an integer >= 0, got ${settings.warmup}`);
  if (!Number.isInteger(settings.repeats) || settings.repeats < 1) throw fieldError('repeats', `expected a positive integer, got ${settings.repeats}`);
  if (settings.backends.length === 0 || settings.backends.some((b) => b !== 'wasm' && b !== 'cpu')) {
    throw fieldError('backend', `expected wasm and/or cpu, got ${settings.backends.join(',')}`);
  }
  const warmed = new Set<BackendName>();
  const scale = options.scale ?? memoryScale();
  const reference = settings.reference;
  return {
    name: 'latency',
    provides: latencyMetrics(settings.backends, reference !== null),
    settings,
    async evaluate(archs, ctx) {
      const out: Record<string, number>[] = archs.map(() => ({}));
      for (const backend of settings.backends) {
        await initBackend(backend);
        if (archs.length === 0) continue;
        if (!warmed.has(backend)) {
          timeNet(options.build(reference ?? archs[0]!, 0), { ...settings, warmupMs: settings.processWarmupMs, repeats: 1 });
          warmed.add(backend);
        }
        const nets = archs.map((g) => options.build(g, 0));
        const samples: (LatencySample & { raw?: number })[] =
          reference === null ? timeNets(nets, settings, ctx?.signal) : timeAgainstReference(nets, options.build(reference, 0), backend, scale, settings, ctx?.signal);
        samples.forEach((s, i) => {
          Object.assign(out[i]!, { [`latency:${backend}`]: s.median, [`latency:${backend}-p10`]: s.p10, [`latency:${backend}-p90`]: s.p90 });
          if (s.raw !== undefined) out[i]![`latency:${backend}-raw`] = s.raw;
        });
      }
      return out as Metrics[];
    },
  };
}

