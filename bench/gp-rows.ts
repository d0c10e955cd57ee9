import type { TabularBenchmark } from '../src/core/tabular-benchmark.js';
import { createRng, shuffle } from '../src/random.js';
import { radices } from '../src/space/space.js';
import { kendallTau } from '../src/stats/kendall.js';
import { cellsWithMetric } from './surrogate-bench.js';
import { DEFAULT_HYPER_ROWS, gaussianProcess } from '../src/surrogate/gp.js';
import { section, table } from './common.js';

/**
 * The GP's hyperparameter grid on a subset (default) against the full grid, on as many rows as a NATv2 fit with
 * equivalents reaches on NB201: fit time, and Kendall tau of the fitted model over every cell with the metric.
 */
export function benchGpRows(bench: TabularBenchmark, options: { quick: boolean }): void {
  section(`Gaussian process: hyperparameter grid on ${DEFAULT_HYPER_ROWS} rows (default) against the full grid (NB201 IN16 accuracy)`);
  const { truth, known, all, allTruth } = cellsWithMetric(bench, 'accuracy:imagenet16-120');
  const radix = radices(bench.space);
  const rows: (string | number)[][] = [];
  for (const n of options.quick ? [800] : [800, 1200, 1600]) {
    const pick = shuffle([...known], createRng(n)).slice(0, n);
    const x = pick.map((i) => bench.genomes[i]!);
    const y = pick.map((i) => truth[i]!);
    const run = (hyperRows: number) => {
      const gp = gaussianProcess({ radix, hyperRows });
      const t0 = performance.now();
      gp.fit(x, y);
      const ms = performance.now() - t0;
      return { ms, tau: kendallTau(gp.predict(all), allTruth), h: gp.hyper! };
    };
    const full = run(Infinity);
    const sub = run(DEFAULT_HYPER_ROWS);
    const hyper = (h: typeof full.h) => `l ${h.lengthscale.toFixed(2)}, noise/signal ${(h.noiseVariance / h.signalVariance).toExponential(0)}`;
    rows.push([n, `${(full.ms / 1000).toFixed(2)} s`, `${(sub.ms / 1000).toFixed(2)} s`, `${(full.ms / sub.ms).toFixed(1)}x`, full.tau.toFixed(3), sub.tau.toFixed(3), hyper(full.h), hyper(sub.h)]);
  }
  table(['rows', 'fit, full grid', 'fit, subset grid', 'speed-up', 'tau full', 'tau subset', 'chosen (full)', 'chosen (subset)'], rows);
}
