import {
  encoderTablePositionSpearman,
  EXCLUSIONS,
  HAT_PARTS,
  hatLatencyCheck,
  type Funnel,
  type HatCheckResult,
} from './hat-latency-check.js';
import { MATHNAS_TASK } from './hat-latency-check-rows.js';
import { ST_DEVICES } from '../src/benchmarks/mathnas-supertransformer.js';
import { section, table } from './common.js';

const f = (v: number | undefined, digits = 3) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : (100 * v).toFixed(0));
const taskLabel = (t: string) => (t === MATHNAS_TASK ? `${t} (exact)` : `${t} (other vocab)`);

function funnelLine(part: string, fu: Funnel): string {
  const out = EXCLUSIONS.filter((e) => fu.excluded[e] > 0).map((e) => `${fu.excluded[e]} ${e}`);
  const kept = Object.entries(fu.compared).map(([t, n]) => `${t} ${n}`).join(', ');
  return `${part.padEnd(8)} ${fu.total} rows: excluded ${out.join(', ')}; compared ${kept}`;
}

/**
 * MathNAS's SuperTransformer latency tables against HAT's measured latencies. Each HAT row gives only per-layer
 * averages, so its block-predicted latency is an exact band (min, mean, max over every MathNAS configuration with
 * those averages); measured is compared with the mean.
 */
export function benchHatLatency(dataDir: string): void {
  section("SuperTransformer: MathNAS block-predicted latency vs HAT's measured latency dataset");
  const { funnels, results } = hatLatencyCheck(dataDir);
  for (const part of HAT_PARTS) console.log(funnelLine(part, funnels[part]));
  const network = results.filter((r) => r.part === 'network');
  console.log('\nwhole network (latency_mean_total). Spearman/Kendall: band mean vs measured; depth only: Spearman of the decoder depth alone;');
  console.log('MAPE, median |%err|, in band: after one scale s per row group (s·mean, [s·min, s·max]); raw MAPE: no scale;');
  console.log('rank in band: the measured rank, read off the sorted means, inside [min, max]; in space: expected rows whose true config uses MathNAS options only');
  table(
    ['device', 'task', 'rows', 'Spearman', 'Kendall', 'depth only', 'scale s', 'MAPE %', 'median |%err|', 'raw MAPE %', 'in band %', 'rank in band %', 'band width %', 'in space'],
    network.map((r) => [
      r.device, taskLabel(r.task), r.rows, f(r.spearman), f(r.kendall), f(r.spearmanDepthOnly), f(r.absolute?.scale),
      f(r.absolute?.scaledMape, 1), f(r.absolute?.medianAbsPct, 1), f(r.absolute?.rawMape, 1), pct(r.absolute?.inBandScaled),
      pct(r.inBandRank), f(r.absolute?.bandWidthPct, 1), f(r.expectedInSpace, 2),
    ]),
  );
  const parts = results.filter((r: HatCheckResult) => r.part !== 'network');
  console.log('\nparts timed separately by HAT (latency_mean_encoder / _decoder); block sums are deltas, so ranks only:');
  table(
    ['part', 'device', 'task', 'rows', 'Spearman', 'Kendall', 'Kendall within depth', 'depth only', 'rank in band %', 'in space'],
    parts.map((r) => [r.part, r.device, taskLabel(r.task), r.rows, f(r.spearman), f(r.kendall), f(r.kendallWithinDepth), f(r.spearmanDepthOnly), pct(r.inBandRank), f(r.expectedInSpace, 1)]),
  );
  const drift = ST_DEVICES.map((d) => `${d} ${f(encoderTablePositionSpearman(dataDir, d), 2)}`).join(', ');
  console.log(`\nMathNAS encoder latency values vs their position in the table (Spearman): ${drift}`);
}
