import type { Command } from 'commander';
import { BENCHMARKS, loadBenchmark, missingFiles } from '../../benchmarks/registry.js';
import { resolveDataDir, DATA_ENV } from '../../data/dir.js';
import { ESTIMATORS } from '../../predict/estimators/index.js';
import { printJson, renderTable } from '../format.js';

export function registerSpaces(program: Command): void {
  program
    .command('spaces')
    .description('spaces, datasets, devices and metrics available in the data directory')
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--json', 'machine-readable JSON output')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const dir = resolveDataDir(opts.dataDir);
      const spaces = BENCHMARKS.map((entry) => {
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
          datasets: b.datasets,
          devices: b.devices,
          metrics: b.metrics.map((m) => ({ id: m.id, unit: m.unit, source: m.source })),
        };
      });
      if (opts.json) return printJson({ dataDir: dir ?? null, spaces, estimators: ESTIMATORS.map((e) => e.name) });
      if (!dir) console.log(`no data directory (pass --data-dir or set ${DATA_ENV}); spaces that need one:`);
      for (const s of spaces) {
        console.log(`${s.name}: ${s.description}`);
        if (!('datasets' in s)) {
          console.log(`  not available: missing ${s.missing.join(', ')}`);
          continue;
        }
        console.log(`  ${s.nodes} nodes, ${s.size} architectures`);
        console.log(`  datasets: ${s.datasets!.join(', ')}`);
        console.log(`  devices:  ${s.devices!.join(', ')}`);
        console.log(renderTable(['metric', 'unit', 'source'], s.metrics!.map((m) => [m.id, m.unit, m.source])).replace(/^/gm, '  '));
      }
      console.log(`estimators: ${ESTIMATORS.map((e) => `${e.name} (${e.description})`).join('; ')}`);
    });
}
