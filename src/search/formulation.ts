import type { PairTerm } from '../core/additive.js';
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
  /** limitValue <= max for each; the intercept and the limit slack are folded into the right-hand side. */
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

/** Node values and canonical pair tables, folded when the formulation says so. */
function prepare(values: Table, pairs: readonly PairTerm[] | undefined, formulation: PairFormulation, radix: readonly number[]) {
  const canonical = canonicalPairs(pairs ?? [], radix);
  return formulation.fold ? foldAdditive(values, canonical) : { values, pairs: canonical };
}

/** Product columns of one node pair: y[a][b] in the full form, y[a−1][b−1] in the compact one. */
interface Product {
  readonly i: number;
  readonly j: number;
  readonly y: number[][];
}

/**
 * The program with y_i_j_a_b = x_i_a · x_j_b linearised exactly by its margins: Σ_b y_ab = x_i_a and
 * Σ_a y_ab = x_j_b. With one-hot x the only nonnegative y with those margins is the single 1 at (g_i, g_j), so y can
 * stay continuous, and this "marginal" form has a tighter LP relaxation than the three McCormick inequalities per
 * product. Column x_i_j is 1 when node i uses block j. A node pair gets product columns when the objective or a
 * limit has a pair term on it; a limit's pair terms are then linear in y, so the program stays linear.
 */
export function buildProgram(program: BinaryProgram, formulation: PairFormulation = DEFAULT_PAIR_FORMULATION): MipModel {
  const { radix } = program;
  const { values, pairs } = prepare(program.objective, program.pairs, formulation, radix);
  const obj = conditionObjective(values, pairs, program.sense === 'maximize');
  const limits = program.limits.map((l) => (l.pairs && l.pairs.length > 0 ? prepare(l.model.values, l.pairs, formulation, radix) : null));
  const costs = new Map<number, { i: number; j: number; cost: number[][] }>();
  pairs.forEach((p, k) => costs.set(p.i * radix.length + p.j, { i: p.i, j: p.j, cost: obj.pairs[k]! }));
  for (const l of limits) {
    for (const p of l?.pairs ?? []) {
      const key = p.i * radix.length + p.j;
      if (!costs.has(key)) costs.set(key, { i: p.i, j: p.j, cost: p.values.map((row) => row.map(() => 0)) });
    }
  }
  const b = new ModelBuilder(program.sense);
  const x = radix.map((r, i) => Array.from({ length: r }, (_, j) => b.addColumn(varName(i, j), obj.rows[i]![j]!, true)));
  radix.forEach((_, i) => b.addRow(`one_${i}`, x[i]!.map((c) => [c, 1] as const), '=', 1));
  // Product columns exist before the limit rows that use them; their linking rows come last, after the rules.
  const products = new Map<number, Product>();
  for (const [key, { i, j, cost }] of [...costs].sort(([u], [v]) => u - v)) {
    const y = (formulation.compact ? compactProductColumns : productColumns)(b, i, j, cost, x);
    products.set(key, { i, j, y });
  }
  program.limits.forEach((limit, k) => {
    const prepared = limits[k];
    if (prepared) return pairLimitRow(b, limit, k, prepared, products, x, formulation.compact);
    const { coefs, offset, scale } = shiftAndScale(limit.model.values, false);
    const rhs = (limit.max + limitTolerance(limit.max) - limit.model.intercept - offset) / scale;
    const terms = linearRowTerms(coefs, x);
    if (terms.length > 0) b.addRow(`lim_${k}`, terms, '<=', rhs);
    else if (rhs < 0) b.addRow(`lim_${k}`, [], '>=', 1);
  });
  program.rules.forEach((rule, k) => ruleRow(b, rule, k, radix, x));
  for (const p of products.values()) (formulation.compact ? compactProductRows : productRows)(b, p, x);
  return b.build();
}

/**
 * A limit with pair terms: node rows and pair tables are shifted to start at 0 (a pair's y columns also sum to 1) and
 * share one scale, as for additive limits; each pair table goes onto its product columns, in the compact form by the
 * same substitution compactProductColumns makes for the objective.
 */
