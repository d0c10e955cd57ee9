/**
 * A mixed 0-1 program in solver-neutral form. lp-format.ts writes it as CPLEX LP text (for export and inspection)
 * and highs.ts hands the same arrays to HiGHS directly, so the text a user sees is the program that was solved.
 */
export type RowOp = '<=' | '>=' | '=';

export interface MipRow {
  readonly name: string;
  readonly cols: readonly number[];
  readonly coefs: readonly number[];
  readonly op: RowOp;
  readonly rhs: number;
}

export interface MipModel {
  readonly sense: 'maximize' | 'minimize';
  readonly colNames: readonly string[];
  readonly cost: readonly number[];
  /**
   * Binary columns lie in {0, 1}; the others are continuous in [0, 1] (every one is a product of indicators). The
   * explicit upper bound matters: with products left unbounded above, HiGHS 1.15.1 (presolve off, started from an
   * incumbent) cut off root LPs that were not yet dual feasible and returned the start as optimal in 27 of 279
   * stress solves; with the bound, none in that test or in test/search-pairs.test.ts.
   */
  readonly binary: readonly boolean[];
  readonly rows: readonly MipRow[];
}

export class ModelBuilder {
  private readonly colNames: string[] = [];
  private readonly cost: number[] = [];
  private readonly binary: boolean[] = [];
  private readonly rows: MipRow[] = [];

  constructor(private readonly sense: MipModel['sense']) {}

  addColumn(name: string, cost: number, binary: boolean): number {
    this.colNames.push(name);
    this.cost.push(cost);
    this.binary.push(binary);
    return this.colNames.length - 1;
  }

  /** Adds to a column's objective coefficient (a substitution can move cost onto an existing column). */
  addCost(col: number, delta: number): void {
    this.cost[col] = this.cost[col]! + delta;
  }

  /** Zero coefficients are dropped; a row left with no terms is a constant test (0 op rhs). */
  addRow(name: string, terms: readonly (readonly [number, number])[], op: RowOp, rhs: number): void {
    const kept = terms.filter(([, v]) => v !== 0);
    this.rows.push({ name, cols: kept.map(([c]) => c), coefs: kept.map(([, v]) => v), op, rhs });
  }

  build(): MipModel {
    return { sense: this.sense, colNames: this.colNames, cost: this.cost, binary: this.binary, rows: this.rows };
  }
}
