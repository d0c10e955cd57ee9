import type { Command } from 'commander';
import { validate } from '../../api/validate.js';
import { printJson, renderTable } from '../format.js';
import { withCommon } from '../options.js';
import { openSession, type CommonOptions } from '../session.js';

export function registerValidate(program: Command): void {
  withCommon(
    program.command('validate <space>').description('rank correlation of predicted against true, for every metric'),
  ).action(async (space: string, opts: CommonOptions) => {
    const { target: s, metrics: rows } = await validate({ space: await openSession(space, opts, 'validate') });
    if (opts.json) return printJson({ estimator: s.table.estimator, evaluated: s.table.evaluated, metrics: rows });
    console.log(`${s.table.estimator} on ${space}: ${s.table.evaluated} networks evaluated; over all ${s.bench!.genomes.length} architectures:`);
    console.log(renderTable(['metric', 'archs', 'spearman', 'kendall', 'mean |error|'], rows.map((r) => [r.metric, r.count, r.spearman, r.kendall, r.meanAbsError])));
  });
}
