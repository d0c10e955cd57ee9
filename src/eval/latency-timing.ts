import * as tf from '@tensorflow/tfjs-core';
import { quantile } from '../stats/summary.js';
import { seededValues } from '../tfjs/small-cnn.js';
import type { InferenceNet } from './train.js';

/** A network that can run inference (weights do not matter for timing). */
export interface TimedNet {
  inference(): InferenceNet;
  dispose(): void;
}

/** Median and spread of `repeats` timed runs after `warmup` untimed ones. */
export interface LatencySample {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly runs: readonly number[];
}

/** What timing needs of LatencySettings (src/eval/latency.ts documents each). */
export interface TimingSettings {
  readonly warmup: number;
  readonly warmupMs?: number;
  readonly rounds?: number;
  readonly repeats: number;
  readonly inputShape: readonly [number, number, number];
  /** Milliseconds now; default performance.now. Tests pass a virtual clock, so their timing cannot be preempted. */
  readonly clock?: () => number;
}

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
  const now = settings.clock ?? (() => performance.now());
  try {
    for (const net of nets) inferences.push(net.inference());
    const once = (inference: InferenceNet): number => {
      const t0 = now();
      const outs = inference.run(x);
      for (const o of outs) o.dataSync();
      const ms = now() - t0;
      tf.dispose(outs);
      return ms;
    };
    const warm = (inference: InferenceNet) => {
      const start = now();
      for (let i = 0; i < settings.warmup || now() - start < (settings.warmupMs ?? 0); i++) once(inference);
    };
    const runs = nets.map((): number[] => []);
    roundsOf(settings).forEach(([a, b], r) => {
      inferences.forEach((inference, i) => {
        if (signal?.aborted) throw new Error('latency measurement aborted');
        // Warmed up just before its first timed round, so every network's first runs are warm alike.
        if (r === 0) warm(inference);
        for (let j = a; j < b; j++) runs[i]!.push(once(inference));
      });
    });
    return runs.map((rs) => ({ median: quantile(rs, 0.5), p10: quantile(rs, 0.1), p90: quantile(rs, 0.9), runs: rs }));
  } finally {
    for (const inference of inferences) inference.dispose();
    x.dispose();
    for (const net of nets) net.dispose();
  }
}

/** [start, end) of each round's runs in a sample's `runs`: repeats split as evenly as rounds allow, the first (repeats mod rounds) rounds one more. */
export function roundsOf(settings: Pick<TimingSettings, 'repeats' | 'rounds'>): [number, number][] {
  const rounds = Math.max(1, Math.min(settings.rounds ?? 1, settings.repeats));
  const out: [number, number][] = [];
  let at = 0;
  for (let r = 0; r < rounds; r++) {
    const k = Math.floor(settings.repeats / rounds) + (r < settings.repeats % rounds ? 1 : 0);
    out.push([at, at + k]);
    at += k;
  }
  return out;
}
