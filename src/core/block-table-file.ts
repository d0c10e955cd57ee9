import { existsSync, readFileSync } from 'node:fs';
import { fieldError, UserError } from '../errors.js';
import { parseBlockTable, type BlockTable } from './block-table.js';

/** A block table from a JSON file, validated (block-table.ts); the file-free format is what the browser page uses. */
export function readBlockTable(file: string): BlockTable {
  if (!existsSync(file)) throw fieldError('table', `file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw fieldError('table', `${file} is not valid JSON`);
  }
  try {
    return parseBlockTable(raw, file);
  } catch (e) {
    throw e instanceof UserError ? fieldError('table', e.message) : e;
  }
}
