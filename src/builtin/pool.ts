import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Evaluator, Metrics } from '../core/metrics.js';
import type { Genome } from '../space/types.js';
import type { AccuracyEvaluator, AccuracySpec } from './spaces.js';

/** What one worker-thread task carries: the spec to rebuild the evaluator from, a checkpoint, one architecture. */
export interface PoolTask {
  readonly spec: AccuracySpec;
  readonly blob?: { readonly key: string; readonly data: Uint8Array };
  readonly arch: readonly number[];
}

export const defaultWorkers = (): number => availableParallelism();

// Under tsx the sources run as .ts; built, as .js: the worker is the sibling file with the same extension.
const workerFile = new URL(`./pool-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * Accuracy evaluations spread over a piscina worker-thread pool, one network per task, `workers` at a time. Each
 * worker rebuilds the evaluator from its JSON spec once; a super-network is trained (or loaded from the store) here
 * first and its checkpoint handed to the workers, so none of them trains it again. TensorFlow.js's wasm backend runs
 * one thread per worker, so throughput scales with cores until memory bandwidth is the limit.
 */
export function createPoolEvaluator(
  inner: AccuracyEvaluator & { prepare?(signal?: AbortSignal): Promise<{ key: string; data: Uint8Array }> },
  spec: AccuracySpec,
  workers: number,
): Evaluator & { close(): Promise<void> } {
  let pool: Piscina | null = null;
  let blob: PoolTask['blob'] | null = null;
  return {
    name: `${inner.name}-pool${workers}`,
    provides: inner.provides,
    async evaluate(archs: readonly Genome[], ctx): Promise<Metrics[]> {
      if (inner.prepare && blob === null) blob = await inner.prepare(ctx?.signal);
      pool ??= new Piscina({ filename: workerFile, minThreads: 0, maxThreads: workers, idleTimeout: 60_000 });
      const p = pool;
      return Promise.all(
        archs.map((g) => p.run({ spec, arch: [...g], ...(blob ? { blob } : {}) } satisfies PoolTask, ctx?.signal ? { signal: ctx.signal } : {}) as Promise<Metrics>),
      );
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}
