import type { LimitSpec } from '../search/from-table.js';
import type { Solution } from '../search/problem.js';
import type { HeldLimit } from '../search/from-table.js';
import type { SolvedTableSearch } from '../search/table-search.js';
import { DEFAULT_CONFIDENCE } from '../predict/interval.js';
import { measuredRange } from '../predict/measured-range.js';
import { describe, judge, reportedCosts, type Described, type ReportedCost } from '../api/predict.js';

export { describe, judge, reportedCosts, type Described, type ReportedCost };
import type { RefineResult } from '../search/refine.js';
import { fmt, printJson, renderTable } from './format.js';
import type { Session } from './session.js';

/** An interval as printed: ±0 for an exact model, else -lower / +upper. */
export function intervalText(c: ReportedCost): string {
  if (!c.interval) return '';
  const [lo, hi] = [offset(-c.interval.lower, c.predicted), offset(c.interval.upper, c.predicted)];
  return lo === '0' && hi === '0' ? '±0' : `-${lo} / +${hi}`;
}

/**
 * The metrics of a prediction as a table: each cost as reported (floored, with its interval column when any cost has
 * one), the true value where known, and the unit when `units` is given.
 */
export function metricRows(
  table: Session['table'],
  predicted: Readonly<Record<string, number>>,
  costs: readonly ReportedCost[],
  truth: Readonly<Record<string, number>> | undefined,
  units?: Readonly<Record<string, string>>,
): { header: string[]; rows: (string | number)[][] } {
  const confidence = costs.find((c) => c.interval)?.interval!.confidence;
  const header = ['metric', 'predicted', ...(confidence !== undefined ? [`interval (${Math.round(100 * confidence)} %)`] : []), ...(truth ? ['true'] : []), ...(units ? ['unit'] : [])];
  const rows = table.metrics.map((t) => {
    const c = costs.find((x) => x.metric === t.metric);
    return [
      t.metric,
      c ? c.predicted : predicted[t.metric]!,
      ...(confidence !== undefined ? [c ? intervalText(c) : ''] : []),
      ...(truth ? [truth[t.metric]!] : []),
      ...(units ? [units[t.metric] ?? ''] : []),
    ];
  });
  return { header, rows };
}

/** Warnings for reported costs outside the range measured on the table's networks: the model extrapolates there. */
export function costWarnings(table: Session['table'], costs: readonly ReportedCost[], units: Readonly<Record<string, string>> = {}): string[] {
  const unit = (m: string) => (units[m] ? ` ${units[m]}` : '');
  return costs.flatMap((c) => {
    const r = measuredRange(table, c.metric);
    if (!r) return [];
    if (c.below !== undefined) {
      return [`predicted ${c.metric} ${fmt(c.below)}${unit(c.metric)} lies below every measured network (lowest ${fmt(r.min)}${unit(c.metric)}): shown floored there; the block model extrapolates`];
    }
    if (c.predicted > r.max) {
      return [`predicted ${c.metric} ${fmt(c.predicted)}${unit(c.metric)} lies above every measured network (highest ${fmt(r.max)}${unit(c.metric)}): the block model extrapolates`];
    }
    return [];
  });
}

