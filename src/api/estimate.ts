import type { BlockTable } from '../core/block-table.js';
import { requireDataDir } from '../data/dir.js';
import { fieldError } from '../errors.js';
import { PUBLISHED_TABLE_NOTE } from '../targets/published.js';
import { findTarget } from '../targets/registry.js';
import { benchmarkChoice, estimateBenchmarkTable } from '../targets/tabular.js';
import type { OpenOptions, TargetEntry } from '../targets/types.js';
import type { SearchSpace } from '../space/types.js';

export interface EstimateOptions extends Omit<OpenOptions, 'table'> {
  /** A registry space name, or an entry (a space file's: targets/space-file.ts). Built-in spaces estimate through builtin/estimate.ts. */
  readonly space: string | TargetEntry;
}

export interface EstimateResult {
  readonly space: string;
  readonly table: BlockTable;
  /** The space the table indexes. */
  readonly searchSpace: SearchSpace;
  readonly dataset: string;
  readonly devices: readonly string[];
  readonly seconds: number;
}

/**
 * A space's block table: estimated from networks of a tabular benchmark or evaluated by a space file's command,
 * or, for MathNAS's spaces, the published table as released (noted in it). The same call as `blocknas estimate`.
 */
export async function estimateBlocks(o: EstimateOptions): Promise<EstimateResult> {
  const entry = typeof o.space === 'string' ? findTarget(o.space, 'estimate') : o.space;
  const t0 = performance.now();
  const done = (table: BlockTable, searchSpace: SearchSpace, dataset: string, devices: readonly string[]): EstimateResult => ({ space: entry.name, table, searchSpace, dataset, devices, seconds: (performance.now() - t0) / 1000 });
  switch (entry.kind) {
    case 'tabular': {
      const bench = entry.benchmark!(requireDataDir(o.dataDir));
      const { dataset, devices } = benchmarkChoice(bench, o, { dataset: entry.defaults.dataset!, device: entry.defaults.device! });
      return done(await estimateBenchmarkTable(bench, dataset, devices, o), bench.space, dataset, devices);
    }
    case 'published-table': {
      const t = await entry.openTable!(o);
      return done({ ...t.table, notes: [PUBLISHED_TABLE_NOTE, ...(t.table.notes ?? [])] }, t.space, t.dataset, t.device ? [t.device] : []);
    }
    case 'file': {
      const t = await entry.openTable!(o);
      return done(t.table, t.space, t.dataset, t.device ? [t.device] : []);
    }
    default:
      throw fieldError('space', `space ${entry.name} (${entry.kind}) is estimated by its own pipeline (builtin/estimate.ts: estimateBuiltinTable), not estimateBlocks`);
  }
}
