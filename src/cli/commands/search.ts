import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { trueBest } from '../../benchmarks/true-best.js';
import { predict } from '../../predict/predict.js';
import { solveExhaustive, spaceSizeOf } from '../../search/exhaustive.js';
import { radices } from '../../space/space.js';
import { explainInfeasible } from '../../search/explain.js';
import { problemFromTable, type LimitSpec } from '../../search/from-table.js';
import { warmUpHighs } from '../../search/highs.js';
import { solveIlp } from '../../search/ilp.js';
import { refineSearch, type RefineResult } from '../../search/refine.js';
import { sweepLimits, sweepRange } from '../../search/pareto.js';
import type { Problem, Solution } from '../../search/problem.js';
import type { Genome } from '../../space/types.js';
import { fmt, printJson, renderTable } from '../format.js';
import { parseLimits, type LimitOptions } from '../limits.js';
import { withCommon } from '../options.js';
import { openSession, parseIntOption, type CommonOptions, type Session } from '../session.js';

type SearchOptions = CommonOptions & LimitOptions & { method?: string; linear?: boolean; sweep?: string; refine?: string };

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Up to this many architectures, enumerating every prediction is faster than any solver call (NB201: ~3 ms). */
const AUTO_ENUMERATE = 100_000;

export function registerSearch(program: Command): void {
  withCommon(
    program
      .command('search <space>')
      .description('best architecture under hardware limits, by integer linear programming (MathNAS Eq. 6)')
      .option('--max-latency <ms>', 'limit on the predicted latency of the (first) --device')
      .option('--max-energy <mJ>', 'limit on the predicted energy of the device')
      .option('--max-flops <M>', 'limit on FLOPs (millions)')
      .option('--max-params <M>', 'limit on parameters (millions)')
      .option('--limit <metric=value>', 'limit on any metric of the block table (repeatable)', collect)
      .option('--method <m>', 'ilp (HiGHS), exhaustive (enumerate every prediction) or auto: exhaustive up to 100k architectures', 'auto')
      .option('--linear', 'drop the FLOPs scaling of Eq. 5 from the objective (as the released MathNAS search code)')
      .option('--sweep <count>', 'Pareto sweep: solve for <count> latency limits over the feasible range')
      .option('--refine <steps>', 'verify: evaluate the model\'s best unmeasured network, refit, re-solve, <steps> times; answer with the best measured network'),
  ).action(async (space: string, opts: SearchOptions) => {
    if (opts.method !== 'ilp' && opts.method !== 'exhaustive' && opts.method !== 'auto') {
      throw new UserError(`--method: expected ilp, exhaustive or auto, got "${opts.method}"`);
    }
    const s = await openSession(space, opts);
    if (opts.method === 'auto') opts.method = spaceSizeOf({ radix: radices(s.bench.space) }) <= AUTO_ENUMERATE ? 'exhaustive' : 'ilp';
    const limits = parseLimits(s, opts);
    const problem = problemFromTable(s.table, s.bench.space, s.accuracy, limits, { linear: opts.linear ?? false });
    const warmMs = opts.method === 'ilp' ? await warmUpHighs() : 0;
    const solve = (p: Problem) => (opts.method === 'exhaustive' ? Promise.resolve(solveExhaustive(p)) : solveIlp(p));
    const refine = parseIntOption('--refine', opts.refine, 1);
    if (opts.sweep !== undefined) return sweep(s, problem, parseIntOption('--sweep', opts.sweep, 2)!, solve, opts.json, refine);
    if (limits.length === 0) throw new UserError('search: give at least one limit (--max-latency, --max-energy, --max-flops, --max-params or --limit)');
    const sol = await solve(problem);
    if (sol.status === 'infeasible') throw new UserError(explainInfeasible(problem, sol, units(s)));
    if (!refine) return report(s, problem, sol, limits, warmMs, opts.json);
    const r = await refineWith(s, limits, refine, solve);
    if (!r.genome) throw new UserError('refine: no evaluated network meets the limits on its measured metrics');
    report(s, problem, { ...sol, genome: r.genome, solveMs: r.solveMs }, limits, warmMs, opts.json, r);
  });
}

function units(s: Session): Record<string, string> {
  return Object.fromEntries(s.bench.metrics.map((m) => [m.id, m.unit]));
}

function describe(s: Session, g: Genome) {
  const index = s.bench.indexOf(g);
  const predicted = predict(s.table, s.bench.space, g);
  const truth = Object.fromEntries(s.table.metrics.map((t) => [t.metric, s.bench.values(t.metric)[index]!]));
  return { arch: s.bench.space.format(g), index, predicted, true: truth };
}

function refineWith(s: Session, limits: LimitSpec[], steps: number, solve: (p: Problem) => Promise<Solution>, table = s.table) {
  const observed = Object.keys(table.observations?.metrics ?? {});
  return refineSearch({ table, space: s.bench.space, evaluator: s.bench.evaluator(observed), objective: s.accuracy, limits, steps, solve });
}

