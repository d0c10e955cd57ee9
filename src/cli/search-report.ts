import { trueBest } from '../benchmarks/true-best.js';
import { predict } from '../predict/predict.js';
import type { LimitSpec } from '../search/from-table.js';
import type { Problem, Solution } from '../search/problem.js';
import type { RefineResult } from '../search/refine.js';
import type { Genome } from '../space/types.js';
import { fmt, printJson, renderTable } from './format.js';
import type { Session } from './session.js';

export interface Described {
  readonly arch: string;
  /** The benchmark's own index, where there is ground truth. */
  readonly index?: number;
  readonly predicted: Record<string, number>;
  /** True metrics, where there is ground truth. */
  readonly true?: Record<string, number>;
}

export function describe(s: Session, g: Genome): Described {
  const predicted = predict(s.table, s.space, g);
  const arch = s.space.format(g);
  if (!s.bench) return { arch, predicted };
  const index = s.bench.indexOf(g);
  const truth = Object.fromEntries(s.table.metrics.map((t) => [t.metric, s.bench!.values(t.metric)[index]!]));
  return { arch, index, predicted, true: truth };
}

/** The true best under the same limits and the regret of the choice, on a tabular benchmark. */
export function judge(s: Session, chosen: Described, limits: readonly LimitSpec[]) {
  if (!s.bench || !chosen.true) return null;
  const best = trueBest(s.bench, s.accuracy, limits);
  return {
    trueBest: best ? describe(s, best.genome) : null,
    regret: best ? best.value - chosen.true[s.accuracy]! : NaN,
    trueLimitsViolated: limits.filter((l) => chosen.true![l.metric]! > l.max * (1 + 1e-9)).map((l) => l.metric),
  };
}

export function reportSearch(
  s: Session,
  problem: Problem,
  sol: Solution,
  limits: readonly LimitSpec[],
  warmMs: number,
  json: boolean | undefined,
  refined?: RefineResult,
): void {
  const chosen = describe(refined ? { ...s, table: refined.table } : s, sol.genome!);
  const verdict = judge(s, chosen, limits);
  const solve = { method: sol.method, provenOptimal: sol.status === 'optimal', ms: sol.solveMs, solverCalls: sol.iterations, rules: problem.rules.length, solverLoadMs: warmMs };
  // The objective may well beat every measured network (that is what search is for); costs should not leave the range.
  const outside = outsideMeasured(refined ? refined.table : s.table, chosen.predicted).filter((o) => o.metric !== s.accuracy);
  if (json) {
    const refine = refined && { added: refined.added, evaluatedInTotal: refined.table.evaluated, steps: refined.steps.map((st) => ({ arch: s.space.format(st.genome), predicted: st.predicted, measured: st.measured[s.accuracy] })) };
    return printJson({ space: s.name, dataset: s.dataset, device: s.device ?? null, estimator: s.table.estimator, evaluated: s.table.evaluated, limits, chosen, ...(verdict ?? {}), refined: refine ?? null, solve, outsideMeasured: outside });
  }
  const u = s.units;
  const from = s.table.evaluated > 0 ? `from ${s.table.evaluated} evaluated networks` : '(published)';
  console.log(`${s.name} ${s.dataset}${s.device ? ` on ${s.device}` : ''}: ${s.table.estimator} block table ${from}`);
  console.log(`limits: ${limits.map((l) => `${l.metric} <= ${fmt(l.max)} ${u[l.metric] ?? ''}`.trim()).join(', ')}`);
  console.log(`chosen:    ${chosen.arch}${chosen.index !== undefined ? ` (index ${chosen.index})` : ''}`);
  if (refined) console.log(`refined:   ${refined.added} more networks evaluated while searching (${refined.table.evaluated} in all); the chosen one is the best measured`);
  const metrics = s.table.metrics.map((t) => t.metric);
  const header = chosen.true ? ['metric', 'predicted', 'true', 'unit'] : ['metric', 'predicted', 'unit'];
  const rows = metrics.map((m) => (chosen.true ? [m, chosen.predicted[m]!, chosen.true[m]!, u[m] ?? ''] : [m, chosen.predicted[m]!, u[m] ?? '']));
  console.log(renderTable(header, rows).replace(/^/gm, '  '));
  if (verdict?.trueBest) {
    const b = verdict.trueBest;
    console.log(`true best: ${b.arch} (index ${b.index}): ${s.accuracy} ${fmt(b.true![s.accuracy]!)}, ${limits.map((l) => `${l.metric} ${fmt(b.true![l.metric]!)}`).join(', ')}`);
    console.log(`regret:    ${fmt(verdict.regret)} accuracy points`);
  } else if (verdict) console.log('true best: no architecture meets the limits on its true metrics');
  if (verdict && verdict.trueLimitsViolated.length > 0) console.log(`warning:   the chosen architecture's true ${verdict.trueLimitsViolated.join(', ')} exceeds the limit`);
  for (const o of outside) {
    console.log(`warning:   predicted ${o.metric} ${fmt(o.predicted)} lies outside the ${fmt(o.min)}-${fmt(o.max)} measured on the table's networks: the block model extrapolates here`);
  }
  const how = sol.method === 'exhaustive' ? 'exhaustive enumeration' : `integer program, proven optimal, ${sol.iterations} solve${sol.iterations > 1 ? 's (Dinkelbach)' : ''}`;
  const load = warmMs > 0 ? ` (loading HiGHS WebAssembly took ${warmMs.toFixed(0)} ms more)` : '';
  console.log(`solve:     ${sol.solveMs.toFixed(2)} ms, ${how}${load}`);
}

