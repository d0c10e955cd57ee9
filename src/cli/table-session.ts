import { UserError } from '../errors.js';
import { MATHNAS_DATASET, MATHNAS_DEVICES, MATHNAS_SPACES, mathnasTable, type MathnasSpaceName } from '../benchmarks/mathnas-tables.js';
import { requireDataDir } from '../data/dir.js';
import { readBlockTable } from '../core/block-table-file.js';
import { checkTableFits } from '../predict/predict.js';
import type { CommonOptions, Session } from './session.js';

export function isTableSpace(name: string): name is MathnasSpaceName {
  return (MATHNAS_SPACES as readonly string[]).includes(name);
}

/** Written into the table `blocknas estimate` saves for these spaces, so whoever loads the file knows its origin. */
export const PUBLISHED_TABLE_NOTE = "MathNAS's published block table, as released: blocknas estimated nothing and evaluated no network for it";

const UNITS: Readonly<Record<string, string>> = { accuracy: '%', latency: 'ms', flops: 'MFLOPs', energy: 'mJ', params: 'M' };

/**
 * A space that comes with MathNAS's published block table: nothing here can evaluate a network, so there is no
 * estimator to choose and no ground truth to compare with.
 */
export function openTableSession(name: MathnasSpaceName, opts: CommonOptions): Session {
  for (const [flag, v] of [['--estimator', opts.estimator], ['--budget', opts.budget]] as const) {
    if (v !== undefined) throw new UserError(`${flag}: space ${name} comes with MathNAS's published block table; nothing evaluates networks for it`);
  }
  const dataset = MATHNAS_DATASET[name];
  if (opts.dataset !== undefined && opts.dataset !== dataset) {
    throw new UserError(`--dataset: space ${name} has results for ${dataset} only, not "${opts.dataset}"`);
  }
  const devices = MATHNAS_DEVICES[name];
  const device = opts.device ?? devices[0];
  if (device !== undefined && !devices.includes(device)) {
    const known = devices.length > 0 ? `one of ${devices.join(', ')}` : 'it has no device; limit --max-flops';
    throw new UserError(`--device: "${device}" is not a ${name} device (${known})`);
  }
  const dataDir = requireDataDir(opts.dataDir);
  const { space, table: published } = mathnasTable(dataDir, name, device);
  const table = opts.table ? readBlockTable(opts.table) : published;
  checkTableFits(table, space);
  const has = (id: string) => table.metrics.some((m) => m.metric === id);
  const latency = device && has(`latency:${device}`) ? `latency:${device}` : undefined;
  const flops = has(`flops:${dataset}`) ? `flops:${dataset}` : undefined;
  const units = Object.fromEntries(table.metrics.map((m) => [m.metric, m.metric.includes('wmt') ? 'BLEU' : UNITS[m.metric.split(':')[0]!] ?? '']));
  return {
    name,
    space,
    dataset,
    ...(device ? { device } : {}),
    accuracy: `accuracy:${dataset}`,
    ...(latency ? { latency } : {}),
    ...(flops ? { flops } : {}),
    table,
    units,
  };
}
