import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../src/text-table.js';
import { median, quantile } from '../src/stats/summary.js';
import { findTarget } from '../src/targets/registry.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Benchmarks read the same data as tests: $BLOCKNAS_DATA, else ../shared/data beside the repository. */
export function benchDataDir(): string | undefined {
  const dir = process.env.BLOCKNAS_DATA ?? join(root, '..', 'shared', 'data');
  return existsSync(dir) ? dir : undefined;
}

export function section(title: string): void {
  console.log(`\n## ${title}\n`);
}

export function table(header: string[], rows: (string | number)[][]): void {
  console.log(renderTable(header, rows));
}

export function spread(xs: number[]): string {
  if (xs.length === 1) return xs[0]!.toFixed(3);
  return `${median(xs).toFixed(3)} [${quantile(xs, 0).toFixed(3)}, ${quantile(xs, 1).toFixed(3)}]`;
}

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** NB201 through the registry, as every command opens it (loaded once per data directory). */
export const loadNb201 = (dir: string) => findTarget('nb201').benchmark!(dir);
