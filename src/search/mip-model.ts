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
  /** Binary columns lie in {0, 1}; the others are continuous in [0, +∞). */
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

  addRow(name: string, terms: readonly (readonly [number, number])[], op: RowOp, rhs: number): void {
    this.rows.push({ name, cols: terms.map(([c]) => c), coefs: terms.map(([, v]) => v), op, rhs });
  }

  build(): MipModel {
    return { sense: this.sense, colNames: this.colNames, cost: this.cost, binary: this.binary, rows: this.rows };
  }
}
