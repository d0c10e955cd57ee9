import { pathToFileURL } from 'node:url';
import { mathnasReproduction } from './mathnas-repro-check.js';
import { MATHNAS_DATASET, mathnasTable, type MathnasSpaceName } from '../src/benchmarks/mathnas-tables.js';
import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { problemFromTable } from '../src/search/from-table.js';
import { warmUpHighs } from '../src/search/highs.js';
import { solveIlp, type IlpOptions } from '../src/search/ilp.js';
import { sweepLimits } from '../src/search/pareto.js';
import type { Problem } from '../src/search/problem.js';
import { median, quantile } from '../src/stats/summary.js';
import { benchDataDir, loadNb201, section, table } from './common.js';
import { estimate, estimatorConfigs } from './nb201-estimators.js';

/** Median solve-time targets (ms), per space or NB201 table kind. */
export const SOLVE_TARGETS_MS: Readonly<Record<string, number>> = {
  mobilenetv3: 5,
  supertransformer: 50,
  supervit: 50,
  nb201: 20,
};

export interface TimedProblem {
  /** What the time is reported under: a space, or an NB201 estimator's table kind. */
  readonly kind: string;
  readonly problem: Problem;
}

export interface SolveTimes {
  readonly kind: string;
  readonly solver: NonNullable<IlpOptions['solver']>;
  /** solveMs of every timed solve. */
  readonly ms: number[];
  /** Problems whose optimum differed from the first solver's (objective value, relative 1e-9). */
  readonly mismatches: number;
}

const SOLVERS = ['auto', 'highs'] as const;

/**
 * Times solveIlp on each problem: one untimed solve per solver first (JIT and HiGHS's lazily compiled WebAssembly,
 * ~0.1-0.5 s on first use of a code path), then `repeats` timed solves, interleaving the solvers so that load on the
 * machine falls on both. Every answer is proven optimal; objectives are compared across solvers.
 */
export async function measureSolveTimes(
  problems: readonly TimedProblem[],
  { repeats = 3, solvers = SOLVERS }: { repeats?: number; solvers?: readonly (typeof SOLVERS)[number][] } = {},
): Promise<SolveTimes[]> {
  await warmUpHighs();
  const out = new Map<string, { kind: string; solver: (typeof SOLVERS)[number]; ms: number[]; mismatches: number }>();
  for (const { kind, problem } of problems) {
    for (const solver of solvers) await solveIlp(problem, { solver });
    let reference: number | undefined;
    for (let r = 0; r < repeats; r++) {
      for (const solver of solvers) {
        const s = await solveIlp(problem, { solver });
        const key = `${kind}\u0000${solver}`;
        const entry = out.get(key) ?? { kind, solver, ms: [], mismatches: 0 };
        out.set(key, entry);
        entry.ms.push(s.solveMs);
        const value = s.status === 'optimal' ? s.objective : -Infinity;
        reference ??= value;
        if (r === 0 && !(value === reference || Math.abs(value - reference) <= 1e-9 * Math.max(1, Math.abs(reference)))) entry.mismatches++;
      }
    }
  }
  return [...out.values()];
}

/** "median X ms (target <= Y ms)" per kind, the default solver's first; the others are listed for comparison. */
export function printSolveTimes(rows: readonly SolveTimes[], targetOf: (kind: string) => number | undefined): void {
  table(
    ['kind', 'solver', 'solves', 'median ms', 'p90 ms', 'optimum differs'],
    rows.map((r) => [r.kind, r.solver === 'auto' ? 'branch and bound (default)' : 'HiGHS alone', r.ms.length, median(r.ms).toFixed(2), quantile(r.ms, 0.9).toFixed(2), r.mismatches]),
  );
  console.log('');
  for (const r of rows.filter((x) => x.solver === 'auto')) {
    const target = targetOf(r.kind);
    const base = rows.find((x) => x.kind === r.kind && x.solver === 'highs');
    const ratio = base ? `, ${(median(base.ms) / median(r.ms)).toFixed(0)}x faster than HiGHS alone` : '';
    const verdict = target === undefined ? '' : ` (target <= ${target} ms)${median(r.ms) <= target ? '' : ' MISSED'}`;
    console.log(`${r.kind}: median ${median(r.ms).toFixed(2)} ms${verdict}, p90 ${quantile(r.ms, 0.9).toFixed(2)} ms${ratio}`);
  }
}

/** The problems of the MathNAS reproduction: each published configuration's own predicted latency (FLOPs) as the limit. */
export function mathnasProblems(dataDir: string, cases: readonly { space: MathnasSpaceName; device?: string; limitMetric: string; limit: number }[]): TimedProblem[] {
  return cases.map((c) => {
    const { table: t, space } = mathnasTable(dataDir, c.space, c.device);
    return { kind: c.space, problem: problemFromTable(t, space, `accuracy:${MATHNAS_DATASET[c.space]}`, [{ metric: c.limitMetric, max: c.limit }]) };
  });
}

/** NB201 problems for every estimator's table (cifar10, one device): `limits` latency limits over the true range. */
export async function nb201Problems(bench: TabularBenchmark, device = 'fpga', limits = 20): Promise<TimedProblem[]> {
  const dataset = 'cifar10';
  const acc = bench.values(`accuracy:${dataset}`);
  const lat = bench.values(`latency:${device}`);
  let best = 0;
  acc.forEach((v, i) => (v > acc[best]! ? (best = i) : 0));
  const maxes = sweepLimits(Math.min(...lat), lat[best]!, limits);
  const out: TimedProblem[] = [];
  for (const c of estimatorConfigs([100, 400]).filter((x) => x.estimator.name !== 'mathnas-sampled')) {
    const t = await estimate(bench, c, dataset, [device], 0);
    const kind = `nb201 ${c.estimator.name}${c.graph ? '+graph' : ''}${c.budget ? `@${c.budget}` : ''}`;
    for (const max of maxes) out.push({ kind, problem: problemFromTable(t, bench.space, `accuracy:${dataset}`, [{ metric: `latency:${device}`, max }]) });
  }
  return out;
}

/** The target of a kind: its space's, or NB201's for every NB201 table kind. */
export const targetOf = (kind: string) => SOLVE_TARGETS_MS[kind.startsWith('nb201') ? 'nb201' : kind];

// `node --import tsx bench/solve-times.ts [--repeats N]`: both problem sets, both solvers.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dataDir = benchDataDir();
  if (!dataDir) throw new Error('bench: data not found: set BLOCKNAS_DATA or put the data at ../shared/data');
  const at = process.argv.indexOf('--repeats');
  const repeats = at >= 0 ? Number(process.argv[at + 1]) : 3;
  section(`solveIlp times: branch and bound against HiGHS alone (${repeats} timed solves per problem and solver)`);
  const problems = [...mathnasProblems(dataDir, await mathnasReproduction(dataDir)), ...(await nb201Problems(loadNb201(dataDir)))];
  printSolveTimes(await measureSolveTimes(problems, { repeats }), targetOf);
}
