import type { PairTerm } from '../predict/model.js';
import type { CouplingRule } from '../space/types.js';
import { limitTolerance, ruleBounds, ruleTable } from './common.js';
import { ModelBuilder, type MipModel } from './mip-model.js';
import { canonicalPairs, foldAdditive, type CanonicalPair } from './pair-terms.js';
import type { Limit } from './problem.js';

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

/** How pair terms are written; every choice gives the same integer optimum (test/search-pairs.test.ts). */
export interface PairFormulation {
  /** Move each pair table's row and column effects into the node values (see foldAdditive). */
  readonly fold: boolean;
  /** Substitute out each product table's first row and column (see compactProductRows). */
  readonly compact: boolean;
}

/** The measured best; ilp.ts records the measurements. */
export const DEFAULT_PAIR_FORMULATION: PairFormulation = { fold: true, compact: true };

/**
 * Largest per-node spread of the written objective. HiGHS stops when no node can beat the incumbent by more than
 * mip_feasibility_tolerance (1e-9, absolute), so spreading the objective over 1e3 makes that tolerance ~1e-12 of
 * the range whatever the units (accuracy fractions or FLOPs).
 */
const OBJECTIVE_SPREAD = 1e3;

export function varName(node: number, block: number): string {
  return `x_${node}_${block}`;
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
  pairs: readonly CanonicalPair[],
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

function linearRowTerms(coefs: Table, x: readonly (readonly number[])[]): [number, number][] {
  const terms: [number, number][] = [];
  coefs.forEach((row, i) => row.forEach((c, j) => c !== 0 && terms.push([x[i]![j]!, c])));
  return terms;
}

function ruleRow(b: ModelBuilder, rule: CouplingRule, k: number, radix: readonly number[], x: number[][]): void {
  const terms = linearRowTerms(ruleTable(rule, radix), x);
  if (terms.length === 0) {
    const { lo, hi } = ruleBounds(rule);
    // A violated constant rule: a row no assignment satisfies.
    if (!(lo <= 0 && 0 <= hi)) b.addRow(`rule_${k}`, [], '>=', 1);
    return;
  }
  // HiGHS drops entries below 1e-9 and treats tolerances absolutely, so bring the largest coefficient near 1; a
  // power of two divides exactly, leaving the usual ±1 rules (and their integrality) untouched.
  const largest = Math.max(...terms.map(([, c]) => Math.abs(c)));
  const scale = 2 ** Math.round(Math.log2(largest));
  // Rule names come from users; rows get generated names so no character can break the LP text.
  b.addRow(`rule_${k}`, terms.map(([c, v]) => [c, v / scale] as const), rule.op, rule.rhs / scale);
}

/**
 * The program with y_i_j_a_b = x_i_a · x_j_b linearised exactly by its margins: Σ_b y_ab = x_i_a and
 * Σ_a y_ab = x_j_b. With one-hot x the only nonnegative y with those margins is the single 1 at (g_i, g_j), so y can
 * stay continuous, and this "marginal" form has a tighter LP relaxation than the three McCormick inequalities per
 * product. Column x_i_j is 1 when node i uses block j.
 */
export function buildProgram(program: BinaryProgram, formulation: PairFormulation = DEFAULT_PAIR_FORMULATION): MipModel {
  const { radix } = program;
  const canonical = canonicalPairs(program.pairs ?? [], radix);
  const { values, pairs } = formulation.fold
    ? foldAdditive(program.objective, canonical)
    : { values: program.objective, pairs: canonical };
  const obj = conditionObjective(values, pairs, program.sense === 'maximize');
  const b = new ModelBuilder(program.sense);
  const x = radix.map((r, i) => Array.from({ length: r }, (_, j) => b.addColumn(varName(i, j), obj.rows[i]![j]!, true)));
  radix.forEach((_, i) => b.addRow(`one_${i}`, x[i]!.map((c) => [c, 1] as const), '=', 1));
  program.limits.forEach((limit, k) => {
    const { coefs, offset, scale } = shiftAndScale(limit.model.values, false);
    const rhs = (limit.max + limitTolerance(limit.max) - limit.model.intercept - offset) / scale;
    const terms = linearRowTerms(coefs, x);
    if (terms.length > 0) b.addRow(`lim_${k}`, terms, '<=', rhs);
    else if (rhs < 0) b.addRow(`lim_${k}`, [], '>=', 1);
  });
  program.rules.forEach((rule, k) => ruleRow(b, rule, k, radix, x));
  pairs.forEach((p, k) => (formulation.compact ? compactProductRows : productRows)(b, p, obj.pairs[k]!, x));
  return b.build();
}

function ones(cols: readonly number[]): (readonly [number, number])[] {
  return cols.map((c) => [c, 1] as const);
}

function productName(p: CanonicalPair, a: number, c: number): string {
  return `y_${p.i}_${p.j}_${a}_${c}`;
}

/** One product column per block pair, tied to x by both margins (equalities). */
function productRows(b: ModelBuilder, p: CanonicalPair, cost: number[][], x: number[][]): void {
  const y = cost.map((row, a) => row.map((c, d) => b.addColumn(productName(p, a, d), c, false)));
  y.forEach((row, a) => b.addRow(`pr_${p.i}_${p.j}_${a}`, [...ones(row), [x[p.i]![a]!, -1]], '=', 0));
  y[0]!.forEach((_, d) => {
    b.addRow(`pc_${p.i}_${p.j}_${d}`, [...ones(y.map((row) => row[d]!)), [x[p.j]![d]!, -1]], '=', 0);
  });
}

/**
 * The same polytope with row 0 and column 0 of y substituted out: y_a0 = x_ia − Σ_{b>0} y_ab,
 * y_0b = x_jb − Σ_{a>0} y_ab and y_00 = x_i0 − Σ_{b>0} y_0b, each kept >= 0 by an inequality. The LP bound is
 * identical, but (r−1)(s−1) columns and r+s−1 inequalities replace r·s columns and r+s equalities, which made
 * HiGHS's search markedly cheaper on the NB201 pair problems (ilp.ts). y's cost becomes the double difference
 * C_ab − C_a0 − C_0b + C_00, zero for an additive table, and the rest moves onto x. Which index goes is free;
 * block 0 measured a little faster than the last block (total time over 40 problems 1166 vs 1528 ms and 547 vs
 * 615 ms in one run), plausibly because NB201's rules are about block 0, which then keeps no y columns of its own.
 */
function compactProductRows(b: ModelBuilder, p: CanonicalPair, cost: number[][], x: number[][]): void {
  const xi = x[p.i]!;
  const xj = x[p.j]!;
  const rows = xi.length;
  const cols = xj.length;
  const y: number[][] = [];
  for (let a = 1; a < rows; a++) {
    const row: number[] = [];
    for (let d = 1; d < cols; d++) {
      row.push(b.addColumn(productName(p, a, d), cost[a]![d]! - cost[a]![0]! - cost[0]![d]! + cost[0]![0]!, false));
    }
    y.push(row);
  }
  for (let a = 0; a < rows; a++) b.addCost(xi[a]!, cost[a]![0]!);
  for (let d = 1; d < cols; d++) b.addCost(xj[d]!, cost[0]![d]! - cost[0]![0]!);
  y.forEach((row, r) => b.addRow(`pr_${p.i}_${p.j}_${r + 1}`, [...ones(row), [xi[r + 1]!, -1]], '<=', 0));
  for (let d = 1; d < cols; d++) {
    b.addRow(`pc_${p.i}_${p.j}_${d}`, [...ones(y.map((row) => row[d - 1]!)), [xj[d]!, -1]], '<=', 0);
  }
  const corner: [number, number][] = y.flat().map((col) => [col, -1]);
  for (let d = 1; d < cols; d++) corner.push([xj[d]!, 1]);
  corner.push([xi[0]!, -1]);
  b.addRow(`p0_${p.i}_${p.j}`, corner, '<=', 0);
}

/** Column values of `genome` in a model from buildProgram: x_i_a = [g_i = a], y_i_j_a_b = [g_i = a]·[g_j = b]. */
export function columnValues(model: MipModel, genome: readonly number[]): number[] {
  return model.colNames.map((name) => {
    const parts = name.split('_');
    const f = parts.slice(1).map(Number);
    if (parts[0] === 'x') return genome[f[0]!] === f[1] ? 1 : 0;
    if (parts[0] === 'y') return genome[f[0]!] === f[2] && genome[f[1]!] === f[3] ? 1 : 0;
    throw new Error(`no value for column ${name}`);
  });
}
