import { predict } from '../../src/predict/predict.js';
import { explainInfeasible } from '../../src/search/explain.js';
import { problemFromTable, type LimitSpec } from '../../src/search/from-table.js';
import { solveIlp } from '../../src/search/ilp.js';
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
      /** Wall time of solveIlp measured in the page with performance.now(). */
      readonly ms: number;
    }
  | { readonly status: 'infeasible'; readonly message: string; readonly ms: number };

/**
 * Eq. 6 on the loaded table, by the very code the CLI runs (problemFromTable, solveIlp, explainInfeasible): the
 * page only times it and reports. Always the ILP, since solving HiGHS's WebAssembly in the browser is the point.
 */
export async function searchTable(
  loaded: LoadedTable,
  objective: string,
  limits: readonly LimitSpec[],
): Promise<SearchOutcome> {
  const problem = problemFromTable(loaded.table, loaded.space, objective, limits);
  const t0 = performance.now();
  const sol = await solveIlp(problem);
  const ms = performance.now() - t0;
  if (sol.status === 'infeasible' || !sol.genome) {
    const units = Object.fromEntries(loaded.table.metrics.map((m) => [m.metric, unitOf(m.metric)]));
    return { status: 'infeasible', message: explainInfeasible(problem, sol, units), ms };
  }
  return {
    status: 'optimal',
    genome: sol.genome,
    objective: sol.objective,
    predicted: predict(loaded.table, loaded.space, sol.genome),
    solverCalls: sol.iterations,
    ms,
  };
}
