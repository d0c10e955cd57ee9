import { existsSync, readFileSync } from 'node:fs';
import { writeTextAtomic } from '../data/write.js';
import { UserError } from '../errors.js';
import { parseBlockTable, type BlockTable } from './block-table-schema.js';

// The format itself is file-free (the browser page uses it); importers of this module keep getting all of it.
export {
  blockTableSchema,
  metricTable,
  parseBlockTable,
  type BlockTable,
  type MetricTable,
  type Observations,
} from './block-table-schema.js';

export function readBlockTable(file: string): BlockTable {
  if (!existsSync(file)) throw new UserError(`--table: file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UserError(`--table: ${file} is not valid JSON`);
  }
  return parseBlockTable(raw, `--table: ${file}`);
}

/** Writes atomically: a temp file renamed over the target, so a crash never leaves half a table. */
export function writeJsonAtomic(file: string, data: unknown): void {
  writeTextAtomic(file, JSON.stringify(data, null, 1) + '\n');
}
