import type { Command } from 'commander';
import { resolveDataDir, DATA_ENV } from '../../data/dir.js';
import { ESTIMATORS } from '../../predict/estimators/index.js';
import { missingTargetFiles, TARGETS } from '../../targets/registry.js';
import type { TargetDetails, TargetEntry } from '../../targets/types.js';
import { printJson, renderTable } from '../format.js';

interface SpaceInfo extends Partial<TargetDetails> {
  name: string;
  kind: TargetEntry['kind'];
  available: boolean;
  description: string;
  commands: readonly string[];
  defaults: TargetEntry['defaults'];
  missing?: string[];
}

/** What the registry says about a space, with its size and metrics where its data is there. */
function spaceInfo(t: TargetEntry, dir: string | undefined): SpaceInfo {
  const base = { name: t.name, kind: t.kind, description: t.description, commands: t.capabilities, defaults: t.defaults };
  const missing = missingTargetFiles(t, dir);
  if (missing.length > 0) return { ...base, available: false, missing };
  return { ...base, available: true, ...(t.describe ? t.describe(dir) : {}) };
}

export function registerSpaces(program: Command): void {
  program
    .command('spaces')
    .description('every space blocknas knows: what it can do, its datasets, devices and metrics, and the data it needs')
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--json', 'machine-readable JSON output')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const dir = resolveDataDir(opts.dataDir);
      const spaces = TARGETS.map((t) => spaceInfo(t, dir));
      if (opts.json) return printJson({ dataDir: dir ?? null, spaces, estimators: ESTIMATORS.map((e) => e.name) });
      if (!dir) console.log(`no data directory (pass --data-dir or set ${DATA_ENV}): only built-in spaces are available`);
      for (const s of spaces) {
        console.log(`${s.name}: ${s.description}`);
        console.log(`  commands: ${s.commands.join(', ')}`);
        if (!s.available) {
          console.log(`  not available: missing ${s.missing!.join(', ')}`);
          continue;
        }
        if (s.nodes === undefined) continue;
        const defaults = [s.defaults.dataset && `dataset ${s.defaults.dataset}`, s.defaults.device && `device ${s.defaults.device}`].filter(Boolean);
        console.log(`  ${s.nodes} nodes, ${s.size!.toLocaleString('en-US')} architectures${defaults.length ? `; default ${defaults.join(', ')}` : ''}`);
        console.log(`  datasets: ${s.datasets!.join(', ')}`);
        console.log(`  devices:  ${s.devices!.join(', ') || '(none: FLOPs only)'}`);
        if (s.metrics && s.metrics.length > 0) console.log(renderTable(['metric', 'unit', 'source'], s.metrics.map((m) => [m.id, m.unit, m.source])).replace(/^/gm, '  '));
      }
      console.log(`estimators: ${ESTIMATORS.map((e) => `${e.name} (${e.description})`).join('; ')}`);
    });
}