function pairLimitRow(
  b: ModelBuilder,
  limit: Limit,
  k: number,
  prepared: { values: Table; pairs: readonly CanonicalPair[] },
  products: ReadonlyMap<number, Product>,
  x: number[][],
  compact: boolean,
): void {
  const n = x.length;
  const { coefs, offset, scale } = shiftAndScale([...prepared.values, ...prepared.pairs.map((p) => p.values.flat())], false);
  const rhs = (limit.max + limitTolerance(limit.max) - limit.model.intercept - offset) / scale;
  const row = new Map<number, number>();
  const add = (col: number, c: number) => row.set(col, (row.get(col) ?? 0) + c);
  for (let i = 0; i < n; i++) coefs[i]!.forEach((c, a) => add(x[i]![a]!, c));
  prepared.pairs.forEach((p, t) => {
    const flat = coefs[n + t]!;
    const cols = p.values[0]!.length;
    const c = (a: number, d: number) => flat[a * cols + d]!;
    const { y } = products.get(p.i * n + p.j)!;
    if (!compact) return y.forEach((ys, a) => ys.forEach((col, d) => add(col, c(a, d))));
    y.forEach((ys, a) => ys.forEach((col, d) => add(col, c(a + 1, d + 1) - c(a + 1, 0) - c(0, d + 1) + c(0, 0))));
    x[p.i]!.forEach((col, a) => add(col, c(a, 0)));
    for (let d = 1; d < cols; d++) add(x[p.j]![d]!, c(0, d) - c(0, 0));
  });
  const terms = [...row].filter(([, c]) => c !== 0);
  if (terms.length > 0) b.addRow(`lim_${k}`, terms, '<=', rhs);
  else if (rhs < 0) b.addRow(`lim_${k}`, [], '>=', 1);
}

function ones(cols: readonly number[]): (readonly [number, number])[] {
  return cols.map((c) => [c, 1] as const);
}

function productName(i: number, j: number, a: number, c: number): string {
  return `y_${i}_${j}_${a}_${c}`;
}

/** One product column per block pair. */
function productColumns(b: ModelBuilder, i: number, j: number, cost: number[][], _x: number[][]): number[][] {
  return cost.map((row, a) => row.map((c, d) => b.addColumn(productName(i, j, a, d), c, false)));
}

/** Full form: each product column tied to x by both margins (equalities). */
function productRows(b: ModelBuilder, { i, j, y }: Product, x: number[][]): void {
  y.forEach((row, a) => b.addRow(`pr_${i}_${j}_${a}`, [...ones(row), [x[i]![a]!, -1]], '=', 0));
  y[0]!.forEach((_, d) => {
    b.addRow(`pc_${i}_${j}_${d}`, [...ones(y.map((row) => row[d]!)), [x[j]![d]!, -1]], '=', 0);
  });
}

/**
 * The same polytope with row 0 and column 0 of y substituted out: y_a0 = x_ia − Σ_{b>0} y_ab,
 * y_0b = x_jb − Σ_{a>0} y_ab and y_00 = x_i0 − Σ_{b>0} y_0b, each kept >= 0 by an inequality (compactProductRows).
 * The LP bound is identical, but (r−1)(s−1) columns and r+s−1 inequalities replace r·s columns and r+s equalities,
 * which made HiGHS's search markedly cheaper on the NB201 pair problems. y's cost becomes the double difference
 * C_ab − C_a0 − C_0b + C_00, zero for an additive table, and the rest moves onto x. Which index goes is free; block 0
 * measured a little faster than the last block, plausibly because NB201's rules are about block 0, which then keeps
 * no y columns of its own (docs/notes/2026-12-07-solver-history.md).
 */
function compactProductColumns(b: ModelBuilder, i: number, j: number, cost: number[][], x: number[][]): number[][] {
  const xi = x[i]!;
  const xj = x[j]!;
  const y: number[][] = [];
  for (let a = 1; a < xi.length; a++) {
    const row: number[] = [];
    for (let d = 1; d < xj.length; d++) {
      row.push(b.addColumn(productName(i, j, a, d), cost[a]![d]! - cost[a]![0]! - cost[0]![d]! + cost[0]![0]!, false));
    }
    y.push(row);
  }
  for (let a = 0; a < xi.length; a++) b.addCost(xi[a]!, cost[a]![0]!);
  for (let d = 1; d < xj.length; d++) b.addCost(xj[d]!, cost[0]![d]! - cost[0]![0]!);
  return y;
}

/** Compact form: the inequalities keeping the substituted-out y_a0, y_0b and y_00 nonnegative. */
function compactProductRows(b: ModelBuilder, { i, j, y }: Product, x: number[][]): void {
  const xi = x[i]!;
  const xj = x[j]!;
  y.forEach((row, r) => b.addRow(`pr_${i}_${j}_${r + 1}`, [...ones(row), [xi[r + 1]!, -1]], '<=', 0));
  for (let d = 1; d < xj.length; d++) {
    b.addRow(`pc_${i}_${j}_${d}`, [...ones(y.map((row) => row[d - 1]!)), [xj[d]!, -1]], '<=', 0);
  }
  const corner: [number, number][] = y.flat().map((col) => [col, -1]);
  for (let d = 1; d < xj.length; d++) corner.push([xj[d]!, 1]);
  corner.push([xi[0]!, -1]);
  b.addRow(`p0_${i}_${j}`, corner, '<=', 0);
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
