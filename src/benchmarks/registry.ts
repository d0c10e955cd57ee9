import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { loadNb201, NB201_FILES } from './nb201.js';
import type { TabularBenchmark } from '../core/tabular-benchmark.js';

export interface BenchmarkEntry {
  readonly name: string;
  readonly description: string;
  readonly files: readonly string[];
  /** The dataset and device a bare accuracy or latency refers to. */
  readonly defaults: { readonly dataset: string; readonly device: string };
  load(dataDir: string): TabularBenchmark;
}

/** Every benchmark blocknas reads from a data directory; a new benchmark is a new entry here and a loader. */
export const BENCHMARKS: readonly BenchmarkEntry[] = [
  {
    name: 'nb201',
    description: 'NAS-Bench-201: 6-edge cell, 5 ops, 15,625 cells; accuracy on 4 datasets, 27 device latencies',
    files: Object.values(NB201_FILES),
    // HW-NAS-Bench's hardest dataset and its exactly additive device.
    defaults: { dataset: 'imagenet16-120', device: 'fpga' },
    load: loadNb201,
  },
];

export function missingFiles(entry: BenchmarkEntry, dataDir: string): string[] {
  return entry.files.filter((f) => !existsSync(join(dataDir, f)));
}

const loaded = new Map<string, TabularBenchmark>();

export function loadBenchmark(name: string, dataDir: string): TabularBenchmark {
  const entry = BENCHMARKS.find((b) => b.name === name);
  if (!entry) throw new UserError(`unknown space "${name}" (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const missing = missingFiles(entry, dataDir);
  if (missing.length > 0) throw new UserError(`space ${name}: missing data file ${missing.join(', ')} in ${dataDir}`);
  const key = `${name}@${dataDir}`;
  let b = loaded.get(key);
  if (!b) {
    b = entry.load(dataDir);
    loaded.set(key, b);
  }
  return b;
}
