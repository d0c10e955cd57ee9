import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeTextAtomic } from '../data/write.js';
import { frameHypervolume, type HvFrame } from './indicator.js';
import type { MooProblem } from './problem.js';
import type { RunResult } from './run.js';
import type { EvolveTarget } from './target.js';

export interface EvolveReport {
  readonly format: 'blocknas-evolve/1';
  readonly space: string;
  readonly strategy: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly objectives: readonly { metric: string; sense: 'max' | 'min'; unit: string; source: string }[];
  readonly evaluations: number;
  /** Evaluated in this process vs answered by the store (a resumed or repeated run). */
  readonly fresh: number;
  readonly reused: number;
  /** Networks the evaluator failed (spent from the budget, recorded in the store, left out of the front). */
  readonly failed: readonly { readonly arch: string; readonly reason: string; readonly attempts: number }[];
  readonly interrupted: boolean;
  readonly hypervolume: number;
  /** Hypervolume of the true Pareto front in the same frame, when the space can be enumerated. */
  readonly trueHypervolume?: number;
  readonly trueFrontSize?: number;
  /**
   * The same run measured in the wide frame many NAS papers use (reference at each objective's worst value over the
   * whole space, src/evolve/indicator.ts spaceFrame), when the space can be enumerated; the strict frame above is
   * blocknas's own.
   */
  readonly wideFrame?: { readonly hypervolume: number; readonly trueHypervolume: number; readonly ratio: number; readonly note: string };
  readonly frame: { readonly ideal: readonly number[]; readonly nadir: readonly number[]; readonly referenceOffset: number; readonly note: string };
  readonly pareto: readonly { arch: string; metrics: Readonly<Record<string, number>> }[];
  readonly history: readonly HistoryEntry[];
  readonly postProcessing: PostProcessing;
}

export interface HistoryEntry {
  readonly step: number;
  readonly evaluations: number;
  readonly hypervolume: number;
  readonly ratio?: number;
  /**
   * The surrogate that proposed this step's networks, per objective, with its cross-validated Kendall tau on the
   * iterations that chose it (null on those that refitted an earlier choice); absent for steps without a surrogate.
   */
  readonly surrogates?: readonly { readonly metric: string; readonly chosen: string; readonly tau: number | null }[];
}

/** The strategy's free-form step detail, read defensively: a stored run may come from an older version. */
function surrogatesOf(detail: unknown, ids: readonly string[]): HistoryEntry['surrogates'] {
  const list = (detail as { surrogates?: unknown } | undefined)?.surrogates;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((e: { objective?: unknown; chosen?: unknown; tau?: unknown }) =>
    typeof e?.objective === 'number' && typeof e.chosen === 'string' && ids[e.objective] !== undefined
      ? [{ metric: ids[e.objective]!, chosen: e.chosen, tau: typeof e.tau === 'number' && Number.isFinite(e.tau) ? e.tau : null }]
      : [],
  );
}

export type PostProcessing =
  | { readonly status: 'not-available' | 'not-requested'; readonly reason: string }
  | {
      readonly status: 'done';
      readonly reason: string;
      readonly epochs: number;
      /** Every Pareto network's metrics after fine-tuning (the search's figures are in `pareto`). */
      readonly networks: readonly { arch: string; metrics: Readonly<Record<string, number>> }[];
    };

