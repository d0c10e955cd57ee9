import { UserError } from '../errors.js';
import type { PairTerm } from '../predict/model.js';
import type { CouplingRule } from '../space/types.js';
import { limitTolerance, ruleBounds, ruleTable } from './common.js';
import type { Limit, Problem } from './problem.js';

/** Per-node, per-block coefficients of a linear function of the choice indicators. */
export type Table = readonly (readonly number[])[];

/** A 0-1 program over one-hot choice indicators x_i_j (exactly one block per node). */
export interface BinaryProgram {
  readonly radix: readonly number[];
  readonly sense: 'maximize' | 'minimize';
  readonly objective: Table;
  /** Interactions added to the objective: values[a][b] when node i uses block a and node j uses block b. */
  readonly pairs?: readonly PairTerm[];
  /** additive(model) <= max for each; the intercept and the limit slack are folded into the right-hand side. */
  readonly limits: readonly Limit[];
  readonly rules: readonly CouplingRule[];
}

/**
 * Largest per-node spread of the written objective. HiGHS stops when no node can beat the incumbent by more than
 * mip_feasibility_tolerance (1e-9, absolute), so spreading the objective over 1e3 makes that tolerance ~1e-12 of
 * the range whatever the units (accuracy fractions or FLOPs).
 */
const OBJECTIVE_SPREAD = 1e3;
const TERMS_PER_LINE = 8;

export function varName(node: number, block: number): string {
  return `x_${node}_${block}`;
}

/** Continuous column equal to x_i_a · x_j_b for pair k (forced by the marginal rows, see pairRows). */
function pairName(k: number, a: number, b: number): string {
  return `y_${k}_${a}_${b}`;
}

/**
 * Shortest round-trip decimal form. HiGHS's LP reader parses it with strtod, so exponent forms such as 1e-7 and
 * 2.5e+11 read back exactly (test/search-lp-format.test.ts checks this). Magnitudes >= 1e20 would be read as
 * infinite (infinite_cost / infinite_bound), which the shift-and-scale below keeps coefficients far from.
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

/**
 * Because Σ_j x_i_j = 1, adding a constant to every block of a node changes a row only by a constant. Shifting each
 * node to start at 0 and dividing by the largest spread leaves coefficients in [0, 1] whatever the units, so
 * HiGHS's absolute tolerances mean the same thing for FLOPs (1e8) as for latency (1e-3).
 */
function shiftAndScale(values: Table, useMax: boolean): { coefs: number[][]; offset: number; scale: number } {
  let offset = 0;
  let spread = 0;
  const shifted = values.map((row) => {
    const base = useMax ? Math.max(...row) : Math.min(...row);
    offset += base;
    return row.map((v) => {
      const d = v - base;
      spread = Math.max(spread, Math.abs(d));
      return d;
    });
  });
  const scale = spread > 0 ? spread : 1;
  return { coefs: shifted.map((row) => row.map((d) => d / scale)), offset, scale };
}

/**
 * shiftAndScale for the objective: node rows, and pair matrices (whose y columns also sum to 1, so a shift is again
 * a constant), are each shifted by their own extreme and share one scale that makes the largest spread
 * OBJECTIVE_SPREAD.
 */
function conditionObjective(
  values: Table,
  pairs: readonly PairTerm[],
  useMax: boolean,
): { rows: number[][]; pairs: number[][][] } {
  const { coefs } = shiftAndScale([...values, ...pairs.map((p) => p.values.flat())], useMax);
  const scaled = coefs.map((row) => row.map((c) => c * OBJECTIVE_SPREAD));
  const pairCoefs = pairs.map((p, k) => {
    const flat = scaled[values.length + k]!;
    const cols = p.values[0]?.length ?? 0;
    return p.values.map((_, a) => flat.slice(a * cols, (a + 1) * cols));
  });
  return { rows: scaled.slice(0, values.length), pairs: pairCoefs };
}

/**
 * Exact linearisation of y_ab = x_i_a · x_j_b: Σ_b y_ab = x_i_a and Σ_a y_ab = x_j_b. With one-hot x the only
 * nonnegative y with those margins is the single 1 at (g_i, g_j), so y can stay continuous, and this "marginal"
 * form has a tighter LP relaxation than the usual three McCormick inequalities per product.
 */
