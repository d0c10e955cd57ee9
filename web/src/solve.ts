import { predict } from '../../src/predict/predict.js';
import { DEFAULT_CONFIDENCE } from '../../src/predict/interval.js';
import { explainInfeasible } from '../../src/search/explain.js';
import type { HeldLimit, LimitSpec } from '../../src/search/from-table.js';
import { solveIlp } from '../../src/search/ilp.js';
import { describeUnreachable, searchTable as searchBlockTable } from '../../src/search/table-search.js';
import type { Genome } from '../../src/space/types.js';
import { unitOf, type LoadedTable } from './table.js';

export type SearchOutcome =
  | {
      readonly status: 'optimal';
      readonly genome: Genome;
      /** The value search maximised (before any link to the metric's scale), exactly as solveIlp returns it. */
      readonly objective: number;
      readonly predicted: Readonly<Record<string, number>>;
      readonly solverCalls: number;
      /** How each limit was held: at the prediction, or at its upper prediction bound. */
      readonly held: readonly HeldLimit[];
      /** Wall time of solveIlp measured in the page with performance.now(). */
      readonly ms: number;
    }
  | { readonly status: 'infeasible'; readonly message: string; readonly ms: number };

/**
 * Eq. 6 on the loaded table, by the very code the CLI runs without measurements (searchTable: limits held at the
 * 95 % upper prediction bound where the table keeps residuals, refused below every measured network; solveIlp;
 * explainInfeasible): the page only times it and reports. Always the ILP, since HiGHS's WebAssembly in the browser
 * is the point.
 */
export async function searchTable(
  loaded: LoadedTable,
  objective: string,
  limits: readonly LimitSpec[],
): Promise<SearchOutcome> {
  const units = Object.fromEntries(loaded.table.metrics.map((m) => [m.metric, unitOf(m.metric)]));
  const t0 = performance.now();
  const found = await searchBlockTable({ table: loaded.table, space: loaded.space, objective, limits, solve: (p) => solveIlp(p), confidence: DEFAULT_CONFIDENCE });
  const ms = performance.now() - t0;
  if (found.status === 'refused') return { status: 'infeasible', message: describeUnreachable(found.unreachable[0]!, units), ms };
  if (found.status !== 'found') {
    if (found.status === 'unverified') throw new Error('the page measures nothing, so nothing is unverified');
    return { status: 'infeasible', message: explainInfeasible(found.problem, found.solution, units), ms };
  }
  const sol = found.solution;
  return {
    status: 'optimal',
    genome: sol.genome!,
    objective: sol.objective,
    predicted: predict(found.table, loaded.space, sol.genome!),
    solverCalls: sol.iterations,
    held: found.held,
    ms,
  };
}