export function buildReport(
  target: EvolveTarget,
  problem: MooProblem,
  result: RunResult,
  settings: Readonly<Record<string, unknown>>,
  truth?: { hypervolume: number; frontSize: number; wide?: { frame: HvFrame; trueHypervolume: number } },
): EvolveReport {
  const ids = problem.objectives.map((o) => o.metric);
  const pareto = [...result.front]
    .sort((a, b) => result.evaluated[a]!.objectives[0]! - result.evaluated[b]!.objectives[0]!)
    .map((i) => {
      const e = result.evaluated[i]!;
      return { arch: problem.space.format(e.genome), metrics: Object.fromEntries(ids.map((id) => [id, e.metrics[id]!])) };
    });
  const ratio = (hv: number) => (truth ? { ratio: hv / truth.hypervolume } : {});
  const last = result.history.at(-1)?.hypervolume ?? 0;
  const wide = truth?.wide;
  const wideHv = wide ? frameHypervolume(result.front.map((i) => result.evaluated[i]!.objectives), wide.frame) : 0;
  return {
    format: 'blocknas-evolve/1',
    space: target.name,
    strategy: result.strategy,
    settings,
    objectives: problem.objectives.map((o) => ({ metric: o.metric, sense: o.sense, unit: o.info.unit, source: o.info.source })),
    evaluations: result.evaluated.length,
    fresh: result.fresh,
    reused: result.reused,
    failed: result.failed.map((f) => ({ arch: problem.space.format(f.genome), reason: f.reason, attempts: f.attempts })),
    interrupted: result.interrupted,
    hypervolume: last,
    ...(truth ? { trueHypervolume: truth.hypervolume, trueFrontSize: truth.frontSize } : {}),
    ...(wide
      ? {
          wideFrame: {
            hypervolume: wideHv,
            trueHypervolume: wide.trueHypervolume,
            ratio: wideHv / wide.trueHypervolume,
            note: "reference point at each objective's worst value over the whole space, ideal at the true front's",
          },
        }
      : {}),
    frame: {
      ideal: result.frame.bounds.ideal,
      nadir: result.frame.bounds.nadir,
      referenceOffset: result.frame.offset,
      note: truth
        ? "objectives minimised (maximised ones negated), scaled by the true front's ideal and nadir; reference point at 1 + offset"
        : "objectives minimised (maximised ones negated), scaled by the first evaluated batch's front; reference point at 1 + offset",
    },
    pareto,
    history: result.history.map((h) => {
      const surrogates = surrogatesOf(h.detail, ids);
      return { step: h.step, evaluations: h.evaluations, hypervolume: h.hypervolume, ...ratio(h.hypervolume), ...(surrogates ? { surrogates } : {}) };
    }),
    postProcessing: target.fineTune.available
      ? { status: 'not-requested', reason: 'fine-tuning was not requested (--fine-tune <epochs>)' }
      : { status: 'not-available', reason: target.fineTune.reason },
  };
}

const csvCell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** One row per step; a `surrogates` column ("metric=chosen tau;...") when the strategy fits surrogates. */
function historyCsv(report: EvolveReport): string {
  const withRatio = report.trueHypervolume !== undefined;
  const withSurrogates = report.history.some((h) => h.surrogates);
  const note = (h: HistoryEntry) => (h.surrogates ?? []).map((s) => `${s.metric}=${s.chosen}${s.tau !== null ? ` ${s.tau.toFixed(3)}` : ''}`).join(';');
  return csv(
    ['step', 'evaluations', 'hypervolume', ...(withRatio ? ['ratio'] : []), ...(withSurrogates ? ['surrogates'] : [])],
    report.history.map((h) => [h.step, h.evaluations, h.hypervolume, ...(withRatio ? [h.ratio ?? ''] : []), ...(withSurrogates ? [note(h)] : [])]),
  );
}

/** result.json, pareto.csv and history.csv, each written whole or not at all. */
export function writeReport(dir: string, report: EvolveReport): string[] {
  mkdirSync(dir, { recursive: true });
  const ids = report.objectives.map((o) => o.metric);
  const tuned = report.postProcessing.status === 'done' ? report.postProcessing.networks : [];
  const tunedIds = [...new Set(tuned.flatMap((n) => Object.keys(n.metrics)))].sort();
  const files: Record<string, string> = {
    'result.json': JSON.stringify(report, null, 1) + '\n',
    'pareto.csv': csv(['arch', ...ids], report.pareto.map((p) => [p.arch, ...ids.map((id) => p.metrics[id]!)])),
    'history.csv': historyCsv(report),
    ...(tuned.length > 0 ? { 'fine-tuned.csv': csv(['arch', ...tunedIds], tuned.map((n) => [n.arch, ...tunedIds.map((id) => n.metrics[id] ?? '')])) } : {}),
  };
  return Object.entries(files).map(([name, text]) => {
    const file = join(dir, name);
    writeTextAtomic(file, text);
    return file;
  });
}
