import type { Command } from 'commander';
import { DEFAULT_BUILTIN_SPACE } from '../../builtin/spaces.js';
import { UserError } from '../../errors.js';
import { solveExhaustive, spaceSizeOf } from '../../search/exhaustive.js';
import { explainInfeasible } from '../../search/explain.js';
import { problemFromTable, type LimitSpec } from '../../search/from-table.js';
import { warmUpHighs } from '../../search/highs.js';
import { solveIlp } from '../../search/ilp.js';
import { sweepLimits, sweepRange } from '../../search/pareto.js';
import type { Problem, Solution } from '../../search/problem.js';
import { refineSearch } from '../../search/refine.js';
import { radices } from '../../space/space.js';
import { fmt, printJson, renderTable } from '../format.js';
import { parseLimits, type LimitOptions } from '../limits.js';
import { withCommon } from '../options.js';
import { describe, judge, limitBeyondData, measuredFloor, reportSearch } from '../search-report.js';
import { openSession, parseIntOption, type CommonOptions, type Session } from '../session.js';

type SearchOptions = CommonOptions & LimitOptions & { method?: string; solver?: string; linear?: boolean; sweep?: string; refine?: string };
type Solve = (p: Problem) => Promise<Solution>;

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Up to this many architectures, enumerating every prediction is faster than any solver call (NB201: ~3 ms). */
const AUTO_ENUMERATE = 100_000;

export function registerSearch(program: Command): void {
  withCommon(
    program
      .command('search [space]')
      .description('best architecture under hardware limits, by integer linear programming (MathNAS Eq. 6)')
      .option('--max-latency <ms>', 'limit on the predicted latency of the (first) --device')
      .option('--max-energy <mJ>', 'limit on the predicted energy of the device')
      .option('--max-flops <M>', 'limit on FLOPs (millions)')
      .option('--max-params <M>', 'limit on parameters (millions)')
      .option('--limit <metric=value>', 'limit on any metric of the block table (repeatable)', collect)
      .option('--method <m>', 'ilp (HiGHS), exhaustive (enumerate every prediction) or auto: exhaustive up to 100k architectures', 'auto')
      .option('--solver <s>', 'for the integer program: auto (blocknas branch and bound, HiGHS past a work limit) or highs (HiGHS alone)', 'auto')
      .option('--linear', 'drop the FLOPs scaling of Eq. 5 from the objective (as the released MathNAS search code)')
      .option('--sweep <count>', 'Pareto sweep: solve for <count> limits on latency (or FLOPs) over the feasible range')
      .option('--refine <steps>', "verify: evaluate the model's best unmeasured network, refit, re-solve, <steps> times; answer with the best measured network"),
  ).action(async (spaceArg: string | undefined, opts: SearchOptions) => {
    // With no space, the built-in one: its shipped table needs no data directory.
    const space = spaceArg ?? DEFAULT_BUILTIN_SPACE;
    if (!['ilp', 'exhaustive', 'auto'].includes(opts.method ?? '')) {
      throw new UserError(`--method: expected ilp, exhaustive or auto, got "${opts.method}"`);
    }
    if (!['auto', 'highs'].includes(opts.solver ?? '')) throw new UserError(`--solver: expected auto or highs, got "${opts.solver}"`);
    const solver = opts.solver as 'auto' | 'highs';
    const s = await openSession(space, opts);
    const method = opts.method === 'auto' ? (spaceSizeOf({ radix: radices(s.space) }) <= AUTO_ENUMERATE ? 'exhaustive' : 'ilp') : opts.method;
    const limits = parseLimits(s, opts);
    const problem = problemFromTable(s.table, s.space, s.accuracy, limits, { linear: opts.linear ?? false });
    const warmMs = method === 'ilp' ? await warmUpHighs() : 0;
    const solve: Solve = (p) => (method === 'exhaustive' ? Promise.resolve(solveExhaustive(p)) : solveIlp(p, { solver }));
    const refine = parseIntOption('--refine', opts.refine, 1);
    if (refine && !s.bench) throw new UserError(`--refine: space ${s.name} has no evaluator to measure networks with`);
    if (opts.sweep !== undefined) return sweep(s, problem, parseIntOption('--sweep', opts.sweep, 2)!, solve, opts.json, refine);
    if (limits.length === 0) throw new UserError('search: give at least one limit (--max-latency, --max-energy, --max-flops, --max-params or --limit)');
    const sol = await solve(problem);
    if (sol.status === 'infeasible') throw new UserError(explainInfeasible(problem, sol, s.units));
    if (!refine) {
      const beyond = limitBeyondData(s.table, limits, { arch: s.space.format(sol.genome!), metrics: sol.metrics }, s.units);
      if (beyond) throw new UserError(beyond);
      return reportSearch(s, problem, sol, limits, warmMs, opts.json);
    }
    const r = await refineWith(s, limits, refine, solve);
    if (!r.genome) throw new UserError('refine: no evaluated network meets the limits on its measured metrics');
    reportSearch(s, problem, { ...sol, genome: r.genome, solveMs: r.solveMs }, limits, warmMs, opts.json, r);
  });
}

