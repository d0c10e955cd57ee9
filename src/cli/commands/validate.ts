import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { validateTable } from '../../predict/validate-table.js';
import { printJson, renderTable } from '../format.js';
import { withCommon } from '../options.js';
import { openSession, type CommonOptions } from '../session.js';

export function registerValidate(program: Command): void {
  withCommon(
    program.command('validate <space>').description('rank correlation of predicted against true, for every metric'),
  ).action(async (space: string, opts: CommonOptions) => {
    const s = await openSession(space, opts, 'validate');
    if (!s.bench) throw new UserError(`validate: space ${s.name} has no ground truth to validate against (it is not a tabular benchmark)`);
    const rows = validateTable(s.table, s.bench);
    if (opts.json) return printJson({ estimator: s.table.estimator, evaluated: s.table.evaluated, metrics: rows });
    console.log(`${s.table.estimator} on ${space}: ${s.table.evaluated} networks evaluated; over all ${s.bench.genomes.length} architectures:`);
    console.log(renderTable(['metric', 'archs', 'spearman', 'kendall', 'mean |error|'], rows.map((r) => [r.metric, r.count, r.spearman, r.kendall, r.meanAbsError])));
  });
}
