import type { Evaluator } from '../core/metrics.js';
import { fieldError } from '../errors.js';
import { cachedEvaluator } from '../eval/cached.js';
import type { EvaluationFailure } from '../eval/failure.js';
import { readBlockTable } from '../core/block-table-file.js';
import { regressionEstimator } from '../predict/estimators/regression.js';
import { checkTableFits } from '../predict/predict.js';
import { countGenomes } from '../space/count.js';
import { createSpaceFileEvaluator, spaceFileEvaluatorKey } from '../spaces/space-file/evaluator.js';
import { readSpaceFile, type SpaceFile } from '../spaces/space-file/space.js';
import type { EvaluationStore } from '../store/types.js';
import type { BlockTable } from '../core/block-table.js';
import type { OpenOptions, TableTarget, TargetEntry } from './types.js';

/** How a space file's networks are evaluated: the user's own command behind the external protocol. */
export interface SpaceFileEvaluation {
  /** The trainer: a shell command line, or argv. */
  readonly command?: string | readonly string[];
  readonly mode?: 'per-arch' | 'batch';
  /** Per evaluation (batch mode: per answer line). */
  readonly timeoutMs?: number;
  /** Further tries of a failed evaluation. */
  readonly retries?: number;
  /** Evaluations already made, and failures, are kept here: a rerun or resume repeats none of them. */
  readonly store?: EvaluationStore;
  /** Told of every architecture that failed its last try (it is recorded and the run goes on). */
  readonly onFailure?: (failure: EvaluationFailure) => void;
  readonly log?: (line: string) => void;
}

const DEFAULT_FILE_BUDGET = 100;

/** `val` of `accuracy:val`: what bare metric names are completed with. */
const qualifier = (id: string) => (id.includes(':') ? id.slice(id.indexOf(':') + 1) : '');

/**
 * A user's own space as a registry entry: declared in a space file (spaces/space-file), evaluated by their command.
 * Its name must not shadow a registry space, whose data and defaults a reader would expect.
 */
export function spaceFileEntry(file: string, ev: SpaceFileEvaluation, known: readonly string[]): TargetEntry & { readonly spaceFile: SpaceFile; evaluator(): Evaluator } {
  const sf = readSpaceFile(file);
  const name = sf.space.name;
  if (known.includes(name)) throw fieldError('spaceFile', `${file} names its space "${name}", which is a built-in space of blocknas: rename it`);
  const latency = sf.metrics.find((m) => m.kind === 'latency')?.id;
  const evaluator = (): Evaluator => {
    if (ev.command === undefined) throw fieldError('command', `space ${name} (${file}) needs its trainer command to evaluate networks`);
    const inner = createSpaceFileEvaluator(sf, {
      command: ev.command,
      ...(ev.mode ? { mode: ev.mode } : {}),
      ...(ev.timeoutMs !== undefined ? { timeoutMs: ev.timeoutMs } : {}),
      ...(ev.retries !== undefined ? { retries: ev.retries } : {}),
      failures: 'record',
      ...(ev.onFailure ? { onFailure: ev.onFailure } : {}),
      ...(ev.log ? { log: ev.log } : {}),
    });
    return ev.store ? cachedEvaluator(inner, ev.store, spaceFileEvaluatorKey(sf, ev.command)) : inner;
  };
  const estimate = async (o: OpenOptions): Promise<BlockTable> => {
    const costs = sf.metrics.filter((m) => m.id !== sf.accuracy && m.source === 'measured').map((m) => m.id);
    return regressionEstimator.estimate({
      space: sf.space,
      evaluator: evaluator(),
      accuracy: sf.accuracy,
      costs,
      ...(sf.flops ? { flops: sf.flops } : {}),
      budget: o.budget ?? DEFAULT_FILE_BUDGET,
      seed: o.seed ?? 0,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  };
  return {
    name,
    kind: 'file',
    description: sf.description ?? `${name}: a space declared in ${file}`,
    files: [],
    defaults: {},
    capabilities: ['estimate', 'predict', 'search', 'evolve'],
    spaceFile: sf,
    evaluator,
    describe: () => ({ nodes: sf.space.nodes.length, size: Number(countGenomes(sf.space)), datasets: [], devices: [], metrics: sf.metrics.map((m) => ({ id: m.id, unit: m.unit, source: m.source })) }),
    async openTable(o): Promise<TableTarget> {
      for (const [field, v] of [['dataset', o.dataset], ['device', o.device]] as const) {
        if (v !== undefined) throw fieldError(field, `space ${name} names its metrics in ${file} (${sf.metrics.map((m) => m.id).join(', ')}); it has no ${field} to choose`);
      }
      if (o.estimator !== undefined && o.estimator !== 'regression') throw fieldError('estimator', `space ${name}: only regression estimates a space file's table`);
      let table: BlockTable;
      if (o.table) {
        table = readBlockTable(o.table);
        checkTableFits(table, sf.space);
        if (table.space !== name) throw fieldError('table', `${o.table} is a table of space "${table.space}", not ${name}`);
      } else {
        table = await estimate(o);
      }
      // The computed costs are exact sums: they join the table as they are.
      const computed = sf.computed.filter((m) => !table.metrics.some((t) => t.metric === m)).map((m) => ({ metric: m, ...sf.costs[m]! }));
      table = { ...table, metrics: [...table.metrics, ...computed] };
      // The trainer reports every measured metric at once, whichever the search asks for.
      const measure = ev.command !== undefined ? (genomes: Parameters<Evaluator['evaluate']>[0]) => evaluator().evaluate(genomes) : undefined;
      return {
        name,
        space: sf.space,
        dataset: qualifier(sf.accuracy),
        accuracy: sf.accuracy,
        ...(latency ? { latency } : {}),
        ...(sf.flops ? { flops: sf.computed.find((m) => m.startsWith('flops'))! } : {}),
        table,
        units: Object.fromEntries(sf.metrics.map((m) => [m.id, m.unit])),
        // Measuring runs the user's trainer: slow, so verification is asked for.
        ...(measure ? { measure, measuredBy: 'command' as const } : {}),
      };
    },
    openEvolve() {
      const ev0 = evaluator();
      return {
        target: {
          name,
          space: sf.space,
          metrics: sf.metrics,
          evaluator: () => ev0,
          key: spaceFileEvaluatorKey(sf, ev.command!),
          fineTune: { available: false, reason: `space ${name} is evaluated by its own command, which blocknas cannot ask to fine-tune` },
        },
        // Bare objective names (accuracy, latency) refer to the file's first metric of that kind.
        dataset: qualifier(sf.accuracy),
        device: latency ? qualifier(latency) : '',
      };
    },
  };
}
