import { builtinMeasure, tableLatencySettings } from '../builtin/measure.js';
import { builtinSpace, type BuiltinSpaceName, hasShippedTable, shippedTablePath } from '../builtin/spaces.js';
import { UserError } from '../errors.js';
import { readBlockTable } from '../core/block-table-file.js';
import { checkTableFits } from '../predict/predict.js';
import type { CommonOptions, Session } from './session.js';

const UNITS: Readonly<Record<string, string>> = { accuracy: '%', latency: 'ms', flops: 'M', params: 'M' };

/**
 * A built-in space: its block table is the one shipped with blocknas (or --table), made by `blocknas estimate` on
 * networks trained and timed here. There is no tabular ground truth, so --refine and ground-truth comparisons are
 * not available; the dataset and device are the table's.
 */
export function openBuiltinSession(name: BuiltinSpaceName, opts: CommonOptions): Session {
  for (const [flag, v] of [['--estimator', opts.estimator], ['--budget', opts.budget]] as const) {
    if (v !== undefined) throw new UserError(`${flag}: space ${name} searches its block table; estimate a new one with \`blocknas estimate ${name} --out <file>\` and pass it with --table`);
  }
  if (!opts.table && !hasShippedTable(name)) {
    throw new UserError(`space ${name}: no shipped table at ${shippedTablePath(name)}; make one with \`blocknas estimate ${name} --out <file>\` and pass --table`);
  }
  const file = opts.table ?? shippedTablePath(name);
  const table = readBlockTable(file);
  const space = builtinSpace(name);
  checkTableFits(table, space);
  const accuracy = table.metrics[0]!.metric;
  const dataset = table.dataset ?? accuracy.slice('accuracy:'.length).replace(/-val$/, '');
  const latencies = table.metrics.map((m) => m.metric).filter((m) => m.startsWith('latency:'));
  const devices = latencies.map((m) => m.slice('latency:'.length));
  if (opts.dataset !== undefined && opts.dataset !== dataset) {
    throw new UserError(`--dataset: the ${name} table ${file} is for ${dataset}, not "${opts.dataset}"; estimate one for it with \`blocknas estimate ${name} --dataset ${opts.dataset}\``);
  }
  const device = opts.device ?? devices[0];
  if (device !== undefined && !devices.includes(device)) {
    throw new UserError(`--device: the ${name} table ${file} has latency for ${devices.join(', ') || 'no device'}, not "${device}"`);
  }
  const has = (id: string) => table.metrics.some((m) => m.metric === id);
  return {
    name,
    space,
    dataset,
    ...(device ? { device, latency: `latency:${device}` } : {}),
    accuracy,
    ...(has('flops') ? { flops: 'flops' } : {}),
    table,
    units: Object.fromEntries(table.metrics.map((m) => [m.metric, UNITS[m.metric.split(':')[0]!] ?? ''])),
    // Timing takes seconds and varies between runs (docs/notes/2026-12-07-verify-builtin.md): search --verify asks for it.
    measure: builtinMeasure(name, tableLatencySettings(table)),
    measuredBy: 'timing',
  };
}
