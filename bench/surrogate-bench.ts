import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { createRng, shuffle } from '../src/random.js';
import { radices } from '../src/space/space.js';
import { kendallTau } from '../src/stats/kendall.js';
import { spearman } from '../src/stats/rank.js';
import { median } from '../src/stats/summary.js';
import { defaultSurrogates } from '../src/surrogate/registry.js';
import { selectSurrogate } from '../src/surrogate/select.js';
import type { Surrogate } from '../src/surrogate/types.js';

export interface SurrogateBenchOptions {
  /** Default 'accuracy:imagenet16-120'. */
  readonly metric?: string;
  /** Training-set sizes (random distinct cells). Default [100, 300]. */
  readonly budgets?: readonly number[];
  /** Independent samples per budget, seeds 0..seeds-1. Default 3. */
  readonly seeds?: number;
  /** The pool; default every default surrogate on raw values, then the nonlinear ones again on rank targets. */
  readonly surrogates?: (radix: readonly number[], seed: number) => Surrogate[];
  /** Also run NAT's adaptive selection over the pool (row "adaptive → <winner>"). Default true. */
  readonly adaptive?: boolean;
  readonly folds?: number;
}

export interface SurrogateBenchRow {
  readonly surrogate: string;
  readonly budget: number;
  readonly seed: number;
  /** Against the true metric over every architecture with a value (15,625 on NB201). */
  readonly kendall: number;
  readonly spearman: number;
  /** Fit wall time, ms (for adaptive: cross-validation of the whole pool plus the refit). */
  readonly fitMs: number;
  readonly predictMs: number;
}

/** The table's cells that have `metric` (indices, genomes and values), the ground truth surrogates are scored on. */
export function cellsWithMetric(bench: TabularBenchmark, metric: string) {
  const truth = bench.values(metric);
  const known = bench.genomes.map((_, i) => i).filter((i) => Number.isFinite(truth[i]!));
  return { truth, known, all: known.map((i) => bench.genomes[i]!), allTruth: known.map((i) => truth[i]!) };
}

/**
 * Every surrogate trained on `budget` random cells and scored by rank correlation on the whole table. Prints
 * nothing; the caller formats (see surrogateBenchTable).
 */
export function benchSurrogates(bench: TabularBenchmark, options: SurrogateBenchOptions = {}): SurrogateBenchRow[] {
  const metric = options.metric ?? 'accuracy:imagenet16-120';
  const budgets = options.budgets ?? [100, 300];
  const seeds = options.seeds ?? 3;
  const pool =
    options.surrogates ??
    ((radix: readonly number[], seed: number) => [
      ...defaultSurrogates(radix, seed),
      ...defaultSurrogates(radix, seed, { rankTarget: true }).filter((s) => s.name.endsWith('+rank')),
    ]);
  const radix = radices(bench.space);
  const { truth, known, all, allTruth } = cellsWithMetric(bench, metric);
  const rows: SurrogateBenchRow[] = [];
  const score = (s: Surrogate, label: string, budget: number, seed: number, fitMs: number) => {
    const t0 = performance.now();
    const pred = s.predict(all);
    const predictMs = performance.now() - t0;
    rows.push({ surrogate: label, budget, seed, kendall: kendallTau(pred, allTruth), spearman: spearman(pred, allTruth), fitMs, predictMs });
  };
  for (const budget of budgets) {
    if (budget > known.length) throw new Error(`benchSurrogates: budget ${budget} exceeds the ${known.length} cells with ${metric}`);
    for (let seed = 0; seed < seeds; seed++) {
      const pick = shuffle([...known], createRng(seed * 7919 + budget)).slice(0, budget);
      const x = pick.map((i) => bench.genomes[i]!);
      const y = pick.map((i) => truth[i]!);
      for (const s of pool(radix, seed)) {
        const t0 = performance.now();
        s.fit(x, y);
        score(s, s.name, budget, seed, performance.now() - t0);
      }
      if (options.adaptive ?? true) {
        const t0 = performance.now();
        const { best } = selectSurrogate(pool(radix, seed), x, y, { folds: options.folds ?? 5, seed });
        score(best, `adaptive → ${best.name}`, budget, seed, performance.now() - t0);
      }
    }
  }
  return rows;
}

/**
 * Median over seeds per (surrogate, budget), ready for a table: adaptive rows are pooled whatever they picked,
 * with the picks listed.
 */
export function surrogateBenchTable(rows: readonly SurrogateBenchRow[]): { header: string[]; rows: string[][] } {
  const groups = new Map<string, SurrogateBenchRow[]>();
  for (const r of rows) {
    const key = `${r.surrogate.startsWith('adaptive') ? 'adaptive' : r.surrogate}\u0000${r.budget}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out = [...groups.entries()].map(([key, rs]) => {
    const [name, budget] = key.split('\u0000') as [string, string];
    const picks = name === 'adaptive' ? ` (${rs.map((r) => r.surrogate.replace('adaptive → ', '')).join(', ')})` : '';
    return [
      name + picks,
      budget,
      median(rs.map((r) => r.kendall)).toFixed(3),
      median(rs.map((r) => r.spearman)).toFixed(3),
      median(rs.map((r) => r.fitMs)).toFixed(0),
      median(rs.map((r) => r.predictMs)).toFixed(0),
    ];
  });
  return { header: ['surrogate', 'train cells', 'kendall', 'spearman', 'fit ms', 'predict ms (all cells)'], rows: out };
}
