import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UserError } from '../errors.js';

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly string[][];
  column(name: string): string[];
  numbers(name: string): Float64Array;
}

/**
 * Reads a CSV file of the data directory and checks that it has the required columns, naming the file and what
 * is missing when it does not.
 */
export function readCsv(dataDir: string, relPath: string, required: readonly string[] = []): CsvTable {
  const file = join(dataDir, relPath);
  if (!existsSync(file)) throw new UserError(`missing data file ${relPath} in ${dataDir}`);
  let records: string[][];
  try {
    records = parse(readFileSync(file, 'utf8'), { relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    throw new UserError(`data file ${relPath} is not valid CSV: ${(e as Error).message.split('\n')[0]}`);
  }
  const header = records[0] ?? [];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new UserError(`data file ${relPath} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  const rows = records.slice(1);
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new UserError(`data file ${basename(file)} lacks column ${name}`);
    return j;
  };
  return {
    file,
    header,
    rows,
    column: (name) => {
      const j = col(name);
      return rows.map((r) => r[j]!);
    },
    numbers: (name) => {
      const j = col(name);
      const out = new Float64Array(rows.length);
      rows.forEach((r, i) => {
        const cell = r[j]!;
        out[i] = cell === '' ? NaN : Number(cell);
        if (cell !== '' && Number.isNaN(out[i])) {
          throw new UserError(`data file ${relPath}, row ${i + 2}, column ${name}: "${cell}" is not a number`);
        }
      });
      return out;
    },
  };
}
