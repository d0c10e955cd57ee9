import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { predict } from '../../predict/predict.js';
import { printJson, renderTable } from '../format.js';
import { withCommon } from '../options.js';
import { openSession, type CommonOptions } from '../session.js';

export function registerPredict(program: Command): void {
  withCommon(
    program
      .command('predict <space> [arch]')
      .description('predict one architecture from its blocks, or every architecture with --all (CSV)')
      .option('--all', 'predict every architecture of the space, as CSV with a header'),
  ).action(async (space: string, arch: string | undefined, opts: CommonOptions & { all?: boolean }) => {
    if (!arch && !opts.all) throw new UserError('predict: give an architecture string or --all');
    const s = await openSession(space, { ...opts, json: opts.json || opts.all });
    const { bench, table } = s;
    if (opts.all) {
      const cols = [s.accuracy, s.latency, ...(s.energy ? [s.energy] : [])];
      const out = [`index,arch,${cols.map((c) => `predicted_${c.replace(':', '_')}`).join(',')}`];
      bench.genomes.forEach((g, i) => {
        const p = predict(table, bench.space, g);
        out.push(`${i},${bench.space.format(g)},${cols.map((c) => p[c]!.toFixed(6)).join(',')}`);
      });
      process.stdout.write(out.join('\n') + '\n');
      return;
    }
    const g = bench.space.parse(arch!);
    const p = predict(table, bench.space, g);
    const index = bench.indexOf(g);
    const truth = Object.fromEntries(table.metrics.map((t) => [t.metric, bench.values(t.metric)[index]!]));
    if (opts.json) return printJson({ arch: bench.space.format(g), index, predicted: p, true: truth, estimator: table.estimator, evaluated: table.evaluated });
    console.log(`${bench.space.format(g)} (index ${index}); ${table.estimator}, ${table.evaluated} networks evaluated`);
    console.log(renderTable(['metric', 'predicted', 'true'], table.metrics.map((t) => [t.metric, p[t.metric]!, truth[t.metric]!])));
  });
}