function pairRows(pair: PairTerm, k: number, radix: readonly number[]): string[] {
  const rows = radix[pair.i]!;
  const cols = radix[pair.j]!;
  const out: string[] = [];
  for (let a = 0; a < rows; a++) {
    const terms = Array.from({ length: cols }, (_, b) => [pairName(k, a, b), 1] as const);
    out.push(` pr_${k}_${a}: ${linear([...terms, [varName(pair.i, a), -1]])} = 0`);
  }
  for (let b = 0; b < cols; b++) {
    const terms = Array.from({ length: rows }, (_, a) => [pairName(k, a, b), 1] as const);
    out.push(` pc_${k}_${b}: ${linear([...terms, [varName(pair.j, b), -1]])} = 0`);
  }
  return out;
}

function tableTerms(coefs: Table, skipZero: boolean): [string, number][] {
  const terms: [string, number][] = [];
  coefs.forEach((row, i) =>
    row.forEach((c, j) => {
      if (!skipZero || c !== 0) terms.push([varName(i, j), c]);
    }),
  );
  return terms;
}

/** A row no assignment satisfies (reached when a limit or rule is a violated constant). */
function impossibleRow(name: string): string {
  return ` ${name}: 0 ${varName(0, 0)} >= 1`;
}

function limitRow(limit: Limit, k: number): string | null {
  const { coefs, offset, scale } = shiftAndScale(limit.model.values, false);
  const rhs = (limit.max + limitTolerance(limit.max) - limit.model.intercept - offset) / scale;
  const terms = tableTerms(coefs, true);
  if (terms.length === 0) return rhs >= 0 ? null : impossibleRow(`lim_${k}`);
  return ` lim_${k}: ${linear(terms)} <= ${formatNumber(rhs)}`;
}

function ruleRow(rule: CouplingRule, k: number, radix: readonly number[]): string | null {
  const terms = tableTerms(ruleTable(rule, radix), true);
  if (terms.length === 0) {
    const { lo, hi } = ruleBounds(rule);
    return lo <= 0 && 0 <= hi ? null : impossibleRow(`rule_${k}`);
  }
  // HiGHS drops entries below 1e-9 and treats tolerances absolutely, so bring the largest coefficient near 1; a
  // power of two divides exactly, leaving the usual ±1 rules (and their integrality) untouched.
  const largest = Math.max(...terms.map(([, c]) => Math.abs(c)));
  const scale = 2 ** Math.round(Math.log2(largest));
  const scaled = terms.map(([name, c]) => [name, c / scale] as const);
  // Rule names come from users; rows get generated names so no character can break the LP text.
  return ` rule_${k}: ${linear(scaled)} ${rule.op} ${formatNumber(rule.rhs / scale)}`;
}

/** CPLEX LP text of a 0-1 program. Column x_i_j is 1 when node i uses block j. */
export function writeLp(program: BinaryProgram): string {
  const { radix } = program;
  const pairs = program.pairs ?? [];
  const obj = conditionObjective(program.objective, pairs, program.sense === 'maximize');
  const objTerms = tableTerms(obj.rows, false);
  obj.pairs.forEach((m, k) =>
    m.forEach((row, a) =>
      row.forEach((c, b) => {
        if (c !== 0) objTerms.push([pairName(k, a, b), c]);
      }),
    ),
  );
  const lines: string[] = [program.sense === 'maximize' ? 'Maximize' : 'Minimize'];
  lines.push(` obj: ${linear(objTerms)}`, 'Subject To');
  radix.forEach((r, i) => {
    const ones = Array.from({ length: r }, (_, j) => [varName(i, j), 1] as const);
    lines.push(` one_${i}: ${linear(ones)} = 1`);
  });
  program.limits.forEach((l, k) => {
    const row = limitRow(l, k);
    if (row) lines.push(row);
  });
  program.rules.forEach((rule, k) => {
    const row = ruleRow(rule, k, radix);
    if (row) lines.push(row);
  });
  pairs.forEach((pair, k) => lines.push(...pairRows(pair, k, radix)));
  const names = radix.flatMap((r, i) => Array.from({ length: r }, (_, j) => varName(i, j)));
  lines.push('Binary');
  for (let k = 0; k < names.length; k += TERMS_PER_LINE) lines.push(` ${names.slice(k, k + TERMS_PER_LINE).join(' ')}`);
  lines.push('End', '');
  return lines.join('\n');
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
