import { readCsv } from '../data/csv.js';

/** The data files the analysis reads, relative to the data directory. */
export const ANALYSIS_FILES = {
  zc: 'zc/naslib_zc_samples.csv',
  nb201: 'nb201/nb201_accuracy.csv',
  tnbMicroFull: 'zc/naslib_tnb101_micro_zen_full.csv',
} as const;

/** NASLib's jacov floor: a stand-in for a failed score, not a measured value (README, zc/ caveats). */
export const JACOV_SENTINEL = -1e8;

/** One benchmark × dataset (or task) of NASLib's sampled zero-cost benchmark. */
export interface ZcGroup {
  readonly task: string;
  readonly archs: readonly string[];
  readonly acc: Float64Array;
  readonly jacov: Float64Array;
}

const zcCache = new Map<string, Map<string, ZcGroup[]>>();

/** Groups of `zc/naslib_zc_samples.csv` by benchmark, in file order of first appearance. */
export function zcGroups(dataDir: string, benchmark: string): ZcGroup[] {
  let byBenchmark = zcCache.get(dataDir);
  if (!byBenchmark) {
    const t = readCsv(dataDir, ANALYSIS_FILES.zc, ['benchmark', 'dataset', 'arch_decoded', 'val_accuracy', 'jacov']);
    const bench = t.column('benchmark');
    const task = t.column('dataset');
    const arch = t.column('arch_decoded');
    const acc = t.numbers('val_accuracy');
    const jacov = t.numbers('jacov');
    const rows = new Map<string, number[]>();
    bench.forEach((b, i) => {
      const key = `${b}\u0000${task[i]}`;
      let list = rows.get(key);
      if (!list) rows.set(key, (list = []));
      list.push(i);
    });
    byBenchmark = new Map();
    for (const [key, idx] of rows) {
      const [b, tk] = key.split('\u0000') as [string, string];
      const groups = byBenchmark.get(b) ?? [];
      groups.push({
        task: tk,
        archs: idx.map((i) => arch[i]!),
        acc: Float64Array.from(idx, (i) => acc[i]!),
        jacov: Float64Array.from(idx, (i) => jacov[i]!),
      });
      byBenchmark.set(b, groups);
    }
    zcCache.set(dataDir, byBenchmark);
  }
  return byBenchmark.get(benchmark) ?? [];
}

/** Accuracy column of the full NB201 table for each dataset (the NATS test accuracy, 200 epochs). */
export const NB201_TASK_COLUMNS: Readonly<Record<string, string>> = {
  cifar10: 'cifar10_test',
  cifar100: 'cifar100_test',
  'imagenet16-120': 'imagenet16_120_test',
};

export interface Nb201Full {
  readonly archs: readonly string[];
  readonly isoUnique: readonly string[];
  readonly isoClasses: number;
  /** NASWOT v1 jacob_cov on CIFAR-10 (batch 256); NaN where the source had NaN / −inf. */
  readonly jacov: Float64Array;
  readonly acc: Readonly<Record<string, Float64Array>>;
}

export function loadNb201Full(dataDir: string): Nb201Full {
  const cols = Object.values(NB201_TASK_COLUMNS);
  const t = readCsv(dataDir, ANALYSIS_FILES.nb201, ['arch_str', 'iso_class', 'iso_unique_str', 'jacob_cov_cifar10', ...cols]);
  const acc: Record<string, Float64Array> = {};
  for (const [task, col] of Object.entries(NB201_TASK_COLUMNS)) acc[task] = t.numbers(col);
  return {
    archs: t.column('arch_str'),
    isoUnique: t.column('iso_unique_str'),
    isoClasses: new Set(t.column('iso_class')).size,
    jacov: t.numbers('jacob_cov_cifar10'),
    acc,
  };
}

/** The distinct TNB101-micro architectures of the full Zen-NAS table (every cell of the space, once per task). */
export function tnbMicroFullArchs(dataDir: string): string[] {
  const t = readCsv(dataDir, ANALYSIS_FILES.tnbMicroFull, ['arch_decoded']);
  return [...new Set(t.column('arch_decoded'))];
}
