import { UserError } from '../errors.js';
import { loadBenchmark } from '../benchmarks/registry.js';
import type { TabularBenchmark } from '../core/tabular-benchmark.js';
import { requireDataDir } from '../data/dir.js';
import { readBlockTable } from '../core/block-table-file.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import { ESTIMATORS } from '../predict/estimators/index.js';
import { checkTableFits } from '../predict/predict.js';
import type { SearchSpace } from '../space/types.js';
import type { Measure } from '../search/verify.js';
import { progressReporter } from './progress.js';
import { isTableSpace, openTableSession } from './table-session.js';
import { openBuiltinSession } from './builtin-session.js';
import { isBuiltinSpace } from '../builtin/spaces.js';

export interface CommonOptions {
  dataDir?: string;
  dataset?: string;
  device?: string;
  estimator?: string;
  budget?: string;
  seed?: string;
  table?: string;
  graph?: boolean;
  json?: boolean;
}

/**
 * What a command works on: a space, its block table and the metric names of the chosen dataset and device. `bench`
 * (ground truth for every architecture) exists only for tabular benchmarks; spaces that come with a published
 * block table (MathNAS's MobileNetV3, SuperTransformer, SuperViT) have predictions only.
 */
export interface Session {
  readonly name: string;
  readonly space: SearchSpace;
  readonly bench?: TabularBenchmark;
  readonly dataset: string;
  readonly device?: string;
  readonly accuracy: string;
  readonly latency?: string;
  readonly energy?: string;
  readonly flops?: string;
  readonly table: BlockTable;
  readonly units: Readonly<Record<string, string>>;
  /** Measures costs: search then verifies its answer's costs (by default for a lookup, with --verify for timing). */
  readonly measure?: Measure;
  /**
   * How `measure` gets a cost: 'lookup' (a tabular benchmark, free; the default) or 'timing' (on this machine: the
   * table's own timings, taken elsewhere or on another scale, are not reused as measurements).
   */
  readonly measuredBy?: 'lookup' | 'timing';
}

export const DEFAULT_DATASET = 'imagenet16-120';
export const DEFAULT_DEVICE = 'fpga';
export const DEFAULT_ESTIMATOR = 'regression';

export function parseIntOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name}: expected an integer >= ${min}, got "${value}"`);
  return n;
}

export function openBenchmark(space: string, opts: CommonOptions) {
  const bench = loadBenchmark(space, requireDataDir(opts.dataDir));
  const dataset = opts.dataset ?? DEFAULT_DATASET;
  // --device may list several devices: the first is the one --max-latency limits, all are estimated.
  const devices = (opts.device ?? DEFAULT_DEVICE).split(',').map((d) => d.trim());
  if (!bench.datasets.includes(dataset)) {
    throw new UserError(`--dataset: "${dataset}" is not a ${space} dataset (one of ${bench.datasets.join(', ')})`);
  }
  for (const device of devices) {
    if (!bench.devices.includes(device)) {
      throw new UserError(`--device: "${device}" is not a ${space} device (one of ${bench.devices.join(', ')})`);
    }
  }
  return { bench, dataset, device: devices[0]!, devices };
}

/** The block table to use: --table FILE, else estimated now with --estimator and --budget. */
export async function openSession(space: string, opts: CommonOptions): Promise<Session> {
  if (isTableSpace(space)) return openTableSession(space, opts);
  if (isBuiltinSpace(space)) return openBuiltinSession(space, opts);
  const { bench, dataset, device, devices } = openBenchmark(space, opts);
  const accuracy = `accuracy:${dataset}`;
  const latency = `latency:${device}`;
  const energyId = `energy:${device}`;
  const energy = bench.metrics.some((m) => m.id === energyId) ? energyId : undefined;
  const flops = `flops:${dataset}`;
  let table: BlockTable;
  if (opts.table) {
    table = readBlockTable(opts.table);
    checkTableFits(table, bench.space);
    for (const m of [accuracy, latency]) {
      if (!table.metrics.some((t) => t.metric === m)) {
        throw new UserError(`--table ${opts.table} has no ${m}: estimate it with --dataset ${dataset} --device ${device}`);
      }
    }
  } else {
    table = await estimateTable(bench, dataset, devices, opts);
  }
  const units = Object.fromEntries(bench.metrics.map((m) => [m.id, m.unit]));
  // Looking a cost up in the benchmark is free, so every answer's costs are measured (search --no-verify opts out).
  const measure: Measure = (genomes, metrics) => bench.evaluator(metrics).evaluate(genomes);
  return { name: space, space: bench.space, bench, dataset, device, accuracy, latency, ...(energy ? { energy } : {}), flops, table, units, measure };
}

export async function estimateTable(
  bench: TabularBenchmark,
  dataset: string,
  devices: readonly string[],
  opts: CommonOptions,
): Promise<BlockTable> {
  const name = opts.estimator ?? DEFAULT_ESTIMATOR;
  const estimator = ESTIMATORS.find((e) => e.name === name);
  if (!estimator) {
    throw new UserError(`--estimator: unknown "${name}" (one of ${ESTIMATORS.map((e) => e.name).join(', ')})`);
  }
  const budget = parseIntOption('--budget', opts.budget, 1);
  const seed = parseIntOption('--seed', opts.seed, 0) ?? 0;
  const accuracy = `accuracy:${dataset}`;
  const has = (id: string) => bench.metrics.some((m) => m.id === id);
  const costs = [
    ...devices.flatMap((d) => [`latency:${d}`, ...(has(`energy:${d}`) ? [`energy:${d}`] : [])]),
    'params',
  ];
  const flopsModel = bench.flopsModel?.(dataset);
  const table = await estimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator([accuracy, ...costs]),
    accuracy,
    costs,
    ...(flopsModel ? { flops: flopsModel } : {}),
    ...(budget !== undefined ? { budget } : {}),
    seed,
    graphAware: opts.graph ?? Boolean(bench.space.effective),
    dataset,
    device: devices.join(','),
    onProgress: progressReporter(`estimate ${bench.name} (${name})`, opts.json),
  });
  if (!flopsModel) return table;
  // FLOPs are counted, not estimated: the analytic model joins the table as it is.
  const flopsTable: MetricTable = { metric: `flops:${dataset}`, ...flopsModel };
  return { ...table, metrics: [...table.metrics, flopsTable] };
}
