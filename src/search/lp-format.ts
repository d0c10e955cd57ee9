import { UserError } from '../errors.js';
import { buildProgram, varName, type BinaryProgram } from './formulation.js';
import type { MipModel } from './mip-model.js';
import type { Problem } from './problem.js';

export { varName, type BinaryProgram, type Table } from './formulation.js';

const TERMS_PER_LINE = 8;

/**
 * Shortest round-trip decimal form. HiGHS's LP reader parses it with strtod, so exponent forms such as 1e-7 and
 * 2.5e+11 read back exactly (test/search-highs.test.ts checks this). Magnitudes >= 1e20 would be read as
 * infinite (infinite_cost / infinite_bound), which the shift-and-scale in formulation.ts keeps coefficients far from.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} in LP format`);
  return String(x);
}

function linear(terms: readonly (readonly [string, number])[]): string {
  const parts = terms.map(([name, c], k) => {
    const sign = c < 0 ? '-' : '+';
    const sep = k > 0 && k % TERMS_PER_LINE === 0 ? '\n   ' : ' ';
    return `${sep}${sign} ${formatNumber(Math.abs(c))} ${name}`;
  });
  return parts.join('').trimStart();
}

/** CPLEX LP text of a model. Binary columns are listed in the objective even at cost 0, so each is declared there. */
export function modelToLp(model: MipModel): string {
  const names = model.colNames;
  const objTerms: [string, number][] = [];
  names.forEach((name, c) => {
    if (model.binary[c] || model.cost[c] !== 0) objTerms.push([name, model.cost[c]!]);
  });
  const sense = model.sense === 'maximize' ? 'Maximize' : 'Minimize';
  const lines: string[] = [sense, ` obj: ${linear(objTerms)}`, 'Subject To'];
  for (const row of model.rows) {
    const terms = row.cols.map((c, k) => [names[c]!, row.coefs[k]!] as const);
    // A row with no terms is a constant test; the format needs a variable, so it gets a zero-weight one.
    const lhs = terms.length > 0 ? linear(terms) : `0 ${names[0]}`;
    lines.push(` ${row.name}: ${lhs} ${row.op} ${formatNumber(row.rhs)}`);
  }
  const continuous = names.filter((_, c) => !model.binary[c]);
  // The format's default bounds are [0, +∞); MipModel's continuous columns stop at 1.
  if (continuous.length > 0) lines.push('Bounds', ...continuous.map((name) => ` ${name} <= 1`));
  const binaries = names.filter((_, c) => model.binary[c]);
  lines.push('Binary');
  for (let k = 0; k < binaries.length; k += TERMS_PER_LINE) {
    lines.push(` ${binaries.slice(k, k + TERMS_PER_LINE).join(' ')}`);
  }
  lines.push('End', '');
  return lines.join('\n');
}

/** CPLEX LP text of a 0-1 program, exactly as solveIlp hands it to HiGHS. Column x_i_j is 1 when node i uses block j. */
export function writeLp(program: BinaryProgram): string {
  return modelToLp(buildProgram(program));
}

/** LP text of a problem with a linear objective (maximise additive(objective.model) + pairs under limits and rules). */
export function problemToLp(problem: Problem): string {
  if (problem.objective.scale) {
    throw new UserError('objective.scale: a FLOPs-scaled objective is not linear; solve it with solveIlp (Dinkelbach)');
  }
  return writeLp({
    radix: problem.radix,
    sense: 'maximize',
    objective: problem.objective.model.values,
    ...(problem.objective.pairs ? { pairs: problem.objective.pairs } : {}),
    limits: problem.limits,
    rules: problem.rules,
  });
}

/** The genome encoded by a MIP solution: per node, the block whose indicator is 1. */
export function genomeFromColumns(columns: ReadonlyMap<string, number>, radix: readonly number[]): number[] {
  return radix.map((r, i) => {
    let best = -1;
    let bestValue = 0.5;
    for (let j = 0; j < r; j++) {
      const v = columns.get(varName(i, j)) ?? 0;
      if (v > bestValue) {
        best = j;
        bestValue = v;
      }
    }
    if (best < 0) throw new Error(`MIP solution selects no block for node ${i}`);
    return best;
  });
}