function report(
  s: Session,
  problem: Problem,
  sol: Solution,
  limits: { metric: string; max: number }[],
  warmMs: number,
  json?: boolean,
  refined?: RefineResult,
) {
  const chosen = describe(refined ? { ...s, table: refined.table } : s, sol.genome!);
  const best = trueBest(s.bench, s.accuracy, limits);
  const regret = best ? best.value - chosen.true[s.accuracy]! : NaN;
  const violated = limits.filter((l) => chosen.true[l.metric]! > l.max).map((l) => l.metric);
  const result = {
    space: s.bench.name,
    dataset: s.dataset,
    device: s.device,
    estimator: s.table.estimator,
    evaluated: s.table.evaluated,
    limits,
    chosen,
    trueBest: best ? describe(s, best.genome) : null,
    regret,
    trueLimitsViolated: violated,
    refined: refined ? { added: refined.added, evaluatedInTotal: refined.table.evaluated, steps: refined.steps.map((st) => ({ arch: s.bench.space.format(st.genome), predicted: st.predicted, measured: st.measured[s.accuracy] })) } : null,
    solve: { method: sol.method, provenOptimal: sol.status === 'optimal', ms: sol.solveMs, solverCalls: sol.iterations, rules: problem.rules.length, solverLoadMs: warmMs },
  };
  if (json) return printJson(result);
  const u = units(s);
  console.log(`${s.bench.name} ${s.dataset} on ${s.device}: ${s.table.estimator} block table from ${s.table.evaluated} evaluated networks`);
  console.log(`limits: ${limits.map((l) => `${l.metric} <= ${fmt(l.max)} ${u[l.metric] ?? ''}`.trim()).join(', ')}`);
  console.log(`chosen:    ${chosen.arch} (index ${chosen.index})`);
  if (refined) console.log(`refined:   ${refined.added} more networks evaluated while searching (${refined.table.evaluated} in all); the chosen one is the best measured`);
  const metrics = s.table.metrics.map((t) => t.metric);
  console.log(renderTable(['metric', 'predicted', 'true', 'unit'], metrics.map((m) => [m, chosen.predicted[m]!, chosen.true[m]!, u[m] ?? ''])).replace(/^/gm, '  '));
  if (best) {
    const b = result.trueBest!;
    console.log(`true best: ${b.arch} (index ${b.index}): ${s.accuracy} ${fmt(best.value)}, ${limits.map((l) => `${l.metric} ${fmt(b.true[l.metric]!)}`).join(', ')}`);
    console.log(`regret:    ${fmt(regret)} accuracy points`);
  } else console.log('true best: no architecture meets the limits on its true metrics');
  if (violated.length > 0) console.log(`warning:   the chosen cell's true ${violated.join(', ')} exceeds the limit`);
  const how = sol.method === 'exhaustive' ? 'exhaustive enumeration' : `ILP (HiGHS), proven optimal, ${sol.iterations} solve${sol.iterations > 1 ? 's (Dinkelbach)' : ''}`;
  const load = warmMs > 0 ? ` (loading HiGHS WebAssembly took ${warmMs.toFixed(0)} ms more)` : '';
  console.log(`solve:     ${sol.solveMs.toFixed(2)} ms, ${how}${load}`);
}

async function sweep(s: Session, problem: Problem, count: number, solve: (p: Problem) => Promise<Solution>, json?: boolean, refine?: number) {
  let table = s.table;
  const others = problem.limits.filter((l) => l.metric !== s.latency);
  const latencyModel = s.table.metrics.find((t) => t.metric === s.latency)!;
  const base: Problem = { ...problem, limits: [...others, { metric: s.latency, model: latencyModel, max: Infinity }] };
  const range = await sweepRange({ ...base, limits: [...others, { metric: s.latency, model: latencyModel, max: 1e300 }] }, s.latency);
  if (!range) throw new UserError('sweep: no architecture satisfies the other limits');
  const rows = [];
  for (const max of sweepLimits(range.min, range.max, count)) {
    const p: Problem = { ...problem, limits: [...others, { metric: s.latency, model: latencyModel, max }] };
    let sol = await solve(p);
    const limits = [...others.map((l) => ({ metric: l.metric, max: l.max })), { metric: s.latency, max }];
    if (refine && sol.genome) {
      // Evaluations accumulate over the sweep: what was measured for one limit informs the next.
      const r = await refineWith(s, limits, refine, solve, table);
      table = r.table;
      sol = { ...sol, genome: r.genome ?? sol.genome };
    }
    const chosen = describe({ ...s, table }, sol.genome!);
    const best = trueBest(s.bench, s.accuracy, limits);
    rows.push({ limit: max, arch: chosen.arch, predicted: chosen.predicted, true: chosen.true, trueBest: best?.value ?? NaN, regret: best ? best.value - chosen.true[s.accuracy]! : NaN, ms: sol.solveMs });
  }
  if (json) return printJson({ metric: s.latency, range, rows, evaluated: table.evaluated });
  console.log(`Pareto sweep of ${s.latency} from ${fmt(range.min)} to ${fmt(range.max)} (${s.table.estimator}, ${table.evaluated} networks evaluated${refine ? `, ${table.evaluated - s.table.evaluated} of them while refining` : ''})`);
  console.log(
    renderTable(
      ['limit', 'arch', 'pred acc', 'true acc', 'true lat', 'true best', 'regret', 'ms'],
      rows.map((r) => [r.limit, r.arch, r.predicted[s.accuracy]!, r.true[s.accuracy]!, r.true[s.latency]!, r.trueBest, r.regret, r.ms]),
    ),
  );
}
