import { UserError } from '../errors.js';
import { MAX_SEED } from '../random.js';
import type { Capability, OpenOptions, TableTarget } from '../targets/types.js';
import { progressReporter } from './progress.js';
import { openEntry, type SpaceFileFlags } from './space-file.js';

export interface CommonOptions {
  dataDir?: string;
  dataset?: string;
  device?: string;
  estimator?: string;
  budget?: string;
  seed?: string;
  table?: string;
  graph?: boolean;
  json?: boolean;
}

/** What a command works on: the registry's table target (src/targets/types.ts). */
export type Session = TableTarget;

export function parseIntOption(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name}: expected an integer >= ${min}, got "${value}"`);
  if (n > max) throw new UserError(`${name}: expected an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** --seed: 32 bits, the generator's state (random.ts); a larger one would wrap onto a smaller seed. */
export function parseSeedOption(value: string | undefined): number | undefined {
  return parseIntOption('--seed', value, 0, MAX_SEED);
}

/** The library's open options from the common flags (integers parsed here, so errors name the flag). */
export function openOptions(opts: CommonOptions, label: string): OpenOptions {
  const budget = parseIntOption('--budget', opts.budget, 1);
  const seed = parseSeedOption(opts.seed);
  return {
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    ...(opts.dataset !== undefined ? { dataset: opts.dataset } : {}),
    ...(opts.device !== undefined ? { device: opts.device } : {}),
    ...(opts.table !== undefined ? { table: opts.table } : {}),
    ...(opts.estimator !== undefined ? { estimator: opts.estimator } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(opts.graph !== undefined ? { graphAware: opts.graph } : {}),
    onProgress: progressReporter(label, opts.json),
  };
}

/** The space's block table (--table FILE, its own, or estimated now) through the registry. */
export async function openSession(space: string | undefined, opts: CommonOptions & SpaceFileFlags, capability: Capability = 'search'): Promise<Session> {
  const entry = openEntry(space, opts, capability);
  return entry.openTable!(openOptions(opts, `estimate ${entry.name} (${opts.estimator ?? 'regression'})`));
}
