import { Option, type Command } from 'commander';
import { DEFAULT_BUILTIN_SPACE } from '../../builtin/spaces.js';
import { UserError } from '../../errors.js';
import { checkRefine, limitPolicy, refineWith, runSearch, solverFor, type LimitOptions as HoldOptions, type SolveOptions } from '../../api/search.js';
import { explainInfeasible } from '../../search/explain.js';
import { holdLimits, problemFromTable, type LimitSpec } from '../../search/from-table.js';
import { warmUpHighs } from '../../search/highs.js';
import { sweepLimits, sweepRange } from '../../search/pareto.js';
import { describeUnreachable, searchTable, unreachableLimits, type SolvedTableSearch, type TableSearch, type UnreachableLimit } from '../../search/table-search.js';
import { withResiduals } from '../../predict/cost-model.js';
import { DEFAULT_CONFIDENCE } from '../../predict/interval.js';
import { measuredRange } from '../../predict/measured-range.js';
import { fmt, printJson, renderTable } from '../format.js';
import { parseLimits, type LimitOptions } from '../limits.js';
import { withCommon } from '../options.js';
import { withSpaceFile, type SpaceFileFlags } from '../space-file.js';
import { describe, judge, reportSearch } from '../search-report.js';
import { openSession, parseIntOption, type CommonOptions, type Session } from '../session.js';

type SearchFlags = CommonOptions &
  SpaceFileFlags &
  LimitOptions & { method?: string; solver?: string; linear?: boolean; sweep?: string; refine?: string; confidence?: string; verify?: boolean };

const collect = (v: string, prev: string[] = []) => [...prev, v];

function parseConfidence(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !(x > 0 && x < 1)) throw new UserError(`--confidence: expected a probability between 0 and 1 (exclusive), got "${v}"`);
  return x;
}

export function registerSearch(program: Command): void {
  withCommon(
    withSpaceFile(program.command('search [space]'), { evaluator: true })
      .description('best architecture under hardware limits, by integer linear programming (MathNAS Eq. 6)')
      .option('--max-latency <ms>', 'limit on the predicted latency of the (first) --device')
      .option('--max-energy <mJ>', 'limit on the predicted energy of the device')
      .option('--max-flops <M>', 'limit on FLOPs (millions)')
      .option('--max-params <M>', 'limit on parameters (millions)')
      .option('--limit <metric=value>', 'limit on any metric of the block table (repeatable)', collect)
      .option('--method <m>', 'ilp (HiGHS), exhaustive (enumerate every prediction) or auto: exhaustive up to 100k architectures', 'auto')
      .option('--solver <s>', 'for the integer program: auto (blocknas branch and bound, HiGHS past a work limit) or highs (HiGHS alone)', 'auto')
      .option('--linear', 'drop the FLOPs scaling of Eq. 5 from the objective (as the released MathNAS search code)')
      .option('--confidence <p>', `hold each limit at this upper prediction bound of its cost (default ${DEFAULT_CONFIDENCE} when costs are not measured)`)
      .option('--verify', "measure the answer's costs where that means timing on this machine (built-in spaces; seconds per network)")
      .addOption(new Option('--no-verify', 'do not measure the answer\'s costs where measuring is cheap (a tabular benchmark)'))
      .option('--sweep <count>', 'Pareto sweep: solve for <count> limits on latency (or FLOPs) over the feasible range')
      .option('--refine <steps>', "verify: evaluate the model's best unmeasured network, refit, re-solve, <steps> times; answer with the best measured network"),
  ).action(async (spaceArg: string | undefined, opts: SearchFlags) => {
    // With no space (and no space file), the built-in one: its shipped table needs no data directory.
    const space = spaceArg ?? (opts.spaceFile === undefined ? DEFAULT_BUILTIN_SPACE : undefined);
    const confidence = parseConfidence(opts.confidence);
    const solve = { method: opts.method as SolveOptions['method'], solver: opts.solver as SolveOptions['solver'], linear: opts.linear ?? false };
    const opened = await openSession(space, opts);
    const limits = parseLimits(opened, opts);
    const refine = parseIntOption('--refine', opts.refine, 1);
    const how = { ...(confidence !== undefined ? { confidence } : {}), ...(opts.verify !== undefined ? { verify: opts.verify } : {}) };
    if (opts.sweep !== undefined) {
      const count = parseIntOption('--sweep', opts.sweep, 2)!;
      return sweep(opened, limits, how, solve, count, opts.json, refine);
    }
    if (limits.length === 0) throw new UserError('search: give at least one limit (--max-latency, --max-energy, --max-flops, --max-params or --limit)');
    const { method } = solverFor(opened, solve);
    const warmMs = method === 'ilp' ? await warmUpHighs() : 0;
    const run = await runSearch({ space: opened, limits, ...how, ...solve, ...(refine ? { refine } : {}) });
    const found = answerOf(run.search, run.target);
    if (!run.refinement) return reportSearch(run.target, found, found.solution, limits, warmMs, opts.json);
    const r = run.refinement;
    if (!r.genome) throw new UserError('refine: no evaluated network meets the limits on its measured metrics');
    reportSearch(run.target, found, { ...found.solution, genome: r.genome, solveMs: r.solveMs }, limits, warmMs, opts.json, r);
  });
}

