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
  /** ...and untimed runs until this many milliseconds have passed: small networks need more runs to settle. */
  readonly warmupMs: number;
  /**
   * Untimed runs of the first network before anything is timed, in milliseconds: wasm code is compiled by a fast
   * baseline tier first and optimised while it runs, and the first networks of a process ran up to 3x slower
   * than the same networks later (measured: 8-18 ms settling to 5 ms over 40 runs).
   */
  readonly processWarmupMs: number;
  /**
   * The timed runs of a batch are interleaved in this many rounds (round r times every network repeats/rounds
   * times). On a shared or virtual machine speed changes in phases that last tens of runs (measured here: one
   * network at 2.3 ms for 11 runs, then 3.9 ms for 19); interleaving spreads each phase over every network of the
   * batch instead of landing on one.
   */
  readonly rounds: number;
  readonly repeats: number;
  /** Input [height, width, channels]; the batch is always 1. */
  readonly inputShape: readonly [number, number, number];
}

export const DEFAULT_LATENCY_SETTINGS: LatencySettings = {
  backends: ['wasm'],
  warmup: 5,
  warmupMs: 200,
  processWarmupMs: 3000,
  rounds: 6,
  repeats: 30,
  inputShape: [28, 28, 1],
};

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
  const warmed = new Set<BackendName>();
  return {
    name: 'latency',
    provides: latencyMetrics(settings.backends),
    settings,
    async evaluate(archs, ctx) {
      const out: Record<string, number>[] = archs.map(() => ({}));
      for (const backend of settings.backends) {
        await initBackend(backend);
        if (!warmed.has(backend) && archs.length > 0) {
          timeNet(options.build(archs[0]!, 0), { ...settings, warmupMs: settings.processWarmupMs, repeats: 1 });
          warmed.add(backend);
        }
        const samples = timeNets(archs.map((g) => options.build(g, 0)), settings, ctx?.signal);
        samples.forEach((s, i) => {
          Object.assign(out[i]!, { [`latency:${backend}`]: s.median, [`latency:${backend}-p10`]: s.p10, [`latency:${backend}-p90`]: s.p90 });
        });
      }
      return out as Metrics[];
    },
  };
}

type TimingSettings = Pick<LatencySettings, 'warmup' | 'repeats' | 'inputShape'> & { readonly warmupMs?: number; readonly rounds?: number };

/** Times one network on the active backend; disposes it. */
export function timeNet(net: TimedNet, settings: TimingSettings): LatencySample {
  return timeNets([net], settings)[0]!;
}

/**
 * Times several networks on the active backend, each warmed up, then their timed runs interleaved in rounds
 * (see LatencySettings.rounds); disposes them.
 */
export function timeNets(nets: readonly TimedNet[], settings: TimingSettings, signal?: AbortSignal): LatencySample[] {
  const [h, w, c] = settings.inputShape;
  const x = tf.tensor4d(seededValues(h * w * c, 1), [1, h, w, c]);
  const inferences: InferenceNet[] = [];
  try {
    for (const net of nets) inferences.push(net.inference());
    const once = (inference: InferenceNet): number => {
      const t0 = performance.now();
      const outs = inference.run(x);
      for (const o of outs) o.dataSync();
      const ms = performance.now() - t0;
      tf.dispose(outs);
      return ms;
    };
    const warm = (inference: InferenceNet) => {
      const start = performance.now();
      for (let i = 0; i < settings.warmup || performance.now() - start < (settings.warmupMs ?? 0); i++) once(inference);
    };
    const runs = nets.map((): number[] => []);
    const rounds = Math.max(1, Math.min(settings.rounds ?? 1, settings.repeats));
    for (let r = 0; r < rounds; r++) {
      // Repeats split as evenly as rounds allow: the first (repeats mod rounds) rounds take one more.
      const k = Math.floor(settings.repeats / rounds) + (r < settings.repeats % rounds ? 1 : 0);
      inferences.forEach((inference, i) => {
        if (signal?.aborted) throw new Error('latency measurement aborted');
        // Warmed up just before its first timed round, so every network's first runs are warm alike.
        if (r === 0) warm(inference);
        for (let j = 0; j < k; j++) runs[i]!.push(once(inference));
      });
    }
    return runs.map((rs) => ({ median: quantile(rs, 0.5), p10: quantile(rs, 0.1), p90: quantile(rs, 0.9), runs: rs }));
  } finally {
    for (const inference of inferences) inference.dispose();
    x.dispose();
    for (const net of nets) net.dispose();
  }
}
