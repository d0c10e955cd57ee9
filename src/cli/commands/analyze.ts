import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { SpaceReport } from '../../analysis/analyze.js';
import { analyze } from '../../api/analyze.js';
import { DEFAULT_PDS, PDS_VARIANTS, type PdsVariant } from '../../analysis/pds.js';
import { writeTextAtomic } from '../../data/write.js';
import { writeJsonAtomic } from '../../data/write.js';
import { printJson, renderTable } from '../format.js';

interface AnalyzeOptions {
  dataDir?: string;
  json?: boolean;
  outDir: string;
  pds: string;
}

/** Exact counts up to a billion, scientific beyond: the table compares orders of magnitude there. */
function count(decimal: string | null): string {
  if (decimal === null) return 'n/a';
  return decimal.length <= 10 ? decimal : Number(decimal).toExponential(3);
}

const orNa = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x);

/** The table shows the chosen PDS and, for contrast, the literal one (or the robust one when literal is chosen). */
const contrast = (v: PdsVariant): PdsVariant => (v === 'minmax' ? 'robust' : 'minmax');

function row(s: SpaceReport, variant: PdsVariant): (string | number)[] {
  const p = s.performanceDiversity;
  const a = s.architectureDiversity;
  return [
    s.name,
    count(s.size.total),
    count(s.size.unique),
    orNa(p?.pds[variant]),
    orNa(p?.pds[contrast(variant)]),
    orNa(p?.kendall),
    orNa(a.totalVariance),
    `${a.population} ${a.archs}`,
    s.multiTask.count,
  ];
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze <space...>')
    .description('compare search spaces before searching: size, performance diversity, architecture diversity, tasks')
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--json', 'machine-readable JSON output')
    .option('--out-dir <dir>', 'where analysis.json and analysis-radar.svg go', 'blocknas-out/analysis')
    .option('--pds <variant>', `PDS variant for the table and chart: ${PDS_VARIANTS.join(', ')}`, DEFAULT_PDS)
    .action((spaces: string[], opts: AnalyzeOptions) => {
      const variant = opts.pds as PdsVariant;
      const { report, radar, svg } = analyze({ spaces, pds: opts.pds, ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });

      const outDir = resolve(opts.outDir);
      mkdirSync(outDir, { recursive: true });
      const files = { json: join(outDir, 'analysis.json'), radar: join(outDir, 'analysis-radar.svg') };
      writeTextAtomic(files.radar, svg);
      const full = { ...report, radar, files };
      writeJsonAtomic(files.json, full);
      if (opts.json) return printJson(full);

      const header = ['space', 'archs', 'unique', `PDS ${variant}`, `PDS ${contrast(variant)}`, 'kendall', 'arch var', 'arch pop', 'tasks'];
      console.log(renderTable(header, report.spaces.map((s) => row(s, variant))));
      console.log(
        'archs: size of the encoding; unique: distinct networks where known; PDS and kendall (jacob_cov vs accuracy): means over tasks; arch var: total variance of the layer-type fractions over arch pop',
      );
      for (const s of report.spaces) {
        for (const c of s.checks.filter((c) => !c.ok)) console.log(`${s.name}: CHECK FAILED: ${c.detail}`);
        for (const na of s.notAvailable) console.log(`${s.name}: ${na.property} ${na.reason}`);
        if (s.multiTask.source) console.log(`${s.name}: tasks: ${s.multiTask.tasks.join(', ')}, from ${s.multiTask.source}`);
        for (const note of s.notes) console.log(`${s.name}: ${note}`);
      }
      console.log(`wrote ${files.json}`);
      console.log(`wrote ${files.radar}`);
    });
}