/** The solution of a search that found one; otherwise the one-line reason, as a UserError. */
function answerOf(found: TableSearch, s: Session): SolvedTableSearch {
  if (found.status === 'refused') throw new UserError(refusal(found.unreachable, s.units, s));
  if (found.status === 'unverified') {
    const v = found.verified;
    throw new UserError(
      `verify: ${v.measurements} networks measured and every one broke a limit (${found.held.map((h) => h.metric).join(', ')}); ` +
        'the block model is far from this device near the limit: raise the limit, or estimate with a larger --budget',
    );
  }
  if (found.status === 'infeasible') {
    const cut = found.verified ? found.verified.checks.filter((c) => !c.meets).length : 0;
    if (cut > 0) throw new UserError(`no architecture meets the limits: the model's ${cut} candidates were measured over them, and it allows no other`);
    throw new UserError(explainInfeasible(found.problem, found.solution, s.units));
  }
  return found as SolvedTableSearch;
}

function refusal(unreachable: readonly UnreachableLimit[], units: Readonly<Record<string, string>>, s: Session): string {
  const how = !s.measure ? ', or measure networks near it and estimate again' : `, or let blocknas measure the answer (${s.measuredBy === 'lookup' ? 'drop --no-verify' : 'add --verify'})`;
  return `${describeUnreachable(unreachable[0]!, units)}; raise the limit${how}`;
}

