import { pathToFileURL } from 'node:url';
import { BUILTIN_DEFAULT_BUDGET, estimateBuiltinTable, openBuiltinEvaluator } from '../src/builtin/estimate.js';
import { defaultWorkers } from '../src/builtin/pool.js';
import { type AccuracySpec, builtinSpace } from '../src/builtin/spaces.js';
import { SPLIT_SIZES } from '../src/data/datasets.js';
import { DEFAULT_SUPERNET_SETTINGS, type SupernetSettings } from '../src/eval/supernet.js';
import type { Metrics } from '../src/core/metrics.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { predict } from '../src/predict/predict.js';
import { createRng } from '../src/random.js';
import { genomeKey } from '../src/space/space.js';
import type { Genome } from '../src/space/types.js';
import { mbv3MiniFamily } from '../src/spaces/mbv3-mini/supernet.js';
import { kendallTau } from '../src/stats/kendall.js';
import { spearman } from '../src/stats/rank.js';
import { mean } from '../src/stats/summary.js';
import { createMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { section, table } from './common.js';

export interface Mbv3EstimateBenchOptions {
  readonly quick?: boolean;
  /** Held-out networks measured against the table's predictions. */
  readonly heldOut?: number;
  /** Networks trained from scratch for the cost baseline. */
  readonly scratch?: number;
  /** false: train the super-network without in-place distillation (the default has it). */
  readonly distill?: boolean;
  /**
   * A SQLite file (new or empty) for the estimation's evaluations instead of memory: `blocknas estimate mbv3-mini
   * --store FILE --out tables/mbv3-mini.json` then writes the table of this very run without measuring again.
   */
  readonly store?: string;
}

/**
 * The built-in space's whole block estimation as `blocknas estimate mbv3-mini` runs it (super-network training,
 * sub-network evaluations on a worker pool, latency timed here), then held-out networks the estimation never saw,
 * measured the same way and compared with the table's predictions. Baseline for the cost: networks trained from
 * scratch with the same images, timed in this run and extrapolated to the estimation's budget.
 */
export async function benchMbv3Estimate(options: Mbv3EstimateBenchOptions = {}): Promise<void> {
  const quick = options.quick ?? false;
  const heldOutCount = options.heldOut ?? (quick ? 20 : 60);
  const scratchCount = options.scratch ?? 2;
  const workers = defaultWorkers();
  const supernet: Partial<SupernetSettings> = { ...(quick ? { trainSize: 1000, valSize: 1000, testSize: 200 } : {}), ...(options.distill === false ? { distill: false } : {}) };
  const budget = quick ? 60 : BUILTIN_DEFAULT_BUDGET;
  const accuracy: AccuracySpec = { space: 'mbv3-mini', kind: 'supernet', dataset: 'fashion-mnist', supernet };
  const settings = { ...DEFAULT_SUPERNET_SETTINGS, ...supernet };
  section(
    `Built-in mbv3-mini on ${settings.dataset}: block estimation with weight sharing (this machine, ${workers} workers), ` +
      `then ${heldOutCount} held-out networks, predicted vs measured`,
  );
  console.log(
    `super-network: ${settings.epochs} epoch(s) on ${settings.trainSize} images, sandwich of largest + smallest + ${settings.randomSubnets} random; ` +
      `${settings.distill ? 'in-place distillation from the largest; ' : ''}each network: BN on ${settings.calibrationImages} images, accuracy on ${settings.valSize} validation images; regression on ${budget} networks`,
  );
  const store = options.store ? openSqliteStore(options.store) : createMemoryStore();
  const space = builtinSpace('mbv3-mini');
  let trainedAt = 0;
  const t0 = performance.now();
  const r = await estimateBuiltinTable({
    space: 'mbv3-mini',
    accuracy,
    device: 'wasm',
    estimator: regressionEstimator,
    budget,
    seed: 0,
    store,
    workers,
    onTrainStep: (done, total) => {
      if (done === total) trainedAt = performance.now();
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const train = (trainedAt - t0) / 1000;
  const tableOut = r.table!;

  // Held-out: valid networks drawn with another seed, none of them evaluated by the estimation.
  const family = mbv3MiniFamily(space);
  const rng = createRng(12345);
  const heldOut: Genome[] = [];
  const seen = new Set<string>();
  const session = openBuiltinEvaluator({ space: 'mbv3-mini', accuracy, device: 'wasm', store, workers });
  while (heldOut.length < heldOutCount) {
    const g = family.sample(rng);
    const k = genomeKey(g);
    if (seen.has(k) || store.getEvaluations(r.key, [k]).size > 0) continue;
    seen.add(k);
    heldOut.push(g);
  }
  const t1 = performance.now();
  const measured = (await session.evaluator.evaluate(heldOut)) as Metrics[];
  const heldOutSeconds = (performance.now() - t1) / 1000;
  await session.close();
  // The same networks on the whole validation split: the estimation's 1,500-image figure has ~1.2 points of
  // sampling noise, as much as the spread between sub-networks; this one has about half.
  const fullVal = SPLIT_SIZES[settings.dataset].validation;
  const precise = openBuiltinEvaluator({ space: 'mbv3-mini', accuracy: { ...accuracy, supernet: { ...supernet, valSize: fullVal } }, device: 'wasm', store, workers });
  const measuredFull = (await precise.evaluator.evaluate(heldOut)) as Metrics[];
  await precise.close();
  const predicted = heldOut.map((g) => predict(tableOut, space, g));
  const col = (rows: readonly Record<string, number>[], id: string) => rows.map((m) => m[id]!);
  const rows: (string | number)[][] = [];
  const acc = `accuracy:${settings.dataset}-val`;
  // Spearman over 30 networks has a standard error near 0.1: the first 30 are shown for comparison with earlier
  // runs, all of them for the figure to go by.
  const first = Math.min(30, heldOutCount);
  for (const [label, id, unit, truth] of [
    [`${acc}, ${settings.valSize} images (as estimated)`, acc, '%', measured],
    [`${acc}, all ${fullVal} images`, acc, '%', measuredFull],
    ['latency:wasm', 'latency:wasm', 'ms', measured],
  ] as const) {
    const p = col(predicted, id);
    const m = col(truth, id);
    const mape = mean(p.map((v, i) => Math.abs(v - m[i]!) / Math.abs(m[i]!))) * 100;
    rows.push([
      label,
      spearman(p, m).toFixed(3),
      spearman(p.slice(0, first), m.slice(0, first)).toFixed(3),
      kendallTau(p, m).toFixed(3),
      `${Math.min(...m).toFixed(2)}-${Math.max(...m).toFixed(2)} ${unit}`,
      `${mape.toFixed(1)}%`,
    ]);
  }
  table(['measured', `Spearman (${heldOutCount} held-out)`, `(first ${first})`, 'Kendall', 'measured range', 'MAPE'], rows);
  console.log(
    `measurement noise: Spearman between the ${settings.valSize}-image and the ${fullVal}-image accuracies of the same networks ${spearman(col(measured, acc), col(measuredFull, acc)).toFixed(3)}; ` +
      `validation vs test (${settings.testSize} images) ${spearman(col(measuredFull, acc), col(measuredFull, `accuracy:${settings.dataset}-test`)).toFixed(3)}`,
  );

  // Baseline: the same networks' cost when each is trained from scratch on the same images for the same epochs.
  const scratch = openBuiltinEvaluator({
    space: 'mbv3-mini',
    accuracy: { ...accuracy, kind: 'train', train: { epochs: settings.epochs, trainSize: settings.trainSize, valSize: settings.valSize, testSize: settings.testSize } },
    device: 'wasm',
    store: createMemoryStore(),
    workers,
  });
  const t2 = performance.now();
  const trained = await scratch.evaluator.evaluate(heldOut.slice(0, scratchCount));
  const scratchWall = (performance.now() - t2) / 1000;
  await scratch.close();
  const perNetwork = scratchWall / scratchCount;
  const evaluationSeconds = wall - train;
  table(
    ['', 'seconds'],
    [
      ['block estimation, whole (weight sharing)', wall.toFixed(0)],
      ['  super-network training', train.toFixed(0)],
      [`  ${r.fresh} networks evaluated (accuracy on the pool, latency here)`, evaluationSeconds.toFixed(0)],
      [`baseline: training from scratch, ${scratchCount} networks on ${workers} workers, per network`, perNetwork.toFixed(1)],
      [`baseline extrapolated to the estimation's ${r.fresh} networks`, (perNetwork * r.fresh).toFixed(0)],
    ],
  );
  console.log(`weight sharing / training each network: ${(wall / (perNetwork * r.fresh)).toFixed(3)} of the time (${((perNetwork * r.fresh) / wall).toFixed(1)}x faster)`);
  console.log(`held-out measurement: ${heldOutSeconds.toFixed(0)} s for ${heldOutCount} networks`);
  const id = acc;
  console.log(
    `from scratch vs inherited weights, validation accuracy: ${heldOut
      .slice(0, scratchCount)
      .map((g, i) => `${space.format(g)} ${trained[i]![id]!.toFixed(1)}% vs ${measured[i]![id]!.toFixed(1)}%`)
      .join('; ')}`,
  );
  store.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const storeAt = process.argv.indexOf('--store');
  await benchMbv3Estimate({
    quick: process.argv.includes('--quick'),
    ...(process.argv.includes('--no-distill') ? { distill: false } : {}),
    ...(storeAt >= 0 && process.argv[storeAt + 1] ? { store: process.argv[storeAt + 1]! } : {}),
  });
}
