import { fieldError } from '../errors.js';
import { checkSeed } from '../random.js';
import { productSize } from '../space/space.js';
import { frameFor, frameHypervolume, spaceFrame } from '../evolve/indicator.js';
import { createProblem, parseObjectives } from '../evolve/problem.js';
import { usableProxy } from '../evolve/proxy.js';
import { buildReport, type EvolveReport } from '../evolve/report.js';
import { runStrategy, type RunResult, type StepReport } from '../evolve/run.js';
import { createStrategy, STRATEGY_NAMES, type StrategyName } from '../evolve/strategies/index.js';
import { INNER_SEARCHES, NATV2_DEFAULT_FRONT_WEIGHT, type InnerSearch } from '../evolve/strategies/natv2.js';
import { parseSurrogateChoice } from '../evolve/surrogates.js';
import { paretoFront } from '../moo/dominance.js';
import type { EvaluationStore } from '../store/types.js';
import type { OpenedEvolveTarget } from '../targets/types.js';

export interface EvolveOptions {
  /** What to evolve on, opened (a registry entry's openEvolve, or a built-in target built with the store). */
  readonly target: OpenedEvolveTarget;
  /** Comma-separated metrics; bare kinds (accuracy, latency) take the target's dataset and device. */
  readonly objectives: string;
  /** Distinct networks to evaluate (failed ones included). */
  readonly budget: number;
  readonly seed?: number;
  readonly strategy?: StrategyName;
  /** Where evaluations, failures and the run's steps are kept: a resumed run replays from it. */
  readonly store: EvaluationStore;
  readonly resume?: boolean;
  /** NATv2: initial archive size, networks per iteration, surrogate, inner search, front weight, reselection. */
  readonly init?: number;
  readonly perIteration?: number;
  readonly surrogate?: string;
  readonly inner?: InnerSearch;
  readonly frontWeight?: number;
  readonly reselectEvery?: number;
  /** Use the space's knowledge of architectures that build the same network (NB201; default true). */
  readonly equivalents?: boolean;
  /** Use the target's zero-cost proxy (NATv2; default true). */
  readonly proxy?: boolean;
  /** Search effective forms (default true). */
  readonly canonical?: boolean;
  /** NATv2's post-processing: fine-tune the Pareto networks this many epochs (targets that can). */
  readonly fineTune?: number;
  readonly signal?: AbortSignal;
  /** Called once the run starts, before any evaluation (a provisional store becomes the run's). */
  onStart?(): void;
  /** A step reporter, given the true front's hypervolume where the space can be enumerated. */
  progress?(trueHypervolume: number | undefined): (step: StepReport) => void;
}

export interface EvolveOutcome {
  /** The plain result record (what result.json holds). */
  readonly report: EvolveReport;
  readonly result: RunResult;
}

/**
 * Multi-objective search on a target, stored step by step and resumable: NATv2 by default (docs/evolve.md). The
 * same call the CLI's evolve makes; it returns the report and writes nothing but the store.
 */