async function sweep(
  opened: Session,
  limits: readonly LimitSpec[],
  how: HoldOptions,
  options: SolveOptions,
  count: number,
  json?: boolean,
  refine?: number,
) {
  const policy = limitPolicy(opened, how);
  const { solve } = solverFor(opened, options);
  const linear = options.linear ?? false;
  checkRefine(opened, refine);
  // Prediction intervals for tables written without them, computed once for the whole sweep.
  const costs = opened.table.metrics.map((m) => m.metric).filter((m) => m !== opened.accuracy);
  const s = { ...opened, table: withResiduals(opened.table, opened.space, costs) };
  const metric = s.latency ?? s.flops;
  if (!metric || !s.table.metrics.some((t) => t.metric === metric)) throw new UserError(`--sweep: the block table of ${s.name} has no latency or FLOPs to sweep`);
  const others = limits.filter((l) => l.metric !== metric);
  // A limit held fixed that search would refuse is refused here too, before any row.
  const unreachable = policy.measure ? [] : unreachableLimits(s.table, holdLimits(s.table, others, policy.confidence));
  if (unreachable.length > 0) throw new UserError(refusal(unreachable, s.units, s));
  const problem = problemFromTable(s.table, s.space, s.accuracy, [...others, { metric, max: 1e300 }], { linear, ...(policy.confidence !== undefined ? { confidence: policy.confidence } : {}) });
  const range = await sweepRange(problem, metric);
  if (!range) throw new UserError('--sweep: no architecture satisfies the other limits');
  // Limits below every measured network would be met only by extrapolation: without measurements they are not swept.
  const floor = policy.measure ? null : (measuredRange(s.table, metric)?.min ?? null);
  // What holding a limit on the swept metric takes off it (holdLimits' margin; 0 when held on the prediction).
  const [sweptHeld] = holdLimits(s.table, [{ metric, max: 0 }], policy.confidence);
  const { interval } = sweptHeld!;
  const margin = -sweptHeld!.held;
  if (floor !== null && range.max + margin < floor) {
    throw new UserError(
      `--sweep: under the other limits every network is predicted at ${metric} <= ${fmt(range.max)}, below every measured network ` +
        `(lowest ${fmt(floor)}); only the block model's extrapolation reaches there: loosen the other limits`,
    );
  }
  // Swept limits are limits on the true cost: the held bound is the prediction range shifted by the margin.
  const lo = Math.max(range.min + margin, floor !== null ? floor + margin : -Infinity);
  const hi = range.max + margin;
  let table = s.table;
  const rows = [];
  for (const max of sweepLimits(lo, Math.max(lo, hi), count)) {
    const rowLimits = [...others, { metric, max }];
    const found = await searchTable({ table: s.table, space: s.space, objective: s.accuracy, limits: rowLimits, solve, linear, ...policy });
    if (found.status !== 'found') continue;
    let genome = found.solution.genome!;
    if (refine) {
      // Evaluations accumulate over the sweep: what was measured for one limit informs the next.
      const r = await refineWith(s, s.accuracy, rowLimits, refine, solve, policy.measure, table);
      table = r.table;
      genome = r.genome ?? genome;
    }
    const chosen = describe({ ...s, table }, genome);
    const measured = found.verified?.measurements ?? 0;
    rows.push({ limit: max, chosen, ms: found.solution.solveMs, measured, ...(judge(s, chosen, rowLimits) ?? {}) });
  }
  const swept = { min: lo, max: hi, predictedMin: range.min, confidence: policy.confidence ?? null, verified: Boolean(policy.measure) };
  if (json) return printJson({ metric, range: swept, rows, evaluated: table.evaluated });
  const refined = refine ? `, ${table.evaluated - s.table.evaluated} of them while refining` : '';
  const heldHow = policy.measure ? 'answers verified by measuring' : interval ? `limits held at the ${Math.round(100 * interval.confidence)} % upper prediction bound` : 'limits held on the prediction';
  console.log(`Pareto sweep of ${metric} from ${fmt(lo)} to ${fmt(hi)} (${s.table.estimator}, ${table.evaluated} networks evaluated${refined}; ${heldHow})`);
  if (floor !== null && lo > range.min + margin) {
    console.log(`limits below ${fmt(lo)} would rest on predictions below every measured network (lowest ${fmt(floor)}) and are not swept`);
  }
  const truth = Boolean(s.bench);
  const header = ['limit', 'arch', 'pred acc', ...(truth ? ['true acc', `true ${metric.split(':')[0]}`, 'true best', 'regret'] : [`pred ${metric.split(':')[0]}`]), 'ms'];
  console.log(
    renderTable(
      header,
      rows.map((r) => [
        r.limit,
        r.chosen.arch,
        r.chosen.predicted[s.accuracy]!,
        ...(r.chosen.true ? [r.chosen.true[s.accuracy]!, r.chosen.true[metric]!, r.trueBest?.true?.[s.accuracy] ?? NaN, r.regret ?? NaN] : [r.chosen.predicted[metric]!]),
        r.ms,
      ]),
    ),
  );
}
