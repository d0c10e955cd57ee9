import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';
import { quantile } from '../stats/summary.js';
import type { Genome } from '../space/types.js';
import { type BackendName, initBackend } from '../tfjs/backend.js';
import { seededValues } from '../tfjs/small-cnn.js';
import type { InferenceNet } from './train.js';
import type { Evaluator, MetricInfo, Metrics } from './types.js';

/** A network that can run inference (weights do not matter for timing). */
export interface TimedNet {
  inference(): InferenceNet;
  dispose(): void;
}

export interface LatencySettings {
  readonly backends: readonly BackendName[];
  /** Untimed runs first: XNNPACK operator setup and V8 compilation happen on the first calls. */
  readonly warmup: number;
  readonly repeats: number;
  /** Input [height, width, channels]; the batch is always 1. */
  readonly inputShape: readonly [number, number, number];
}

export const DEFAULT_LATENCY_SETTINGS: LatencySettings = { backends: ['wasm'], warmup: 5, repeats: 30, inputShape: [28, 28, 1] };

export interface LatencyEvaluatorOptions {
  readonly settings?: Partial<LatencySettings>;
  readonly build: (genome: Genome, seed: number) => TimedNet;
}

export function latencyMetrics(backends: readonly BackendName[]): MetricInfo[] {
  return backends.flatMap((b): MetricInfo[] => [
    { id: `latency:${b}`, kind: 'latency', unit: 'ms', source: 'measured', description: `median wall-clock ms of one batch-1 inference on the tfjs ${b} backend, this machine` },
    { id: `latency:${b}-p10`, kind: 'latency', unit: 'ms', source: 'measured', description: `10th percentile of the same runs (spread)` },
    { id: `latency:${b}-p90`, kind: 'latency', unit: 'ms', source: 'measured', description: `90th percentile of the same runs (spread)` },
  ]);
}

/** Median and spread of `repeats` timed runs after `warmup` untimed ones. */
export interface LatencySample {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: readonly number[];
}

/**
 * Times batch-1 inference of each architecture on each backend, in this process: warm-up runs, then `repeats`
 * timed runs, each ending when the logits have been read back. Reports the median, and p10/p90 as the spread.
 * Timings are as noisy as the machine: compare networks measured in one run.
 */
export function createLatencyEvaluator(options: LatencyEvaluatorOptions): Evaluator & { readonly settings: LatencySettings } {
  const settings = { ...DEFAULT_LATENCY_SETTINGS, ...options.settings };
  if (!Number.isInteger(settings.warmup) || settings.warmup < 0) throw new UserError(`--warmup: expected an integer >= 0, got ${settings.warmup}`);
  if (!Number.isInteger(settings.repeats) || settings.repeats < 1) throw new UserError(`--repeats: expected a positive integer, got ${settings.repeats}`);
  if (settings.backends.length === 0 || settings.backends.some((b) => b !== 'wasm' && b !== 'cpu')) {
    throw new UserError(`--backend: expected wasm and/or cpu, got ${settings.backends.join(',')}`);
  }
  return {
    name: 'latency',
    provides: latencyMetrics(settings.backends),
    settings,
    async evaluate(archs, ctx) {
      const out: Record<string, number>[] = archs.map(() => ({}));
      for (const backend of settings.backends) {
        await initBackend(backend);
        for (const [i, g] of archs.entries()) {
          if (ctx?.signal?.aborted) throw new Error('latency measurement aborted');
          const s = timeNet(options.build(g, 0), settings);
          Object.assign(out[i]!, { [`latency:${backend}`]: s.median, [`latency:${backend}-p10`]: s.p10, [`latency:${backend}-p90`]: s.p90 });
        }
      }
      return out as Metrics[];
    },
  };
}

/** Times one network on the active backend; disposes it. */
export function timeNet(net: TimedNet, settings: Pick<LatencySettings, 'warmup' | 'repeats' | 'inputShape'>): LatencySample {
  const [h, w, c] = settings.inputShape;
  const x = tf.tensor4d(seededValues(h * w * c, 1), [1, h, w, c]);
  const inference = net.inference();
  try {
    const once = (): number => {
      const t0 = performance.now();
      const outs = inference.run(x);
      for (const o of outs) o.dataSync();
      const ms = performance.now() - t0;
      tf.dispose(outs);
      return ms;
    };
    for (let i = 0; i < settings.warmup; i++) once();
    const runs = Array.from({ length: settings.repeats }, once);
    return { median: quantile(runs, 0.5), p10: quantile(runs, 0.1), p90: quantile(runs, 0.9), runs };
  } finally {
    inference.dispose();
    x.dispose();
    net.dispose();
  }
}
