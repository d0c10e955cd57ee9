import { mathnasReproduction } from './mathnas-repro-check.js';
import { warmUpHighs } from '../src/search/highs.js';
import { median } from '../src/stats/summary.js';
import { section, table } from './common.js';
import { mathnasProblems, measureSolveTimes, printSolveTimes, targetOf } from './solve-times.js';

const short = (m: string) => m.split(':')[0]!.replace('accuracy', 'acc').replace('latency', 'lat');

/**
 * MathNAS's published configurations against blocknas's search under the same predictions: the published
 * figures, blocknas's prediction of the published configuration, and the ILP's choice under that configuration's
 * own predicted cost (it must be at least as good).
 */
export async function benchMathnasReproduction(dataDir: string) {
  section("MathNAS spaces: published configurations vs blocknas's ILP under the same limit and predictions");
  await warmUpHighs();
  const rows = await mathnasReproduction(dataDir);
  table(
    ['result', 'space', 'device', 'published', 'blocknas predicts it', 'limit', 'ILP choice predicted', 'gain', 'solve ms'],
    rows.map((r) => {
      const fig = (m: Readonly<Record<string, number>>) => Object.entries(m).map(([k, v]) => `${short(k)} ${v.toFixed(2)}`).join(', ');
      return [r.id, r.space, r.device ?? '-', fig(r.published), fig(r.predicted), `${short(r.limitMetric)} <= ${r.limit.toFixed(2)}`, fig(r.ilpPredicted), (r.ilpPredicted[r.objective]! - r.predicted[r.objective]!).toFixed(3), r.solveMs.toFixed(1)];
    }),
  );
  const bySpace = new Map<string, number[]>();
  for (const r of rows) bySpace.set(r.space, [...(bySpace.get(r.space) ?? []), r.solveMs]);
  console.log(`\nmedian ILP solve (first solve of each problem in this process): ${[...bySpace].map(([s, ms]) => `${s} ${median(ms).toFixed(1)} ms`).join(', ')}`);
  section('MathNAS spaces: solveIlp time against HiGHS alone on the same problems (1 untimed + 5 timed solves each)');
  printSolveTimes(await measureSolveTimes(mathnasProblems(dataDir, rows), { repeats: 5 }), targetOf);
}