/** The range measured on the networks a table was fitted to, with the slack allowed beyond it; null if not kept. */
function measuredRange(table: Session['table'], metric: string): { min: number; max: number; slack: number } | null {
  const finite = (table.observations?.metrics[metric] ?? []).filter((x) => Number.isFinite(x));
  if (finite.length === 0) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  // A tenth of the range of slack: being a little past the best measured network is what search is for.
  return { min, max, slack: 0.1 * (max - min) };
}

/**
 * The lowest limit on `metric` worth answering: the lowest measured value less the slack (null when the table keeps
 * no measurements). Below it only the block model's extrapolation meets a limit (see limitBeyondData).
 */
export function measuredFloor(table: Session['table'], metric: string): number | null {
  const r = measuredRange(table, metric);
  return r ? r.min - r.slack : null;
}

/**
 * Predicted metrics of the chosen network that fall outside the range measured on the networks the table was fitted
 * to (when the table keeps them): an additive model extrapolates to block combinations never measured together,
 * and can even predict a negative latency when the true cost is not additive over the nodes.
 */
export function outsideMeasured(
  table: Session['table'],
  predicted: Readonly<Record<string, number>>,
): { metric: string; predicted: number; min: number; max: number }[] {
  return Object.keys(table.observations?.metrics ?? {}).flatMap((metric) => {
    const v = predicted[metric];
    const r = measuredRange(table, metric);
    if (v === undefined || !r) return [];
    return v < r.min - r.slack || v > r.max + r.slack ? [{ metric, predicted: v, min: r.min, max: r.max }] : [];
  });
}

/**
 * A limit below every measured network (past the slack) that the chosen network meets only by the model's
 * extrapolation is refused: nothing measured comes near it, so the answer would be a guess presented as a fact
 * (the shipped mbv3-mini table predicts a negative latency under 0.1 ms). Returns the reason, or null.
 */
export function limitBeyondData(
  table: Session['table'],
  limits: readonly LimitSpec[],
  chosen: { arch: string; metrics: Readonly<Record<string, number>> },
  units: Readonly<Record<string, string>>,
): string | null {
  for (const l of limits) {
    const r = measuredRange(table, l.metric);
    const v = chosen.metrics[l.metric];
    if (!r || v === undefined) continue;
    const floor = r.min - r.slack;
    if (l.max >= floor || v >= floor) continue;
    const u = units[l.metric] ? ` ${units[l.metric]}` : '';
    return (
      `limit ${l.metric} <= ${fmt(l.max)}${u} lies below every network the table was fitted on (lowest measured ${fmt(r.min)}${u}); ` +
      `only the block model's extrapolation meets it (${chosen.arch}, predicted ${fmt(v)}${u}), so no answer can be trusted: raise the limit or measure networks near it`
    );
  }
  return null;
}
