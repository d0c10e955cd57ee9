import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { analysisOnlyTargets } from './analysis.js';
import { BUILTIN_TARGETS } from './builtin.js';
import { PREDICTOR_TARGETS } from './predictor.js';
import { PUBLISHED_TARGETS } from './published.js';
import { TABULAR_TARGETS } from './tabular.js';
import type { Capability, TargetEntry } from './types.js';

const SEARCHED = [...BUILTIN_TARGETS, ...TABULAR_TARGETS, ...PUBLISHED_TARGETS, ...PREDICTOR_TARGETS];

/**
 * Every space blocknas knows, in the order `spaces` lists them: built-ins first (they need no data), then the
 * benchmarks, published tables and predictors read from a data directory, then spaces known for analysis only.
 * A new space or benchmark is one new entry here; every command, the page and the bench read this list.
 */
export const TARGETS: readonly TargetEntry[] = [...SEARCHED, ...analysisOnlyTargets(new Set(SEARCHED.map((t) => t.name)))];

const VERB: Readonly<Record<Capability, string>> = {
  estimate: 'estimated',
  predict: 'predicted',
  search: 'searched',
  switch: 'switched at run time',
  validate: 'validated against ground truth',
  evolve: 'evolved',
  analyze: 'analysed',
};

export function targetNames(capability?: Capability): string[] {
  return TARGETS.filter((t) => !capability || t.capabilities.includes(capability)).map((t) => t.name);
}

/**
 * The registry entry of a space, refusing an unknown name (listing every known one) or a space that cannot do
 * what is asked (listing the spaces that can).
 */
export function findTarget(name: string, capability?: Capability): TargetEntry {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new UserError(`unknown space "${name}" (known: ${targetNames().join(', ')})`);
  if (capability && !t.capabilities.includes(capability)) {
    throw new UserError(`space ${name} cannot be ${VERB[capability]} (it can be ${t.capabilities.map((c) => VERB[c]).join(', ')}); spaces that can: ${targetNames(capability).join(', ')}`);
  }
  return t;
}

/** The data files of a target missing from `dataDir` (all of them when there is no data directory). */
export function missingTargetFiles(t: TargetEntry, dataDir: string | undefined): string[] {
  return t.files.filter((f) => !dataDir || !existsSync(join(dataDir, f)));
}
