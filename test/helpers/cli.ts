import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR } from './data.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_MAIN = join(ROOT, 'src/cli/main.ts');

/** Runs the blocknas CLI from source with the test data directory in $BLOCKNAS_DATA. */
export function runCli(args: readonly string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, BLOCKNAS_DATA: DATA_DIR },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
