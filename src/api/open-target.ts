import { findTarget } from '../targets/registry.js';
import type { Capability, OpenOptions, TableTarget } from '../targets/types.js';

export interface OpenTargetOptions extends OpenOptions {
  /** What the target is opened for (default 'search'): a space that cannot do it is refused by name. */
  readonly for?: Capability;
}

/**
 * A registry space opened with its block table: `openTarget('nb201', { dataDir, dataset, device })` estimates the
 * table from the benchmark, `openTarget('mbv3-mini')` loads the shipped one. Errors name the option field.
 */
export function openTarget(name: string, options: OpenTargetOptions = {}): Promise<TableTarget> {
  const { for: capability = 'search', ...o } = options;
  const entry = findTarget(name, capability);
  if (!entry.openTable) throw new Error(`registry entry ${name} claims ${capability} but has no block table`);
  return entry.openTable(o);
}
