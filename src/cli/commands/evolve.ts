import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { evolve } from '../../api/evolve.js';
import { writeReport, type EvolveReport } from '../../evolve/report.js';
import { STRATEGY_NAMES, type StrategyName } from '../../evolve/strategies/index.js';
import { NATV2_DEFAULT_FRONT_WEIGHT, type InnerSearch } from '../../evolve/strategies/natv2.js';
import { openProvisionalSqliteStore } from '../../store/sqlite.js';
import type { EvolveTarget } from '../../evolve/target.js';
import { fmt, printJson, renderTable } from '../format.js';
import { flagOf } from '../flags.js';
import { perSpace, withBuiltinFlags } from '../options.js';
import { progressReporter, stepReporter } from '../progress.js';
import { parseIntOption, parseSeedOption } from '../session.js';
import { openEntry, withSpaceFile, type SpaceFileFlags } from '../space-file.js';
import { builtinTarget, NO_FINE_TUNE_FOR_TRAIN } from '../../builtin/evolve-target.js';
import { BUILTIN_SPACES, type BuiltinSpaceName } from '../../builtin/spaces.js';
import { BUILTIN_ONLY_FLAGS, type BuiltinEstimateOptions, parseBuiltinEvaluation } from '../estimate-builtin.js';

interface EvolveOptions extends BuiltinEstimateOptions, SpaceFileFlags {
  fineTune?: string;
  dataDir?: string;
  dataset?: string;
  device?: string;
  objectives: string;
  budget: string;
  seed?: string;
  strategy: string;
  init?: string;
  perIteration?: string;
  surrogate: string;
  inner: string;
  frontWeight?: string;
  reselectEvery?: string;
  canonical?: boolean;
  equivalents?: boolean;
  proxy?: boolean;
  out: string;
  store?: string;
  resume?: boolean;
  json?: boolean;
}

export function registerEvolve(program: Command): void {
  withSpaceFile(withBuiltinFlags(program.command('evolve [space]')))
    .description('multi-objective search for the Pareto set (NATv2: surrogate-assisted NSGA-III), stored and resumable')
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--dataset <name>', `dataset that a bare "accuracy" objective refers to (${perSpace('dataset', 'evolve')})`)
    .option('--device <name>', `device that a bare "latency" or "energy" objective refers to (${perSpace('device', 'evolve')})`)
    .option('--objectives <list>', 'comma-separated metrics, e.g. accuracy,latency:fpga,params', 'accuracy,latency')
    .option('--budget <n>', 'distinct networks to evaluate', '200')
    .option('--seed <n>', 'random seed (default 0)')
    .option('--strategy <name>', `search strategy: ${STRATEGY_NAMES.join(', ')}`, 'natv2')
    .option('--init <n>', 'natv2: initial archive size (default 300, at most a quarter of the budget)')
    .option('--per-iteration <n>', 'natv2: networks evaluated per iteration (default 5)')
    .option('--surrogate <kind>', 'natv2: ridge (block ridge, default), auto (adaptive choice among all families by cross-validated Kendall tau) or one of mlp, rbf, gp, forest, boosting', 'ridge')
    .option('--reselect-every <n>', "natv2: choose the surrogates by cross-validation every n iterations and refit the chosen ones in between (default 5; 1 is NAT's choice every iteration)")
    .option('--inner <search>', `natv2: where candidates come from: nsga3 (NSGA-III on the surrogates, as NATv2) or neighbours (every network one block from the current front, judged by the surrogates)`, 'nsga3')
    .option('--front-weight <n>', `natv2: how many times members of the archive's best two fronts count in the surrogate fits; 1 counts every network once (default ${NATV2_DEFAULT_FRONT_WEIGHT})`)
    .option('--no-equivalents', "natv2: fit the surrogates without the space's knowledge of which architectures build the same network (NB201)")
    .option('--no-proxy', "natv2: leave out the target's zero-cost proxy (nb201: jacob_cov on CIFAR-10, from the data), which otherwise picks the initial archive and informs the accuracy surrogate")
    .option('--no-canonical', 'search raw genomes instead of their effective form (two cells computing the same function count twice)')
    .option('--out <dir>', 'directory for result.json, pareto.csv, history.csv and the store', 'blocknas-out/evolve')
    .option('--store <file>', 'SQLite store of evaluations and runs (default: <out>/store.sqlite)')
    .option('--resume', 'continue the interrupted run in --out without re-evaluating anything')
    .option('--fine-tune <epochs>', "NATv2's post-processing: fine-tune the Pareto networks for this many epochs and measure them again (built-in spaces with --evaluator supernet)")
    .option('--json', 'print the result as JSON')
    .action(async (spaceArg: string | undefined, opts: EvolveOptions) => {
      // The strategy, inner search and surrogate are checked by the library's evolve (api/evolve.ts).
      const strategyName = opts.strategy as StrategyName;
      const budget = parseIntOption('--budget', opts.budget, 1)!;
      const seed = parseSeedOption(opts.seed) ?? 0;
      const init = parseIntOption('--init', opts.init, 2);
      const perIteration = parseIntOption('--per-iteration', opts.perIteration, 1);
      const inner = opts.inner as InnerSearch;
      const frontWeight = parseIntOption('--front-weight', opts.frontWeight, 1) ?? NATV2_DEFAULT_FRONT_WEIGHT;
      const reselectEvery = parseIntOption('--reselect-every', opts.reselectEvery, 1);
      const fineTune = parseIntOption('--fine-tune', opts.fineTune, 1);
      const entry = openEntry(spaceArg, opts, 'evolve');
      const spaceName = entry.name;
      const builtin = entry.kind === 'builtin' ? { name: spaceName as BuiltinSpaceName, ev: parseBuiltinEvaluation(spaceName as BuiltinSpaceName, opts) } : null;
      if (!builtin) {
        const flag = BUILTIN_ONLY_FLAGS.find((f) => f !== 'store' && !(f === 'evaluator' && entry.kind === 'file') && opts[f] !== undefined);
        if (flag) throw new UserError(`${flagOf(flag)}: only for built-in spaces (${BUILTIN_SPACES.join(', ')})`);
      }
      const out = resolve(opts.out);
      const storeFile = opts.store ? resolve(opts.store) : join(out, 'store.sqlite');
      // a resume that finds nothing must not leave an empty store (and --out directory) behind
      if (opts.resume && !existsSync(storeFile)) throw new UserError(`--resume: no store at ${storeFile} to resume from`);
      const opened = builtin
        ? null
        : entry.openEvolve!({
            ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
            ...(opts.dataset !== undefined ? { dataset: opts.dataset } : {}),
            ...(opts.device !== undefined ? { device: opts.device } : {}),
          });
      const noFineTune = builtin
        ? builtin.ev.accuracy.kind === 'supernet' ? null : NO_FINE_TUNE_FOR_TRAIN
        : opened!.target.fineTune.available ? null : opened!.target.fineTune.reason;
      if (fineTune !== undefined && noFineTune !== null) throw new UserError(`--fine-tune: ${noFineTune}`);
      // the store is provisional until the run starts: bad input found while setting up removes what it made
      const provisional = openProvisionalSqliteStore(storeFile);
      const store = provisional.store;
      let target: EvolveTarget | undefined;
      let started = false;
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigint);
      try {
        const quiet = opts.json ?? false;
        const { target: t, dataset, device } = builtin
          ? {
              target: builtinTarget(builtin.name, {
                ...builtin.ev,
                store,
                log: quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
                onTrainStep: progressReporter(`evolve ${builtin.name}: super-network training`, quiet, 'steps'),
              }),
              dataset: `${builtin.ev.accuracy.dataset}-val`,
              device: builtin.ev.device,
            }
          : opened!;
        target = t;
        const { report, result } = await evolve({
          target: { target: t, dataset, device },
          objectives: opts.objectives,
          budget,
          seed,
          strategy: strategyName,
          store,
          resume: opts.resume ?? false,
          ...(init !== undefined ? { init } : {}),
          ...(perIteration !== undefined ? { perIteration } : {}),
          surrogate: opts.surrogate,
          inner,
          frontWeight,
          ...(reselectEvery !== undefined ? { reselectEvery } : {}),
          ...(opts.equivalents !== undefined ? { equivalents: opts.equivalents } : {}),
          ...(opts.proxy !== undefined ? { proxy: opts.proxy } : {}),
          ...(opts.canonical !== undefined ? { canonical: opts.canonical } : {}),
          ...(fineTune !== undefined ? { fineTune } : {}),
          signal: controller.signal,
          onStart: () => void (started = true),
          progress: (trueHv) => stepReporter(`evolve ${t.name} (${strategyName})`, opts.json, trueHv),
        });
        const files = writeReport(out, report);
        if (result.interrupted) {
          process.stderr.write(`blocknas: interrupted after ${result.evaluated.length} evaluations; continue with the same command and --resume\n`);
          process.exitCode = 130;
        }
        if (opts.json) printJson(report);
        else printReport(report, files);
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        await target?.close?.();
        if (started) store.close();
        else provisional.discard();
      }
    });
}

