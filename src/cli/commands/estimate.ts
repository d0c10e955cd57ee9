import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { writeJsonAtomic } from '../../data/write.js';
import type { BlockTable } from '../../core/block-table.js';
import { BUILTIN_SPACES, builtinSpace, type BuiltinSpaceName } from '../../builtin/spaces.js';
import { openProvisionalSqliteStore } from '../../store/sqlite.js';
import { openEntry, withSpaceFile, type SpaceFileFlags } from '../space-file.js';
import { resolve } from 'node:path';
import { estimateBlocks } from '../../api/estimate.js';
import type { TargetEntry } from '../../targets/types.js';
import { BUILTIN_ONLY_FLAGS, type BuiltinEstimateOptions, estimateBuiltin } from '../estimate-builtin.js';
import { printJson, renderTable } from '../format.js';
import { withBuiltinFlags, withCommon } from '../options.js';
import { flagOf } from '../flags.js';
import { openOptions, type CommonOptions } from '../session.js';

export function registerEstimate(program: Command): void {
  withCommon(
    withSpaceFile(withBuiltinFlags(
      program
        .command('estimate [space]')
        .description('estimate the block table (every block\'s effect on accuracy, latency, energy) and write it to a file')
        .requiredOption('-o, --out <file>', 'where to write the block table (JSON)')
        .option('--store <file>', 'built-in spaces and space files: SQLite store of evaluations (and training checkpoints); rerunning the same command resumes'),
    )),
    { table: false },
  ).action(async (spaceArg: string | undefined, opts: CommonOptions & BuiltinEstimateOptions & SpaceFileFlags & { out: string }) => {
    if (!opts.out.endsWith('.json')) throw new UserError(`--out: expected a .json file name, got "${opts.out}"`);
    if (opts.spaceFile !== undefined) return estimateSpaceFile(spaceArg, opts);
    const entry = openEntry(spaceArg, opts, 'estimate');
    const space = entry.name;
    if (entry.kind === 'builtin') return estimateBuiltinCommand(space as BuiltinSpaceName, opts);
    const builtinOnly = BUILTIN_ONLY_FLAGS.find((f) => opts[f] !== undefined);
    if (builtinOnly) throw new UserError(`${flagOf(builtinOnly)}: only for built-in spaces (${BUILTIN_SPACES.join(', ')}); ${space} is evaluated from its data`);
    if (entry.kind === 'published-table') return writePublished(entry, opts);
    const r = await estimateBlocks({ space: entry, ...openOptions(opts, `estimate ${space} (${opts.estimator ?? 'regression'})`) });
    const { table } = r;
    const ms = r.seconds * 1000;
    writeJsonAtomic(opts.out, table);
    if (opts.json) return printJson({ file: opts.out, estimator: table.estimator, evaluated: table.evaluated, ms, notes: table.notes ?? [] });
    console.log(`${table.estimator} on ${space} (${r.dataset}, ${r.devices.join(', ')}): ${table.evaluated} networks evaluated in ${ms.toFixed(0)} ms`);
    for (const n of table.notes ?? []) console.log(`  ${n}`);
    const acc = table.metrics[0]!;
    const nodes = r.searchSpace.nodes;
    const rows = nodes.map((node, i) => [node.id, ...node.blocks.map((_, j) => acc.values[i]![j]!)]);
    const scale = acc.link ? 'model score on a 0-100 rank scale, mapped to the metric by a monotone link' : acc.metric;
    console.log(`block values for ${acc.metric} (${scale}; intercept ${acc.intercept.toFixed(3)}${acc.pairs ? `, plus ${acc.pairs.length} pair terms` : ''}):`);
    console.log(renderTable(['node', ...nodes[0]!.blocks.map((b) => b.id)], rows));
    console.log(`written to ${opts.out}`);
  });
}

