import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';

export const DATA_ENV = 'BLOCKNAS_DATA';

/** The benchmark data directory: --data-dir, else $BLOCKNAS_DATA; undefined when neither is given. */
export function resolveDataDir(flag?: string): string | undefined {
  const given = flag ?? process.env[DATA_ENV];
  if (!given) return undefined;
  const dir = resolve(given);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const from = flag ? '--data-dir' : DATA_ENV;
    throw new UserError(`${from}: "${given}" is not a directory`);
  }
  return dir;
}

export function requireDataDir(flag?: string): string {
  const dir = resolveDataDir(flag);
  if (!dir) {
    throw new UserError(
      `no data directory: pass --data-dir DIR or set ${DATA_ENV} to the published benchmark data (e.g. ../shared/data)`,
    );
  }
  return dir;
}
