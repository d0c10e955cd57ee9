import { hypervolume } from '../src/moo/hypervolume.js';
import { createRng } from '../src/random.js';
import { median } from '../src/stats/summary.js';
import { slicingHypervolume, spherePoints } from '../test/helpers/hypervolume-slicing.js';
import { section, table } from './common.js';

/** Median wall time of `reps` calls after one warm-up call (the JIT), in ms. */
function timeMs(fn: () => number, reps: number): { ms: number; value: number } {
  let value = fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value };
}

/**
 * Exact hypervolume (2-D sweep, 3-D staircase, HSO with pruning above) against plain slicing measured in the same
 * run, on mutually non-dominated points on the unit sphere (every point adds volume: the hard case).
 */
export function benchHypervolume({ quick }: { quick: boolean }): void {
  section('Exact hypervolume: blocknas vs plain slicing (mutually non-dominated points on the unit sphere, median of 21 calls, 5 for slicing)');
  const rng = createRng(7);
  const cases: [number, number][] = quick ? [[3, 200], [4, 100]] : [[2, 1000], [3, 200], [3, 400], [4, 100], [4, 200]];
  const rows = cases.map(([m, n]) => {
    const pts = spherePoints(n, m, rng);
    const ref = new Array<number>(m).fill(1.1);
    const ours = timeMs(() => hypervolume(pts, ref), 21);
    const naive = timeMs(() => slicingHypervolume(pts, ref), m === 4 && n > 150 ? 1 : 5);
    const agree = Math.abs(ours.value - naive.value) <= 1e-10 * Math.max(1, naive.value);
    return [`${m}-D`, n, ours.ms.toFixed(2), naive.ms.toFixed(1), `${(naive.ms / ours.ms).toFixed(0)}x`, agree ? 'yes' : `NO (${ours.value} vs ${naive.value})`];
  });
  table(['objectives', 'points', 'blocknas ms', 'slicing ms', 'speed-up', 'same volume'], rows);
}
