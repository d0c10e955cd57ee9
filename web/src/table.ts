import { UserError } from '../../src/errors.js';
import { parseBlockTable, type BlockTable, type MetricTable } from '../../src/core/block-table.js';
import { checkTableFits } from '../../src/predict/predict.js';
import type { SearchSpace } from '../../src/space/types.js';
import { spaceForTable } from '../../src/targets/table-spaces.js';

/** A block table as the page holds it: validated, with the space it indexes. */
export interface LoadedTable {
  readonly name: string;
  readonly table: BlockTable;
  readonly space: SearchSpace;
  readonly labelled: boolean;
}

/** Parses and checks a table file's text (as `blocknas estimate -o` writes it); a bad file is a UserError. */
export function loadTable(text: string, name: string): LoadedTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`${name} is not valid JSON`);
  }
  const table = parseBlockTable(raw, name);
  const { space, labelled } = spaceForTable(table);
  checkTableFits(table, space);
  return { name, table, space, labelled };
}

/** What search maximises unless the user picks otherwise: the table's accuracy, as in the CLI. */
export function defaultObjective(table: BlockTable): string {
  return (table.metrics.find((m) => m.metric.startsWith('accuracy:')) ?? table.metrics[0]!).metric;
}

/** Sums of block and pair terms can be limits, on the drawn or the effective form; scaled or linked ones cannot (from-table.ts). */
export function isLimitable(t: MetricTable): boolean {
  return !(t.scale || t.link);
}

export function limitableMetrics(table: BlockTable, objective: string): string[] {
  return table.metrics.filter((t) => t.metric !== objective && isLimitable(t)).map((t) => t.metric);
}

const UNITS: Readonly<Record<string, string>> = { accuracy: '%', latency: 'ms', energy: 'mJ', flops: 'MFLOPs', params: 'M' };

/** Display unit of a metric id such as `latency:fpga`; WMT accuracy is BLEU, as in the CLI. */
export function unitOf(metric: string): string {
  if (metric.startsWith('accuracy:wmt')) return 'BLEU';
  return UNITS[metric.split(':')[0]!] ?? '';
}

/** One line on where a table came from, for the page header. */
export function describeTable(t: LoadedTable): string {
  const { table } = t;
  const from = table.evaluated > 0 ? ` from ${table.evaluated} evaluated networks` : '';
  const where = [table.dataset, table.device].filter(Boolean).join(', ');
  return `${table.space}${where ? ` (${where})` : ''}: ${table.estimator} block table${from}`;
}
