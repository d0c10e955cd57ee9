import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The benchmark data directory for tests: $BLOCKNAS_DATA, else ../shared/data beside the repository. */
export const DATA_DIR = process.env.BLOCKNAS_DATA ?? join(repoRoot, '..', 'shared', 'data');

/**
 * `skip` option for a test that needs data files: a reason string when they are missing, so the test is skipped
 * with that reason. Under CI=true missing data is a failure, never a skip.
 */
export function needsData(...files: string[]): string | false {
  const missing = files.filter((f) => !existsSync(join(DATA_DIR, f)));
  if (missing.length === 0) return false;
  const reason = `benchmark data missing in ${DATA_DIR}: ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}