async function estimateBuiltinCommand(space: BuiltinSpaceName, opts: CommonOptions & BuiltinEstimateOptions & { out: string }): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const t0 = performance.now();
    const r = await estimateBuiltin(space, opts, controller.signal);
    const seconds = (performance.now() - t0) / 1000;
    if (r.interrupted || !r.table) {
      process.stderr.write(`blocknas: interrupted after ${r.fresh} new evaluations${opts.store ? `; they are in ${opts.store}: run the same command to continue` : ' (no --store: nothing was kept)'}\n`);
      process.exitCode = 130;
      return;
    }
    const table = r.table;
    writeJsonAtomic(opts.out, table);
    const summary = { file: opts.out, estimator: table.estimator, evaluated: table.evaluated, fresh: r.fresh, reused: r.reused, seconds, notes: table.notes ?? [] };
    if (opts.json) return printJson(summary);
    console.log(`${table.estimator} on ${space} (${table.dataset}, ${table.device}): ${table.evaluated} networks (${r.fresh} evaluated now, ${r.reused} from the store) in ${seconds.toFixed(1)} s`);
    for (const n of table.notes ?? []) console.log(`  ${n}`);
    printBlockValues(table, builtinSpace(space).nodes);
    console.log(`written to ${opts.out}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printBlockValues(table: BlockTable, nodes: readonly { id: string; blocks: readonly { id: string }[] }[]): void {
  const acc = table.metrics[0]!;
  const scale = acc.link ? 'model score on a 0-100 rank scale, mapped to the metric by a monotone link' : acc.metric;
  console.log(`block values for ${acc.metric} (${scale}; intercept ${acc.intercept.toFixed(3)}${acc.pairs ? `, plus ${acc.pairs.length} pair terms` : ''}):`);
  for (const [i, node] of nodes.entries()) {
    console.log(`  ${node.id}: ${node.blocks.map((b, j) => `${b.id} ${acc.values[i]![j]!.toFixed(3)}`).join(', ')}`);
  }
}

/**
 * Nothing evaluates networks of MathNAS's MobileNetV3, SuperTransformer and SuperViT spaces, so their block table is
 * the one MathNAS published; writing it lets the browser page (and --table) load it like an estimated one.
 */
async function writePublished(entry: TargetEntry, opts: CommonOptions & { out: string }): Promise<void> {
  const space = entry.name;
  const r = await estimateBlocks({ space: entry, ...openOptions(opts, `estimate ${space}`) });
  const { table } = r;
  const session = { dataset: r.dataset, device: r.devices[0] };
  writeJsonAtomic(opts.out, table);
  const metrics = table.metrics.map((m) => m.metric);
  if (opts.json) return printJson({ file: opts.out, estimator: table.estimator, evaluated: table.evaluated, metrics, notes: table.notes });
  console.log(`${table.estimator} on ${space} (${session.dataset}${session.device ? `, ${session.device}` : ''}): 0 networks evaluated`);
  for (const n of table.notes ?? []) console.log(`  ${n}`);
  console.log(`metrics: ${metrics.join(', ')}`);
  console.log(`written to ${opts.out}`);
}

/**
 * A space file's block table: its networks trained by the user's command (failures recorded and skipped), kept in
 * --store when given so that rerunning the same command resumes without training anything twice.
 */
async function estimateSpaceFile(space: string | undefined, opts: CommonOptions & BuiltinEstimateOptions & SpaceFileFlags & { out: string }): Promise<void> {
  const builtinOnly = BUILTIN_ONLY_FLAGS.find((f) => f !== 'store' && f !== 'evaluator' && opts[f] !== undefined);
  if (builtinOnly) throw new UserError(`${flagOf(builtinOnly)}: only for built-in spaces (${BUILTIN_SPACES.join(', ')})`);
  // Provisional until the first evaluation: bad input found while setting up removes the store it made.
  const provisional = opts.store ? openProvisionalSqliteStore(resolve(opts.store)) : undefined;
  let started = false;
  let failed = 0;
  try {
    const entry = openEntry(space, opts, 'estimate', { ...(provisional ? { store: provisional.store } : {}), onFailure: () => void failed++ });
    if (opts.command === undefined) throw new UserError("--command: a space file's networks are evaluated by your trainer: give its command");
    started = true;
    const { table, seconds, searchSpace } = await estimateBlocks({ space: entry, ...openOptions(opts, `estimate ${entry.name} (regression)`) });
    writeJsonAtomic(opts.out, table);
    if (opts.json) return printJson({ file: opts.out, estimator: table.estimator, evaluated: table.evaluated, failed, seconds, notes: table.notes ?? [] });
    console.log(`${table.estimator} on ${entry.name}: ${table.evaluated} networks evaluated${failed ? ` (${failed} failed, recorded and skipped)` : ''} in ${seconds.toFixed(1)} s`);
    for (const n of table.notes ?? []) console.log(`  ${n}`);
    printBlockValues(table, searchSpace.nodes);
    console.log(`written to ${opts.out}`);
  } finally {
    if (started) provisional?.store.close();
    else provisional?.discard();
  }
}
