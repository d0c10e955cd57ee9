import { fieldError } from '../errors.js';
import { cachedEvaluator } from '../eval/cached.js';
import { failureOf } from '../eval/failure.js';
import type { Metrics } from '../core/metrics.js';
import { paretoFront } from '../moo/dominance.js';
import { genomeKey } from '../space/space.js';
import type { Genome } from '../space/types.js';
import type { EvaluationStore, HistoryRow } from '../store/types.js';
import { frameFor, frameHypervolume, type HvFrame } from './indicator.js';
import type { MooProblem } from './problem.js';
import type { Strategy } from './strategy.js';

export interface RunOptions {
  /** Termination: stop after this many distinct evaluated networks. */
  readonly budget: number;
  readonly store: EvaluationStore;
  /** Names the evaluator's settings in the store (space, dataset, metrics, seed): equal keys share evaluations. */
  readonly evaluatorKey: string;
  readonly runId: string;
  /** The run's settings; a resume must present the same. */
  readonly config: unknown;
  /** Continue the stored run instead of starting one. */
  readonly resume?: boolean;
  /** Where hypervolume is measured; default: the bounds of the first evaluated batch's front. */
  readonly frame?: HvFrame;
  readonly signal?: AbortSignal;
  onStep?(s: StepReport): void;
}

export interface StepReport {
  readonly step: number;
  /** Networks spent so far, failed ones included. */
  readonly evaluations: number;
  /** Networks that failed so far (eval/failure.ts), of `evaluations`. */
  readonly failed: number;
  readonly budget: number;
  readonly hypervolume: number;
  /** Steps answered from the store while replaying a resumed run. */
  readonly replayed: boolean;
}

export interface EvaluatedArch {
  readonly genome: Genome;
  readonly metrics: Metrics;
  /** Minimised objective vector. */
  readonly objectives: readonly number[];
}

/** A network the evaluator failed (eval/failure.ts): spent from the budget, never told to the strategy. */
export interface FailedArch {
  readonly genome: Genome;
  readonly reason: string;
  readonly attempts: number;
}

export interface RunResult {
  readonly strategy: string;
  /** Every evaluated network in evaluation order (failed ones are in `failed` instead). */
  readonly evaluated: readonly EvaluatedArch[];
  /** Networks the evaluator failed, in evaluation order. */
  readonly failed: readonly FailedArch[];
  /** Indices into `evaluated` of the non-dominated ones. */
  readonly front: readonly number[];
  readonly history: readonly HistoryRow[];
  readonly frame: HvFrame;
  /** Networks the evaluator computed in this process, and networks the store answered. */
  readonly fresh: number;
  readonly reused: number;
  /** Stopped by the signal before the budget was spent; `--resume` continues it. */
  readonly interrupted: boolean;
}

/**
 * Runs a strategy against a problem's evaluator until the budget is spent. Every batch goes to the store before the
 * strategy hears of it, with the run's step record in one transaction, so a killed run loses at most the batch in
 * flight. Resuming replays the (deterministic) strategy from the start with every stored evaluation answered by
 * the store, checking that it asks for exactly the networks it asked for before: the resumed result is the one an
 * uninterrupted run would have given, and nothing is evaluated twice. A network the evaluator fails (a row marked
 * by eval/failure.ts, e.g. an external trainer that crashed after its retries) is spent from the budget and recorded in
 * the store as failed, but the strategy never hears of it; a resume replays it as failed from the store.
 */
export async function runStrategy(problem: MooProblem, strategy: Strategy, options: RunOptions): Promise<RunResult> {
  const { budget, store, runId } = options;
  if (!Number.isInteger(budget) || budget < 1) throw fieldError('budget', `expected a positive integer, got ${budget}`);
  const config = JSON.stringify(options.config);
  const existing = store.getRun(runId);
  let storedArchs: string[] = [];
  let storedSteps = 0;
  if (options.resume) {
    if (!existing) throw fieldError('resume', `no run "${runId}" in the store to resume`);
    if (existing.config !== config) throw fieldError('resume', `run "${runId}" was started with other settings: ${diffConfig(existing.config, config)}`);
    storedArchs = store.runArchs(runId);
    storedSteps = store.runHistory(runId).length;
  } else {
    if (existing) throw fieldError('resume', `run "${runId}" already exists in the store: resume it to continue, or choose another output`);
    store.startRun(runId, config);
  }

  const evaluator = cachedEvaluator(problem.evaluator, store, options.evaluatorKey);
  const evaluated: EvaluatedArch[] = [];
  const failed: FailedArch[] = [];
  const spent = () => evaluated.length + failed.length;
  const seen = new Set<string>();
  const history: HistoryRow[] = [];
  let frame = options.frame;
  let interrupted = false;
  for (let step = 0; spent() < budget; step++) {
    // Let the event loop run between steps: a signal handler (Ctrl-C) only fires there, never between microtasks.
    await new Promise((r) => setImmediate(r));
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const asked = await strategy.ask(budget - spent());
    const batch: Genome[] = [];
    for (const g of asked) {
      const k = genomeKey(g);
      if (seen.has(k) || batch.length >= budget - spent()) continue;
      seen.add(k);
      batch.push(g);
    }
    if (batch.length === 0) break;
    const keys = batch.map(genomeKey);
    const replayed = step < storedSteps;
    if (replayed) {
      const expected = storedArchs.slice(spent(), spent() + batch.length);
      if (expected.length !== keys.length || expected.some((k, i) => k !== keys[i])) {
        throw fieldError('resume', `run "${runId}" diverged from its stored record at step ${step}; it cannot be resumed by this version (start a new run)`);
      }
    }
    const metrics = await evaluator.evaluate(batch, options.signal ? { signal: options.signal } : {});
    const good: Genome[] = [];
    const objectives: number[][] = [];
    batch.forEach((g, i) => {
      const f = failureOf(metrics[i]);
      if (f) return void failed.push({ genome: g, reason: f.reason, attempts: f.attempts });
      const o = problem.toMinimised(metrics[i]!);
      good.push(g);
      objectives.push(o);
      evaluated.push({ genome: g, metrics: metrics[i]!, objectives: o });
    });
    if (objectives.length > 0) frame ??= frameFor(objectives);
    const hv = frame ? frameHypervolume(evaluated.map((e) => e.objectives), frame) : 0;
    strategy.tell(good, objectives);
    const detail = strategy.lastDetail?.();
    const row: HistoryRow = { step, evaluations: spent(), hypervolume: hv, ...(detail !== undefined ? { detail } : {}) };
    if (!replayed) store.appendStep(runId, keys, row);
    history.push(row);
    options.onStep?.({ step, evaluations: spent(), failed: failed.length, budget, hypervolume: hv, replayed });
  }
  if (!interrupted) store.finishRun(runId);
  return {
    strategy: strategy.name,
    evaluated,
    failed,
    front: paretoFront(evaluated.map((e) => e.objectives)),
    history,
    frame: frame ?? { bounds: { ideal: [], nadir: [] }, offset: 0 },
    fresh: evaluator.fresh,
    reused: evaluator.reused,
    interrupted,
  };
}

function diffConfig(stored: string, given: string): string {
  const a = JSON.parse(stored) as Record<string, unknown>;
  const b = JSON.parse(given) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const diffs = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return diffs.map((k) => `${k} was ${JSON.stringify(a[k])}, now ${JSON.stringify(b[k])}`).join('; ') || 'unknown difference';
}