export async function evolve(o: EvolveOptions): Promise<EvolveOutcome> {
  const strategyName = o.strategy ?? 'natv2';
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategyName)) throw fieldError('strategy', `expected one of ${STRATEGY_NAMES.join(', ')}, got "${strategyName}"`);
  const inner = o.inner ?? 'nsga3';
  if (!(INNER_SEARCHES as readonly string[]).includes(inner)) throw fieldError('inner', `expected one of ${INNER_SEARCHES.join(', ')}, got "${inner}"`);
  if (!(Number.isInteger(o.budget) && o.budget >= 1)) throw fieldError('budget', `expected an integer >= 1, got ${o.budget}`);
  const seed = checkSeed(o.seed ?? 0);
  const surrogate = parseSurrogateChoice(o.surrogate ?? 'ridge');
  const frontWeight = o.frontWeight ?? NATV2_DEFAULT_FRONT_WEIGHT;
  const { target, dataset, device } = o.target;
  const size = productSize(target.space);
  if (BigInt(o.budget) > size) throw fieldError('budget', `${o.budget} is more than the ${size} architectures of ${target.name}`);
  if (o.fineTune !== undefined && !target.fineTune.available) throw fieldError('fineTune', target.fineTune.reason);
  const objectives = parseObjectives(o.objectives, target.metrics, {
    accuracy: `accuracy:${dataset}`,
    latency: `latency:${device}`,
    energy: `energy:${device}`,
    flops: target.metrics.some((m) => m.id === 'flops') ? 'flops' : `flops:${dataset}`,
  });
  const canonical = o.canonical ?? true;
  // Recorded only where the space knows equivalents, so runs on other spaces resume as before.
  const equivalents = target.space.equivalents ? (o.equivalents ?? true) : undefined;
  const problem = createProblem(target.space, objectives, target.evaluator(objectives.map((x) => x.metric)), { canonical });
  const proxy = strategyName === 'natv2' && (o.proxy ?? true) ? usableProxy(objectives, target.proxy) : undefined;

  const all = target.allObjectives?.(objectives);
  const trueFront = all ? paretoFront(all).map((i) => all[i]!) : undefined;
  const frame = trueFront ? frameFor(trueFront) : undefined;
  const wide = all && trueFront ? spaceFrame(all) : undefined;
  const truth =
    trueFront && frame
      ? {
          hypervolume: frameHypervolume(trueFront, frame),
          frontSize: trueFront.length,
          ...(wide ? { wide: { frame: wide, trueHypervolume: frameHypervolume(trueFront, wide) } } : {}),
        }
      : undefined;

  const settings = {
    space: target.name,
    objectives: objectives.map((x) => x.metric),
    budget: o.budget,
    seed,
    strategy: strategyName,
    canonical,
    // inner only when not the default, so its runs' settings read as before; frontWeight always: runs started
    // before it existed fitted unweighted and would replay differently, so their resume is refused by name
    ...(strategyName === 'natv2'
      ? {
          init: o.init ?? null,
          perIteration: o.perIteration ?? null,
          surrogate,
          ...(inner !== 'nsga3' ? { inner } : {}),
          frontWeight,
          ...(equivalents !== undefined ? { equivalents } : {}),
          ...(o.reselectEvery !== undefined ? { reselectEvery: o.reselectEvery } : {}),
          // only when used: runs without a proxy resume as before, runs started before it are refused by name
          ...(proxy ? { proxy: proxy.id } : {}),
        }
      : {}),
  };
  const strategy = createStrategy(strategyName as StrategyName, problem, {
    seed,
    budget: o.budget,
    ...(o.init !== undefined ? { initSize: o.init } : {}),
    ...(o.perIteration !== undefined ? { perIteration: o.perIteration } : {}),
    surrogate,
    inner,
    frontWeight,
    ...(equivalents !== undefined ? { equivalents } : {}),
    ...(o.reselectEvery !== undefined ? { reselectEvery: o.reselectEvery } : {}),
    ...(proxy ? { proxy } : {}),
  });
  const onStep = o.progress?.(truth?.hypervolume);
  o.onStart?.();
  const result = await runStrategy(problem, strategy, {
    budget: o.budget,
    store: o.store,
    evaluatorKey: target.key ?? `${target.name}|${objectives.map((x) => x.metric).join(',')}`,
    runId: 'evolve',
    config: settings,
    resume: o.resume ?? false,
    ...(frame ? { frame } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(onStep ? { onStep } : {}),
  });
  let report = buildReport(target, problem, result, settings, truth);
  if (o.fineTune !== undefined && target.fineTune.available && !result.interrupted) {
    const archs = report.pareto.map((p) => problem.space.parse(p.arch));
    const tuned = await target.fineTune.run(archs, o.fineTune, o.signal);
    const networks = report.pareto.map((p, i) => ({ arch: p.arch, metrics: tuned[i]! }));
    report = { ...report, postProcessing: { status: 'done', reason: `fine-tuned from inherited weights for ${o.fineTune} epoch(s)`, epochs: o.fineTune, networks } };
  }
  return { report, result };
}
