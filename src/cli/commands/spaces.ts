import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { countGenomes } from '../../space/count.js';
import { MATHNAS_DATASET, MATHNAS_DEVICES, MATHNAS_SPACES, mathnasTable } from '../../benchmarks/mathnas-tables.js';
import { BENCHMARKS, loadBenchmark, missingFiles } from '../../benchmarks/registry.js';
import { resolveDataDir, DATA_ENV } from '../../data/dir.js';
import { ESTIMATORS } from '../../predict/estimators/index.js';
import { BUILTIN_DESCRIPTIONS, BUILTIN_DEVICES, BUILTIN_SPACES, builtinSpace, hasShippedTable } from '../../builtin/spaces.js';
import { DATASET_NAMES } from '../../data/datasets.js';
import { printJson, renderTable } from '../format.js';

const MATHNAS_FILES = ['mathnas/mathnas_tables.json', 'mathnas/mathnas_results.json', 'hat/hat_latency_dataset.csv'];
const TABLE_DESCRIPTIONS: Record<string, string> = {
  mobilenetv3: 'once-for-all MobileNetV3: 5 stages x 5 candidate stage configurations',
  supertransformer: 'HAT SuperTransformer (WMT14 En-De): 6 encoder x 6 options, up to 6 decoder layers x 36 options',
  supervit: 'SuperViT: 4 input resolutions x 9 choice groups',
};

interface SpaceInfo {
  name: string;
  available: boolean;
  description: string;
  missing?: string[];
  nodes?: number;
  size?: number;
  datasets?: string[];
  devices?: string[];
  metrics?: { id: string; unit: string; source: string }[];
}

export function registerSpaces(program: Command): void {
  program
    .command('spaces')
    .description('spaces, datasets, devices and metrics available in the data directory')
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--json', 'machine-readable JSON output')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const dir = resolveDataDir(opts.dataDir);
      const spaces: SpaceInfo[] = BENCHMARKS.map((entry) => {
        const missing = dir ? missingFiles(entry, dir) : entry.files.slice();
        if (!dir || missing.length > 0) return { name: entry.name, available: false, description: entry.description, missing };
        const b = loadBenchmark(entry.name, dir);
        const size = b.space.nodes.reduce((s, n) => s * n.blocks.length, 1);
        return {
          name: entry.name,
          available: true,
          description: entry.description,
          nodes: b.space.nodes.length,
          size,
          datasets: [...b.datasets],
          devices: [...b.devices],
          metrics: b.metrics.map((m) => ({ id: m.id, unit: m.unit, source: m.source })),
        };
      });
      const tables = MATHNAS_SPACES.map((name) => {
        const description = `${TABLE_DESCRIPTIONS[name]} (MathNAS's published block table; predictions only)`;
        const missing = dir ? MATHNAS_FILES.filter((f) => !existsSync(join(dir, f))) : [...MATHNAS_FILES];
        if (!dir || missing.length > 0) return { name, available: false, description, missing };
        const { space } = mathnasTable(dir, name, MATHNAS_DEVICES[name][0]);
        return { name, available: true, description, nodes: space.nodes.length, size: Number(countGenomes(space)), datasets: [MATHNAS_DATASET[name]], devices: [...MATHNAS_DEVICES[name]], metrics: [] };
      });
      spaces.push(...tables);
      const builtin = BUILTIN_SPACES.map((name): SpaceInfo => {
        const space = builtinSpace(name);
        const shipped = hasShippedTable(name);
        const description = `${BUILTIN_DESCRIPTIONS[name]} (built in: no data directory needed${shipped ? '' : '; no shipped table, estimate one'})`;
        return { name, available: true, description, nodes: space.nodes.length, size: Number(countGenomes(space)), datasets: [...DATASET_NAMES], devices: [...BUILTIN_DEVICES], metrics: [] };
      });
      spaces.unshift(...builtin);
      if (opts.json) return printJson({ dataDir: dir ?? null, spaces, estimators: ESTIMATORS.map((e) => e.name) });
      if (!dir) console.log(`no data directory (pass --data-dir or set ${DATA_ENV}): only built-in spaces are available`);
      for (const s of spaces) {
        console.log(`${s.name}: ${s.description}`);
        if (!s.available) {
          console.log(`  not available: missing ${s.missing!.join(', ')}`);
          continue;
        }
        console.log(`  ${s.nodes} nodes, ${s.size!.toLocaleString('en-US')} architectures`);
        console.log(`  datasets: ${s.datasets!.join(', ')}`);
        console.log(`  devices:  ${s.devices!.join(', ') || '(none: FLOPs only)'}`);
        if (s.metrics!.length > 0) console.log(renderTable(['metric', 'unit', 'source'], s.metrics!.map((m) => [m.id, m.unit, m.source])).replace(/^/gm, '  '));
      }
      console.log(`estimators: ${ESTIMATORS.map((e) => `${e.name} (${e.description})`).join('; ')}`);
    });
}
