import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fieldError, UserError } from '../errors.js';

export const DATA_ENV = 'BLOCKNAS_DATA';

/** The benchmark data directory: the one given, else $BLOCKNAS_DATA; undefined when neither is given. */
export function resolveDataDir(flag?: string): string | undefined {
  const given = flag ?? process.env[DATA_ENV];
  if (!given) return undefined;
  const dir = resolve(given);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    if (flag) throw fieldError('dataDir', `"${given}" is not a directory`);
    throw new UserError(`${DATA_ENV}: "${given}" is not a directory`);
  }
  return dir;
}

export function requireDataDir(flag?: string): string {
  const dir = resolveDataDir(flag);
  if (!dir) {
    throw fieldError('dataDir', `no data directory: give one or set ${DATA_ENV} to the published benchmark data (e.g. ../shared/data)`);
  }
  return dir;
}
