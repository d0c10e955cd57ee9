import { quantile } from '../stats/summary.js';
import type { EvaluationStore } from '../store/types.js';
import { type LatencySample, roundsOf, type TimedNet, timeNets, type TimingSettings } from './latency-timing.js';

/*
 * Timing against a reference network. On a shared or virtual machine the speed of the whole CPU changes in phases
 * (one fixed network's median moved widely between batches minutes apart; docs/notes/2026-12-08-evaluation.md), so latencies
 * measured in different batches, or different sessions, are not comparable as they are. A fixed
 * reference network is timed in every round of every batch, and each network's time is taken relative to the
 * reference's in the same round, then put back into milliseconds with one scale kept for the whole store.
 * It raised the test-retest Spearman of mbv3-mini networks timed in separate batches (docs/notes/2026-12-08-evaluation.md).
 */

/** Keeps the reference's milliseconds per backend: the first batch's, so every later batch is on its scale. */
export interface ReferenceScale {
  get(backend: string): number | undefined;
  set(backend: string, ms: number): void;
}

export function memoryScale(): ReferenceScale {
  const m = new Map<string, number>();
  return { get: (b) => m.get(b), set: (b, ms) => void m.set(b, ms) };
}

/** A scale kept in a store's blobs under `key`, so a resumed or later run of the same settings shares it. */
export function blobScale(blobs: Pick<EvaluationStore, 'getBlob' | 'putBlob'>, key: string): ReferenceScale {
  return {
    get(backend) {
      const b = blobs.getBlob(`${key}:${backend}`);
      return b === undefined ? undefined : new Float64Array(b.slice().buffer)[0];
    },
    set(backend, ms) {
      blobs.putBlob(`${key}:${backend}`, new Uint8Array(Float64Array.of(ms).buffer));
    },
  };
}

export interface ReferencedSample extends LatencySample {
  /** The raw median in milliseconds, before the reference correction. */
  readonly raw: number;
}

/**
 * Times `nets` with `reference` (same settings; all disposed). Each network's median is
 * scale · exp(median over rounds of log(its round median / the reference's round median)); p10 and p90 are taken
 * over its runs each divided by its round's reference median, times the scale. The scale is the reference's median
 * in the first batch the `scale` keeper has seen.
 */
export function timeAgainstReference(
  nets: readonly TimedNet[],
  reference: TimedNet,
  backend: string,
  scale: ReferenceScale,
  settings: TimingSettings,
  signal?: AbortSignal,
): ReferencedSample[] {
  const [ref, ...samples] = timeNets([reference, ...nets], settings, signal);
  const rounds = roundsOf(settings);
  const refRounds = rounds.map(([a, b]) => quantile(ref!.runs.slice(a, b), 0.5));
  const stored = scale.get(backend);
  const k = stored ?? ref!.median;
  if (stored === undefined) scale.set(backend, k);
  return samples.map((s) => {
    const logRatios = rounds.map(([a, b], r) => Math.log(quantile(s.runs.slice(a, b), 0.5) / refRounds[r]!));
    const runRatios = rounds.flatMap(([a, b], r) => s.runs.slice(a, b).map((t) => t / refRounds[r]!));
    return {
      median: k * Math.exp(quantile(logRatios, 0.5)),
      p10: k * quantile(runRatios, 0.1),
      p90: k * quantile(runRatios, 0.9),
      runs: s.runs,
      raw: s.median,
    };
  });
}
