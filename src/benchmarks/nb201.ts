import { fieldError, UserError } from '../errors.js';
import { readCsv } from '../data/csv.js';
import type { MetricInfo } from '../core/metrics.js';
import { genomeRank } from '../space/space.js';
import type { Genome } from '../space/types.js';
import { nb201Cost, type Nb201Dataset } from '../spaces/nb201/cost.js';
import { createNb201Space, formatNb201 } from '../spaces/nb201/space.js';
import { tabularEvaluator } from './tabular.js';
import type { TabularBenchmark } from '../core/tabular-benchmark.js';

export const NB201_FILES = {
  accuracy: 'nb201/nb201_accuracy.csv',
  latency: 'nb201/nb201_latency_help.csv',
} as const;

/** Dataset name → accuracy column. cifar10-valid is the x-valid accuracy (trained on 25k, validated on 25k). */
const ACCURACY_COLUMNS: Readonly<Record<string, string>> = {
  cifar10: 'cifar10_test',
  'cifar10-valid': 'nb201api_cifar10valid_valid',
  cifar100: 'cifar100_test',
  'imagenet16-120': 'imagenet16_120_test',
};

/** The network FLOPs are counted for: cifar10-valid trains the CIFAR-10 network. */
const COST_DATASET: Readonly<Record<string, Nb201Dataset>> = {
  cifar10: 'cifar10',
  'cifar10-valid': 'cifar10',
  cifar100: 'cifar100',
  'imagenet16-120': 'imagenet16-120',
};

const HWNB = /^hwnb_cifar10_(\w+?)_latency_ms$/;
const HELP = /^(\w+?)_ms$/;

function deviceOf(column: string): string | undefined {
  return HWNB.exec(column)?.[1] ?? (column.startsWith('hwnb_') ? undefined : HELP.exec(column)?.[1]);
}

export function loadNb201(dataDir: string): TabularBenchmark {
  const acc = readCsv(dataDir, NB201_FILES.accuracy, [
    'index',
    'arch_str',
    ...Object.values(ACCURACY_COLUMNS),
    'params_M_cifar10',
    'jacob_cov_cifar10',
  ]);
  const lat = readCsv(dataDir, NB201_FILES.latency, ['index', 'arch_str', 'hwnb_cifar10_fpga_energy_mJ_derived']);
  const n = acc.rows.length;
  if (n !== 15625) throw new UserError(`${NB201_FILES.accuracy}: expected 15625 rows, found ${n}`);
  if (lat.rows.length !== n) throw new UserError(`${NB201_FILES.latency}: expected ${n} rows, found ${lat.rows.length}`);

  const space = createNb201Space();
  const radix = space.nodes.map((node) => node.blocks.length);
  const indices = acc.numbers('index');
  const archs = acc.column('arch_str');
  const genomes: Genome[] = new Array(n);
  const byRank = new Int32Array(15625).fill(-1);
  for (let r = 0; r < n; r++) {
    const idx = indices[r]!;
    const g = space.parse(archs[r]!);
    if (idx !== r || formatNb201(g) !== archs[r]) {
      throw new UserError(`${NB201_FILES.accuracy} row ${r + 2}: index ${idx} / arch_str not in NB201 order`);
    }
    genomes[r] = g;
    byRank[genomeRank(radix, g)] = r;
  }
  const latArchs = lat.column('arch_str');
  latArchs.forEach((a, r) => {
    if (a !== archs[r]) throw new UserError(`${NB201_FILES.latency} row ${r + 2}: arch_str differs from ${NB201_FILES.accuracy}`);
  });

  const columns = new Map<string, Float64Array>();
  const metrics: MetricInfo[] = [];
  for (const [ds, col] of Object.entries(ACCURACY_COLUMNS)) {
    columns.set(`accuracy:${ds}`, acc.numbers(col));
    metrics.push({ id: `accuracy:${ds}`, kind: 'accuracy', unit: '%', source: 'measured', description: `NB201 ${col}` });
  }
  columns.set('params', acc.numbers('params_M_cifar10'));
  metrics.push({ id: 'params', kind: 'params', unit: 'M', source: 'measured', description: 'NB201 API params (CIFAR-10 network)' });
  const devices: string[] = [];
  for (const col of lat.header) {
    const dev = deviceOf(col);
    if (!dev || col === 'index') continue;
    devices.push(dev);
    columns.set(`latency:${dev}`, lat.numbers(col));
    const src = col.startsWith('hwnb_') ? 'HW-NAS-Bench CIFAR-10 (via HELP)' : 'HELP measurement, NB201 CIFAR-10 network';
    metrics.push({ id: `latency:${dev}`, kind: 'latency', unit: 'ms', source: 'measured', description: `${src}: ${col}` });
  }
  columns.set('energy:fpga', lat.numbers('hwnb_cifar10_fpga_energy_mJ_derived'));
  metrics.push({ id: 'energy:fpga', kind: 'energy', unit: 'mJ', source: 'derived', description: 'HW-NAS-Bench FPGA energy = 7 x latency' });
  for (const ds of Object.keys(ACCURACY_COLUMNS)) {
    const model = nb201Cost(COST_DATASET[ds]!).flops;
    const id = `flops:${ds}`;
    const col = new Float64Array(n);
    genomes.forEach((g, i) => {
      let v = model.intercept;
      g.forEach((b, e) => (v += model.values[e]![b]!));
      col[i] = v;
    });
    columns.set(id, col);
    metrics.push({ id, kind: 'flops', unit: 'MFLOPs', source: 'computed', description: `FLOPs of the ${COST_DATASET[ds]} network, computed by blocknas` });
  }

  const indexOf = (g: Genome) => {
    const i = g.length === 6 ? byRank[genomeRank(radix, g)] : undefined;
    if (i === undefined || i < 0) throw new UserError(`not an NB201 architecture: ${g.join(',')}`);
    return i;
  };
  const values = (id: string) => {
    const v = columns.get(id);
    if (!v) throw new UserError(`nb201 has no metric "${id}" (available: ${[...columns.keys()].join(', ')})`);
    return v;
  };
  const jacobCov = acc.numbers('jacob_cov_cifar10');
  return {
    name: 'nb201',
    space,
    datasets: Object.keys(ACCURACY_COLUMNS),
    devices,
    metrics,
    genomes,
    indexOf,
    values,
    evaluator: (ids) => tabularEvaluator('nb201', metrics, ids, values, indexOf),
    proxy: {
      id: 'jacob_cov:cifar10',
      description: 'jacob_cov (NASWOT v1) of the untrained CIFAR-10 network, batch 256, from the data (column jacob_cov_cifar10)',
      score: (g) => jacobCov[indexOf(g)]!,
    },
    flopsModel: (ds) => {
      const c = COST_DATASET[ds];
      if (!c) throw fieldError('dataset', `"${ds}" is not an NB201 dataset (one of ${Object.keys(COST_DATASET).join(', ')})`);
      return nb201Cost(c).flops;
    },
  };
}
