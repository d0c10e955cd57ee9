import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { predict } from '../../predict/predict.js';
import { productSize } from '../../space/space.js';
import { printJson, renderTable } from '../format.js';
import { withCommon } from '../options.js';
import { costWarnings, metricRows } from '../search-report.js';
import { predictArchitecture } from '../../api/predict.js';
import { openSession, type CommonOptions } from '../session.js';

export function registerPredict(program: Command): void {
  withCommon(
    program
      .command('predict <space> [arch]')
      .description('predict one architecture from its blocks, or every architecture with --all (CSV)')
      .option('--all', 'predict every architecture of a tabular benchmark, as CSV with a header'),
  ).action(async (space: string, arch: string | undefined, opts: CommonOptions & { all?: boolean }) => {
    if (!arch && !opts.all) throw new UserError('predict: give an architecture string or --all');
    const s = await openSession(space, { ...opts, json: opts.json || opts.all }, 'predict');
    const cols = [s.accuracy, s.latency, s.energy].filter((c): c is string => c !== undefined);
    if (opts.all) {
      if (!s.bench) throw new UserError(`--all: space ${s.name} has ${productSize(s.space)} architectures; --all is for tabular benchmarks`);
      const out = [`index,arch,${cols.map((c) => `predicted_${c.replace(':', '_')}`).join(',')}`];
      s.bench.genomes.forEach((g, i) => {
        const p = predict(s.table, s.space, g);
        out.push(`${i},${s.space.format(g)},${cols.map((c) => p[c]!.toFixed(6)).join(',')}`);
      });
      process.stdout.write(out.join('\n') + '\n');
      return;
    }
    const { table, costs, ...d } = await predictArchitecture({ space: s, arch: arch! });
    if (opts.json) return printJson({ ...d, costs, estimator: s.table.estimator, evaluated: s.table.evaluated });
    console.log(`${d.arch}${d.index !== undefined ? ` (index ${d.index})` : ''}; ${s.table.estimator}, ${s.table.evaluated} networks evaluated`);
    const { header, rows } = metricRows(table, d.predicted, costs, d.true);
    console.log(renderTable(header, rows));
    for (const w of costWarnings(table, costs, s.units)) console.log(`warning: ${w}`);
  });
}