export function reportSearch(
  s: Session,
  found: SolvedTableSearch,
  sol: Solution,
  limits: readonly LimitSpec[],
  warmMs: number,
  json: boolean | undefined,
  refined?: RefineResult,
): void {
  const table = refined ? refined.table : found.table;
  const chosen = describe({ ...s, table }, sol.genome!);
  const verdict = judge(s, chosen, limits);
  const { problem } = found;
  const solve = { method: sol.method, provenOptimal: sol.status === 'optimal', ms: sol.solveMs, solverCalls: sol.iterations, rules: problem.rules.length, solverLoadMs: warmMs };
  const confidence = found.held.find((h) => h.interval)?.interval?.confidence ?? DEFAULT_CONFIDENCE;
  const costs = reportedCosts(table, s.accuracy, chosen.predicted, confidence);
  const v = found.verified;
  const verification = v && {
    measured: v.measured,
    checked: v.checks.length,
    newMeasurements: v.measurements,
    cutOff: v.checks.filter((c) => !c.meets).map((c) => ({ arch: s.space.format(c.genome), measured: c.measured })),
  };
  if (json) {
    const refine = refined && { added: refined.added, screened: refined.screened, evaluatedInTotal: refined.table.evaluated, steps: refined.steps.map((st) => ({ arch: s.space.format(st.genome), predicted: st.predicted, measured: st.measured[s.accuracy] })) };
    const held = found.held.map((h) => ({ metric: h.metric, max: h.max, heldAt: h.held, interval: h.interval }));
    return printJson({ space: s.name, dataset: s.dataset, device: s.device ?? null, estimator: s.table.estimator, evaluated: s.table.evaluated, limits, held, chosen, costs, ...(verdict ?? {}), verified: verification ?? null, refined: refine ?? null, solve });
  }
  const u = s.units;
  const unit = (m: string) => (u[m] ? ` ${u[m]}` : '');
  const from = s.table.evaluated > 0 ? `from ${s.table.evaluated} evaluated networks` : '(published)';
  console.log(`${s.name} ${s.dataset}${s.device ? ` on ${s.device}` : ''}: ${s.table.estimator} block table ${from}`);
  console.log(`limits: ${found.held.map((h) => `${h.metric} <= ${fmt(h.max)}${unit(h.metric)}${heldText(h, unit(h.metric), Boolean(v))}`).join(', ')}`);
  console.log(`chosen:    ${chosen.arch}${chosen.index !== undefined ? ` (index ${chosen.index})` : ''}`);
  if (refined) {
    const screened = refined.screened.measured > 0 ? `; ${refined.screened.cut} candidates cut off by their measured costs first (${refined.screened.measured} cost measurements)` : '';
    console.log(`refined:   ${refined.added} more networks evaluated while searching (${refined.table.evaluated} in all); the chosen one is the best measured${screened}`);
  }
  const { header, rows } = metricRows(table, chosen.predicted, costs, chosen.true, u);
  console.log(renderTable(header, rows).replace(/^/gm, '  '));
  if (verification) {
    const cut = verification.cutOff.length;
    const timedHere = s.measuredBy === 'timing' && limits.some((l) => l.metric.startsWith('latency:'));
    const measuredText = limits.map((l) => `${l.metric} ${fmt(v!.measured![l.metric]!)}${unit(l.metric)}`).join(', ');
    console.log(
      `verified:  measured ${measuredText} on the chosen network${timedHere ? ' (latency timed on this machine)' : s.measuredBy === 'command' ? ' (by your command)' : ''}; ${verification.newMeasurements} new measurement${verification.newMeasurements === 1 ? '' : 's'}` +
        (cut > 0 ? `, ${cut} better-predicted network${cut === 1 ? '' : 's'} measured over the limit and cut off` : ''),
    );
  }
  if (verdict?.trueBest) {
    const b = verdict.trueBest;
    console.log(`true best: ${b.arch} (index ${b.index}): ${s.accuracy} ${fmt(b.true![s.accuracy]!)}, ${limits.map((l) => `${l.metric} ${fmt(b.true![l.metric]!)}`).join(', ')}`);
    console.log(`regret:    ${fmt(verdict.regret)} accuracy points`);
  } else if (verdict) console.log('true best: no architecture meets the limits on its true metrics');
  if (verdict && verdict.trueLimitsViolated.length > 0) console.log(`warning:   the chosen architecture's true ${verdict.trueLimitsViolated.join(', ')} exceeds the limit`);
  for (const w of costWarnings(table, costs, u)) console.log(`warning:   ${w}`);
  const how = sol.method === 'exhaustive' ? 'exhaustive enumeration' : `integer program, proven optimal, ${sol.iterations} solve${sol.iterations > 1 ? 's (Dinkelbach)' : ''}`;
  const load = warmMs > 0 ? ` (loading HiGHS WebAssembly took ${warmMs.toFixed(0)} ms more)` : '';
  const solves = v && v.checks.length > 1 ? `, ${v.checks.length} solves with the cut-off networks excluded` : '';
  console.log(`solve:     ${(v ? v.solveMs : sol.solveMs).toFixed(2)} ms, ${how}${solves}${load}`);
}

/** An interval's offset, 0 when it is rounding noise against the value (an exactly additive device). */
function offset(x: number, value: number): string {
  return x <= 1e-6 * Math.max(1, Math.abs(value)) ? '0' : fmt(x);
}

/** How a limit was held, after the limit itself: at the prediction (with or without a measurement) or at a bound. */
function heldText(h: HeldLimit, unit: string, verified: boolean): string {
  if (h.interval && h.held < h.max) {
    return ` (held at predicted <= ${fmt(h.held)}${unit}: its ${Math.round(100 * h.interval.confidence)} % upper prediction bound, from ${h.interval.n} cross-validated residuals)`;
  }
  if (verified) return ' (held on the prediction; the answer measured)';
  return h.interval ? '' : ' (held on the prediction: the table keeps no cross-validated residuals for an interval)';
}
