import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisReport, SpaceReport } from '../src/analysis/analyze.js';
import { radarData, radarSvg } from '../src/analysis/radar.js';
import { assertClose } from './helpers/assert.js';

function space(name: string, size: bigint, pdsRobust: number | null, variance: number, tasks: number): SpaceReport {
  const pds = { minmax: 0, robust: pdsRobust ?? NaN, rank: 0 };
  return {
    name,
    description: name,
    size: { total: size.toString(), unique: null, log10Total: Math.log10(Number(size)), log10Unique: null, totalHow: '', uniqueHow: '', references: [] },
    performanceDiversity: pdsRobust === null ? null : { proxy: 'p', population: 'all', pds, kendall: 0, groups: [] },
    architectureDiversity: { archs: 1, totalVariance: variance, perType: {}, population: 'full', source: '' },
    multiTask: { count: tasks, tasks: Array.from({ length: tasks }, (_, i) => `t${i}`) },
    checks: [],
    notAvailable: [],
    notes: [],
  };
}

const report: AnalysisReport = {
  dataDir: '/data',
  pdsVariant: 'robust',
  spaces: [space('small<&>', 100n, 0.5, 0.1, 1), space('big', 10n ** 18n, null, 0.4, 4)],
};

test('each axis is divided by its largest value; a missing value stays null', () => {
  const d = radarData(report);
  assert.deepEqual(d.axes.map((a) => a.key), ['size', 'pds', 'arch', 'tasks']);
  const [small, big] = d.series;
  assertClose(d.axes[0]!.max!, 18, 1e-9, 'size axis max');
  assertClose(small!.scaled[0]!, 2 / 18, 1e-9, 'small size');
  assert.equal(big!.scaled[0], 1);
  assert.equal(small!.scaled[1], 1);
  assert.equal(big!.raw[1], null);
  assert.equal(big!.scaled[1], null);
  assertClose(small!.scaled[2]!, 0.25, 1e-12, 'arch');
  assertClose(small!.scaled[3]!, 0.25, 1e-12, 'tasks');
});

test('the SVG has the four labelled axes, a polygon and legend entry per space, and escapes names', () => {
  const svg = radarSvg(report);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  for (const label of ['size', 'performance diversity', 'architecture diversity', 'multi-task']) {
    assert.match(svg, new RegExp(`font-weight="bold">${label}</text>`));
  }
  // 4 grid rings + 2 spaces.
  assert.equal(svg.match(/<polygon /g)?.length, 6);
  assert.match(svg, />small&lt;&amp;&gt;</);
  assert.match(svg, />big \(n\/a: pds\)</);
  assert.doesNotMatch(svg, /NaN|undefined/);
  // A missing value is drawn at the centre with a hollow marker, and the chart says so.
  assert.match(svg, /hollow marker at the centre: not available/);
  assert.match(svg, /r="3\.5" fill="white"/);
  const complete: AnalysisReport = { ...report, spaces: [report.spaces[0]!] };
  assert.doesNotMatch(radarSvg(complete), /hollow marker|fill="white" stroke="#/);
});
