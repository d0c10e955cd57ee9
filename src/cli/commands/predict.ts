import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { predict } from '../../predict/predict.js';
import { productSize } from '../../space/space.js';
import { printJson, renderTable } from '../format.js';
import { withCommon } from '../options.js';
import { describe } from '../search-report.js';
import { openSession, type CommonOptions } from '../session.js';

export function registerPredict(program: Command): void {
  withCommon(
    program
      .command('predict <space> [arch]')
      .description('predict one architecture from its blocks, or every architecture with --all (CSV)')
      .option('--all', 'predict every architecture of a tabular benchmark, as CSV with a header'),
  ).action(async (space: string, arch: string | undefined, opts: CommonOptions & { all?: boolean }) => {
    if (!arch && !opts.all) throw new UserError('predict: give an architecture string or --all');
    const s = await openSession(space, { ...opts, json: opts.json || opts.all });
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
    const d = describe(s, s.space.parse(arch!));
    if (opts.json) return printJson({ ...d, estimator: s.table.estimator, evaluated: s.table.evaluated });
    console.log(`${d.arch}${d.index !== undefined ? ` (index ${d.index})` : ''}; ${s.table.estimator}, ${s.table.evaluated} networks evaluated`);
    const metrics = s.table.metrics.map((t) => t.metric);
    const rows = metrics.map((m) => (d.true ? [m, d.predicted[m]!, d.true[m]!] : [m, d.predicted[m]!]));
    console.log(renderTable(d.true ? ['metric', 'predicted', 'true'] : ['metric', 'predicted'], rows));
  });
}
