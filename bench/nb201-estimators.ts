import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { publishedMathnasNb201 } from '../src/benchmarks/mathnas-nb201.js';
import type { BlockTable } from '../src/core/block-table.js';
import { ESTIMATORS, type Estimator } from '../src/predict/estimators/index.js';
import { validateTable } from '../src/predict/validate-table.js';
import { median } from '../src/stats/summary.js';
import { section, spread, table } from './common.js';

export const DATASETS = ['cifar10', 'cifar100', 'imagenet16-120'] as const;
export const DEVICES = ['fpga', 'raspi4', 'pixel3', '2080ti_1'] as const;

interface Config {
  readonly estimator: Estimator;
  readonly graph: boolean;
  readonly budget?: number;
}

const byName = (n: string) => ESTIMATORS.find((e) => e.name === n)!;

export function estimatorConfigs(budgets: readonly number[]): Config[] {
  const out: Config[] = [
    { estimator: byName('mathnas'), graph: false },
    { estimator: byName('mathnas'), graph: true },
  ];
  for (const budget of budgets.filter((b) => b >= 60)) out.push({ estimator: byName('mathnas-sampled'), graph: false, budget });
  for (const budget of budgets) out.push({ estimator: byName('regression'), graph: false, budget });
  for (const budget of budgets) out.push({ estimator: byName('regression'), graph: true, budget });
  return out;
}

export async function estimate(bench: TabularBenchmark, c: Config, dataset: string, devices: readonly string[], seed: number): Promise<BlockTable> {
  const accuracy = `accuracy:${dataset}`;
  const costs = devices.map((d) => `latency:${d}`);
  return c.estimator.estimate({
    space: bench.space,
    evaluator: bench.evaluator([accuracy, ...costs]),
    accuracy,
    costs,
    flops: bench.flopsModel!(dataset),
    ...(c.budget ? { budget: c.budget } : {}),
    seed,
    graphAware: c.graph,
  });
}

/**
 * Rank correlation of every estimator against the number of networks it evaluated, over all 15,625 cells:
 * accuracy per dataset, latency per device. Sampling estimators: median [min, max] over seeds.
 */
export async function benchEstimators(bench: TabularBenchmark, dataDir: string, budgets: readonly number[], seeds: number) {
  section('NB201: block estimators against evaluated networks (Spearman / Kendall over all 15,625 cells)');
  const summary: Record<string, Record<string, number>> = {};
  for (const dataset of DATASETS) {
    const rows: (string | number)[][] = [];
    const pub = validateTable(publishedMathnasNb201(dataDir, dataset), bench);
    rows.push(['mathnas-published (released tables)', 'n/a', pub[0]!.spearman.toFixed(3), pub[0]!.kendall.toFixed(3), ...DEVICES.map((d) => (d === 'fpga' ? `${pub[1]!.spearman.toFixed(3)} / ${pub[1]!.kendall.toFixed(3)}` : '-'))]);
    for (const c of estimatorConfigs(budgets)) {
      const n = c.estimator.name === 'mathnas' ? 1 : seeds;
      const rho: number[] = [];
      const tau: number[] = [];
      const lat: number[][] = DEVICES.map(() => []);
      const latTau: number[][] = DEVICES.map(() => []);
      const evaluated: number[] = [];
      for (let seed = 0; seed < n; seed++) {
        const t = await estimate(bench, c, dataset, DEVICES, seed);
        const v = validateTable(t, bench);
        rho.push(v[0]!.spearman);
        tau.push(v[0]!.kendall);
        DEVICES.forEach((_, k) => {
          lat[k]!.push(v[k + 1]!.spearman);
          latTau[k]!.push(v[k + 1]!.kendall);
        });
        evaluated.push(t.evaluated);
      }
      const label = `${c.estimator.name}${c.graph ? '+graph' : ''}`;
      rows.push([label, Math.max(...evaluated), spread(rho), spread(tau), ...lat.map((l, k) => `${median(l).toFixed(3)} / ${median(latTau[k]!).toFixed(3)}`)]);
      summary[`${dataset} ${label} ${Math.max(...evaluated)}`] = { spearman: median(rho), kendall: median(tau) };
    }
    console.log(`${dataset} (accuracy: median [min, max] over ${seeds} seeds; latency columns: median Spearman / Kendall)`);
    table(['estimator', 'networks', 'acc spearman', 'acc kendall', ...DEVICES.map((d) => `lat ${d}`)], rows);
    console.log('');
  }
  return summary;
}