function refineWith(s: Session, limits: readonly LimitSpec[], steps: number, solve: Solve, table = s.table) {
  const observed = Object.keys(table.observations?.metrics ?? {});
  return refineSearch({ table, space: s.space, evaluator: s.bench!.evaluator(observed), objective: s.accuracy, limits, steps, solve });
}

async function sweep(s: Session, problem: Problem, count: number, solve: Solve, json?: boolean, refine?: number) {
  const metric = s.latency ?? s.flops;
  const model = s.table.metrics.find((t) => t.metric === metric);
  if (!metric || !model) throw new UserError(`--sweep: the block table of ${s.name} has no latency or FLOPs to sweep`);
  const others = problem.limits.filter((l) => l.metric !== metric);
  const range = await sweepRange({ ...problem, limits: [...others, { metric, model, max: 1e300 }] }, metric);
  if (!range) throw new UserError('--sweep: no architecture satisfies the other limits');
  // Limits below every measured network would be met only by extrapolation: search refuses such a limit, and so
  // does the sweep, for the limits it holds fixed (judged on the best network under them) and for the one it sweeps.
  const otherLimits = others.map((l) => ({ metric: l.metric, max: l.max }));
  const { free } = range;
  const beyond = limitBeyondData(s.table, otherLimits, { arch: s.space.format(free.genome!), metrics: free.metrics }, s.units);
  if (beyond) throw new UserError(beyond);
  const floor = measuredFloor(s.table, metric);
  if (floor !== null && range.max < floor) {
    throw new UserError(
      `--sweep: under the other limits every network is predicted at ${metric} <= ${fmt(range.max)}, below every measured network ` +
        `(less a tenth of the measured range: ${fmt(floor)}); only the block model's extrapolation reaches there: loosen the other limits`,
    );
  }
  const from = floor !== null && range.min < floor ? floor : range.min;
  let table = s.table;
  const rows = [];
  for (const max of sweepLimits(from, range.max, count)) {
    let sol = await solve({ ...problem, limits: [...others, { metric, model, max }] });
    const limits = [...otherLimits, { metric, max }];
    if (refine && sol.genome) {
      // Evaluations accumulate over the sweep: what was measured for one limit informs the next.
      const r = await refineWith(s, limits, refine, solve, table);
      table = r.table;
      sol = { ...sol, genome: r.genome ?? sol.genome };
    }
    const chosen = describe({ ...s, table }, sol.genome!);
    rows.push({ limit: max, chosen, ms: sol.solveMs, ...(judge(s, chosen, limits) ?? {}) });
  }
  const swept = { min: from, max: range.max, predictedMin: range.min };
  if (json) return printJson({ metric, range: swept, rows, evaluated: table.evaluated });
  const refined = refine ? `, ${table.evaluated - s.table.evaluated} of them while refining` : '';
  console.log(`Pareto sweep of ${metric} from ${fmt(from)} to ${fmt(range.max)} (${s.table.estimator}, ${table.evaluated} networks evaluated${refined})`);
  if (from > range.min) {
    console.log(`limits from the model's predicted minimum ${fmt(range.min)} up to ${fmt(from)} lie below every measured network (less a tenth of the measured range) and are not swept`);
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
