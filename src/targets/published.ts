import { MATHNAS_DATASET, MATHNAS_DEVICES, MATHNAS_SPACES, mathnasTable, type MathnasSpaceName } from '../benchmarks/mathnas-tables.js';
import { requireDataDir } from '../data/dir.js';
import { fieldError } from '../errors.js';
import { readBlockTable } from '../core/block-table-file.js';
import { checkTableFits } from '../predict/predict.js';
import { countGenomes } from '../space/count.js';
import type { TableTarget, TargetEntry } from './types.js';

/** Written into the table `estimate` saves for these spaces, so whoever loads the file knows its origin. */
export const PUBLISHED_TABLE_NOTE = "MathNAS's published block table, as released: blocknas estimated nothing and evaluated no network for it";

const FILES = ['mathnas/mathnas_tables.json', 'mathnas/mathnas_results.json', 'hat/hat_latency_dataset.csv'];

const DESCRIPTIONS: Readonly<Record<MathnasSpaceName, string>> = {
  mobilenetv3: 'once-for-all MobileNetV3: 5 stages x 5 candidate stage configurations',
  supertransformer: 'HAT SuperTransformer (WMT14 En-De): 6 encoder x 6 options, up to 6 decoder layers x 36 options',
  supervit: 'SuperViT: 4 input resolutions x 9 choice groups',
};

const UNITS: Readonly<Record<string, string>> = { accuracy: '%', latency: 'ms', flops: 'MFLOPs', energy: 'mJ', params: 'M' };

/**
 * A space that comes with MathNAS's published block table: nothing here evaluates a network, so there is no
 * estimator to choose and no ground truth to compare with.
 */
function publishedEntry(name: MathnasSpaceName): TargetEntry {
  const dataset = MATHNAS_DATASET[name];
  const devices = MATHNAS_DEVICES[name];
  return {
    name,
    kind: 'published-table',
    description: `${DESCRIPTIONS[name]} (MathNAS's published block table; predictions only)`,
    files: FILES,
    defaults: { dataset, ...(devices[0] ? { device: devices[0] } : {}) },
    capabilities: ['estimate', 'predict', 'search', 'switch', 'analyze'],
    describe(dataDir) {
      const { space } = mathnasTable(requireDataDir(dataDir), name, devices[0]);
      return { nodes: space.nodes.length, size: Number(countGenomes(space)), datasets: [dataset], devices };
    },
    async openTable(o): Promise<TableTarget> {
      for (const [field, v] of [['estimator', o.estimator], ['budget', o.budget]] as const) {
        if (v !== undefined) throw fieldError(field, `space ${name} comes with MathNAS's published block table; nothing evaluates networks for it`);
      }
      if (o.dataset !== undefined && o.dataset !== dataset) throw fieldError('dataset', `space ${name} has results for ${dataset} only, not "${o.dataset}"`);
      const device = o.device ?? devices[0];
      if (device !== undefined && !devices.includes(device)) {
        throw fieldError('device', `"${device}" is not a ${name} device (${devices.length > 0 ? `one of ${devices.join(', ')}` : 'it has no device; limit FLOPs instead'})`);
      }
      const { space, table: published } = mathnasTable(requireDataDir(o.dataDir), name, device);
      const table = o.table ? readBlockTable(o.table) : published;
      checkTableFits(table, space);
      const has = (id: string) => table.metrics.some((m) => m.metric === id);
      const latency = device && has(`latency:${device}`) ? `latency:${device}` : undefined;
      const flops = has(`flops:${dataset}`) ? `flops:${dataset}` : undefined;
      return {
        name,
        space,
        dataset,
        ...(device ? { device } : {}),
        accuracy: `accuracy:${dataset}`,
        ...(latency ? { latency } : {}),
        ...(flops ? { flops } : {}),
        table,
        units: Object.fromEntries(table.metrics.map((m) => [m.metric, m.metric.includes('wmt') ? 'BLEU' : UNITS[m.metric.split(':')[0]!] ?? ''])),
      };
    },
  };
}

export const PUBLISHED_TARGETS: readonly TargetEntry[] = MATHNAS_SPACES.map(publishedEntry);
