import { BENCHMARKS, loadBenchmark, missingFiles, type BenchmarkEntry } from '../benchmarks/registry.js';
import type { TabularBenchmark } from '../core/tabular-benchmark.js';
import { requireDataDir } from '../data/dir.js';
import { fieldError } from '../errors.js';
import { checkSeed } from '../random.js';
import { tabularTarget } from '../evolve/target.js';
import { readBlockTable } from '../core/block-table-file.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import { ESTIMATORS } from '../predict/estimators/index.js';
import { checkTableFits } from '../predict/predict.js';
import type { Measure } from '../search/verify.js';
import type { OpenOptions, TableTarget, TargetEntry } from './types.js';

export const DEFAULT_ESTIMATOR = 'regression';

/** A tabular benchmark's dataset and devices, checked against what it has. */
export function benchmarkChoice(bench: TabularBenchmark, o: OpenOptions, defaults: { dataset: string; device: string }) {
  const dataset = o.dataset ?? defaults.dataset;
  // Several devices may be named: the first is the one a latency limit names, all are estimated.
  const devices = (o.device ?? defaults.device).split(',').map((d) => d.trim());
  if (!bench.datasets.includes(dataset)) {
    throw fieldError('dataset', `"${dataset}" is not a ${bench.name} dataset (one of ${bench.datasets.join(', ')})`);
  }
  for (const device of devices) {
    if (!bench.devices.includes(device)) throw fieldError('device', `"${device}" is not a ${bench.name} device (one of ${bench.devices.join(', ')})`);
  }
  return { dataset, device: devices[0]!, devices };
}

/** A block table for a tabular benchmark, estimated now from networks looked up in it. */
export async function estimateBenchmarkTable(
  bench: TabularBenchmark,
  dataset: string,
  devices: readonly string[],
  o: Pick<OpenOptions, 'estimator' | 'budget' | 'seed' | 'graphAware' | 'onProgress'>,
): Promise<BlockTable> {
  const name = o.estimator ?? DEFAULT_ESTIMATOR;
  const estimator = ESTIMATORS.find((e) => e.name === name);
  if (!estimator) throw fieldError('estimator', `unknown "${name}" (one of ${ESTIMATORS.map((e) => e.name).join(', ')})`);
  if (o.budget !== undefined && !(Number.isInteger(o.budget) && o.budget >= 1)) throw fieldError('budget', `expected an integer >= 1, got ${o.budget}`);
  const seed = checkSeed(o.seed ?? 0);
  // More networks than the space has can never be drawn: the sampler would try forever.
  if (o.budget !== undefined && o.budget > bench.genomes.length) throw fieldError('budget', `${o.budget} is more than the ${bench.genomes.length} architectures of ${bench.name}`);
  const accuracy = `accuracy:${dataset}`;
  const has = (id: string) => bench.metrics.some((m) => m.id === id);
  const costs = [...devices.flatMap((d) => [`latency:${d}`, ...(has(`energy:${d}`) ? [`energy:${d}`] : [])]), 'params'];
  const flopsModel = bench.flopsModel?.(dataset);
  const table = await estimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator([accuracy, ...costs]),
    accuracy,
    costs,
    ...(flopsModel ? { flops: flopsModel } : {}),
    ...(o.budget !== undefined ? { budget: o.budget } : {}),
    seed,
    graphAware: o.graphAware ?? Boolean(bench.space.effective),
    dataset,
    device: devices.join(','),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  if (!flopsModel) return table;
  // FLOPs are counted, not estimated: the analytic model joins the table as it is.
  const flopsTable: MetricTable = { metric: `flops:${dataset}`, ...flopsModel };
  return { ...table, metrics: [...table.metrics, flopsTable] };
}

/** A tabular benchmark of benchmarks/registry.ts as a target: everything but running networks. */
export function tabularEntry(b: BenchmarkEntry, defaults: { dataset: string; device: string }): TargetEntry {
  const open = (dataDir: string | undefined) => loadBenchmark(b.name, requireDataDir(dataDir));
  return {
    name: b.name,
    kind: 'tabular',
    description: b.description,
    files: b.files,
    defaults,
    capabilities: ['estimate', 'predict', 'search', 'switch', 'validate', 'evolve', 'analyze'],
    benchmark: (dataDir) => loadBenchmark(b.name, dataDir),
    describe(dataDir) {
      if (!dataDir || missingFiles(b, dataDir).length > 0) throw new Error('describe needs the data');
      const bench = loadBenchmark(b.name, dataDir);
      return {
        nodes: bench.space.nodes.length,
        size: bench.genomes.length,
        datasets: bench.datasets,
        devices: bench.devices,
        metrics: bench.metrics.map((m) => ({ id: m.id, unit: m.unit, source: m.source })),
      };
    },
    async openTable(o): Promise<TableTarget> {
      const bench = open(o.dataDir);
      const { dataset, device, devices } = benchmarkChoice(bench, o, defaults);
      const accuracy = `accuracy:${dataset}`;
      const latency = `latency:${device}`;
      const energyId = `energy:${device}`;
      const energy = bench.metrics.some((m) => m.id === energyId) ? energyId : undefined;
      let table: BlockTable;
      if (o.table) {
        table = readBlockTable(o.table);
        checkTableFits(table, bench.space);
        for (const m of [accuracy, latency]) {
          if (!table.metrics.some((t) => t.metric === m)) throw fieldError('table', `${o.table} has no ${m}: estimate it for dataset ${dataset} and device ${device}`);
        }
      } else {
        table = await estimateBenchmarkTable(bench, dataset, devices, o);
      }
      // Looking a cost up in the benchmark is free, so every answer's costs can be measured.
      const measure: Measure = (genomes, metrics) => bench.evaluator(metrics).evaluate(genomes);
      return {
        name: b.name,
        space: bench.space,
        bench,
        dataset,
        device,
        accuracy,
        latency,
        ...(energy ? { energy } : {}),
        flops: `flops:${dataset}`,
        table,
        units: Object.fromEntries(bench.metrics.map((m) => [m.id, m.unit])),
        measure,
        measuredBy: 'lookup',
      };
    },
    openEvolve(o) {
      const bench = open(o.dataDir);
      const { dataset, device } = benchmarkChoice(bench, o, defaults);
      return { target: tabularTarget(bench), dataset, device };
    },
  };
}

export const TABULAR_TARGETS: readonly TargetEntry[] = BENCHMARKS.map((b) => tabularEntry(b, b.defaults));