function printReport(r: EvolveReport, files: readonly string[]): void {
  const ids = r.objectives.map((o) => o.metric);
  console.log(`${r.space}: ${r.strategy}, objectives ${r.objectives.map((o) => `${o.sense} ${o.metric}`).join(', ')}`);
  if (typeof r.settings.proxy === 'string') console.log(`zero-cost proxy ${r.settings.proxy}: it picked the initial archive and informs the accuracy surrogate (--no-proxy to leave it out)`);
  const failed = r.failed.length > 0 ? `; ${r.failed.length} more failed and were recorded in the store (result.json lists them)` : '';
  console.log(`evaluated ${r.evaluations} networks (${r.fresh} now, ${r.reused} from the store)${failed}; Pareto set of ${r.pareto.length}:`);
  console.log(renderTable(['arch', ...ids.map((id, j) => `${id} (${r.objectives[j]!.unit})`)], r.pareto.map((p) => [p.arch, ...ids.map((id) => p.metrics[id]!)])));
  const hv = `hypervolume ${fmt(r.hypervolume)}`;
  if (r.trueHypervolume !== undefined) {
    console.log(`${hv}; true front (by enumeration, ${r.trueFrontSize} networks): ${fmt(r.trueHypervolume)}; ratio ${(100 * r.hypervolume / r.trueHypervolume).toFixed(2)}%`);
    if (r.wideFrame) console.log(`in the wide frame (reference at the space's worst values): ratio ${(100 * r.wideFrame.ratio).toFixed(2)}%`);
  } else console.log(`${hv} (${r.frame.note})`);
  console.log(`post-processing: ${r.postProcessing.status}: ${r.postProcessing.reason}`);
  if (r.postProcessing.status === 'done') {
    const tuned = r.postProcessing.networks;
    const ids = [...new Set(tuned.flatMap((n) => Object.keys(n.metrics)))].filter((id) => id.includes('-val') || id === 'train-seconds').sort();
    const before = new Map(r.pareto.map((p) => [p.arch, p.metrics]));
    console.log(renderTable(['arch', ...ids.map((id) => `${id} (before -> after)`)], tuned.map((n) => [n.arch, ...ids.map((id) => `${fmt(before.get(n.arch)?.[id] ?? Number.NaN)} -> ${fmt(n.metrics[id]!)}`)])));
  }
  console.log(`wrote ${files.join(', ')}`);
}
