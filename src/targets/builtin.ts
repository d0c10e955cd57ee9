import { builtinMeasure, tableLatencySettings } from '../builtin/measure.js';
import { BUILTIN_DESCRIPTIONS, BUILTIN_DEVICES, BUILTIN_SPACES, builtinSpace, hasShippedTable, shippedTablePath, type BuiltinSpaceName } from '../builtin/spaces.js';
import { DATASET_NAMES } from '../data/datasets.js';
import { fieldError, UserError } from '../errors.js';
import { readBlockTable } from '../core/block-table-file.js';
import { checkTableFits } from '../predict/predict.js';
import { countGenomes } from '../space/count.js';
import type { TableTarget, TargetEntry } from './types.js';

const UNITS: Readonly<Record<string, string>> = { accuracy: '%', latency: 'ms', flops: 'M', params: 'M' };

/**
 * A built-in space: its block table is the one shipped with blocknas (or `table`), made by estimation on networks
 * trained and timed here. There is no tabular ground truth; the dataset and device are the table's.
 */
function builtinEntry(name: BuiltinSpaceName): TargetEntry {
  const shipped = hasShippedTable(name);
  return {
    name,
    kind: 'builtin',
    description: `${BUILTIN_DESCRIPTIONS[name]} (built in: no data directory needed${shipped ? '' : '; no shipped table, estimate one'})`,
    files: [],
    // The dataset and device are the table's: the shipped one is for Fashion-MNIST on the wasm backend.
    defaults: {},
    capabilities: ['estimate', 'predict', 'search', 'switch', 'evolve'],
    describe() {
      const space = builtinSpace(name);
      return { nodes: space.nodes.length, size: Number(countGenomes(space)), datasets: DATASET_NAMES, devices: BUILTIN_DEVICES };
    },
    async openTable(o): Promise<TableTarget> {
      for (const [field, v] of [['estimator', o.estimator], ['budget', o.budget]] as const) {
        if (v !== undefined) throw fieldError(field, `space ${name} searches its block table; estimate a new one (blocknas estimate ${name}) and pass it as the table`);
      }
      if (!o.table && !hasShippedTable(name)) throw new UserError(`space ${name}: no shipped table at ${shippedTablePath(name)}; estimate one and pass it as the table`);
      const file = o.table ?? shippedTablePath(name);
      const table = readBlockTable(file);
      const space = builtinSpace(name);
      checkTableFits(table, space);
      const accuracy = table.metrics[0]!.metric;
      const dataset = table.dataset ?? accuracy.slice('accuracy:'.length).replace(/-val$/, '');
      const devices = table.metrics.map((m) => m.metric).filter((m) => m.startsWith('latency:')).map((m) => m.slice('latency:'.length));
      if (o.dataset !== undefined && o.dataset !== dataset) {
        throw fieldError('dataset', `the ${name} table ${file} is for ${dataset}, not "${o.dataset}"; estimate one for that dataset`);
      }
      const device = o.device ?? devices[0];
      if (device !== undefined && !devices.includes(device)) throw fieldError('device', `the ${name} table ${file} has latency for ${devices.join(', ') || 'no device'}, not "${device}"`);
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
        // Timing takes seconds and varies between runs (docs/notes/2026-12-07-verify-builtin.md): verification is asked for.
        measure: builtinMeasure(name, tableLatencySettings(table)),
        measuredBy: 'timing',
      };
    },
  };
}

export const BUILTIN_TARGETS: readonly TargetEntry[] = BUILTIN_SPACES.map(builtinEntry);
