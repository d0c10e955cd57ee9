import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpace } from '../src/analysis/analyze.js';
import { ANALYSIS_FILES, JACOV_SENTINEL, loadNb201Full, NB201_TASK_COLUMNS, zcGroups } from '../src/analysis/data.js';
import { natsUniqueString, nb201Classes } from '../src/analysis/nb201-iso.js';
import { describe, groupDiversity, pds } from '../src/analysis/pds.js';
import { parseNb201 } from '../src/spaces/nb201/space.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const SUMMARY = 'zc/zc_diversity_summary.json';
const skip = needsData(ANALYSIS_FILES.zc, ANALYSIS_FILES.nb201, ANALYSIS_FILES.tnbMicroFull, SUMMARY);

interface SummaryGroup {
  group: string;
  n: number;
  acc_std: number;
  acc_min: number;
  acc_max: number;
  acc_iqr: number;
  jacov_n: number;
  jacov_std: number;
  jacov_iqr: number;
  jacov_kendall: number;
}
/** The summary was written by Python's json, which spells a missing statistic NaN; JSON itself has no NaN. */
const summary = () => {
  const text = readFileSync(join(DATA_DIR, SUMMARY), 'utf8').replace(/\bNaN\b/g, 'null');
  return new Map((JSON.parse(text) as SummaryGroup[]).map((g) => [g.group, g]));
};

/**
 * The summary's statistics are what the PDS is built from: SD and IQR of each side, and min/max of accuracy. Its
 * accuracy statistics cover every arch of the group (`acc`), its jacov ones the archs with a finite score.
 */
function assertMatchesSummary(g: ReturnType<typeof groupDiversity>, acc: Float64Array, s: SummaryGroup, where: string) {
  assert.equal(g.n, s.jacov_n, `${where}: n`);
  assertClose(g.kendall, s.jacov_kendall, 1e-9, `${where}: kendall`);
  assertClose(g.raw.proxy.sd, s.jacov_std, 1e-9 * Math.abs(s.jacov_std), `${where}: jacov sd`);
  assertClose(g.raw.proxy.q75 - g.raw.proxy.q25, s.jacov_iqr, 1e-9 * Math.abs(s.jacov_iqr), `${where}: jacov iqr`);
  const a = describe(acc);
  assert.equal(acc.length, s.n, `${where}: archs`);
  assertClose(a.sd, s.acc_std, 1e-9, `${where}: acc sd`);
  assertClose(a.q75 - a.q25, s.acc_iqr, 1e-9, `${where}: acc iqr`);
  assertClose(a.max - a.min, s.acc_max - s.acc_min, 1e-9, `${where}: acc range`);
}

test('NB201: the computed NATS classes are the data\'s 6,466 iso classes, arch by arch', { skip }, () => {
  const d = loadNb201Full(DATA_DIR);
  assert.equal(BigInt(nb201Classes().nats), BigInt(d.isoClasses));
  const differing = d.archs.filter((a, i) => natsUniqueString(parseNb201(a)) !== d.isoUnique[i]);
  assert.deepEqual(differing, []);
});

test('Kendall tau and the PDS ingredients match zc_diversity_summary for every NASLib sample group', { skip }, () => {
  const s = summary();
  const benchmarks = ['nasbench101', 'nasbench201', 'nasbench301', 'transbench101_micro', 'transbench101_macro'];
  let checked = 0;
  for (const b of benchmarks) {
    for (const z of zcGroups(DATA_DIR, b)) {
      const key = `naslib_sample:${b}:${z.task}`;
      const ref = s.get(key);
      assert.ok(ref, `summary lacks ${key}`);
      assertMatchesSummary(groupDiversity(z.task, z.jacov, z.acc), z.acc, ref, key);
      checked++;
    }
  }
  assert.equal(checked, [...s.keys()].filter((k) => k.startsWith('naslib_sample:')).length);
});

test('full-space NB201 jacob_cov: Kendall and spreads match the naswot_v1_full groups', { skip }, () => {
  const s = summary();
  const d = loadNb201Full(DATA_DIR);
  for (const [task, column] of Object.entries(NB201_TASK_COLUMNS)) {
    const key = `naswot_v1_full:nasbench201:${column}`;
    assertMatchesSummary(groupDiversity(task, d.jacov, d.acc[task]!), d.acc[task]!, s.get(key)!, key);
  }
});

test('on real groups, dropping NASLib\'s sentinel scores moves the literal PDS far more than the robust one', { skip }, () => {
  for (const b of ['nasbench201', 'transbench101_micro']) {
    for (const z of zcGroups(DATA_DIR, b)) {
      const keep = [...z.jacov.keys()].filter((i) => z.jacov[i] !== JACOV_SENTINEL);
      assert.ok(keep.length < z.jacov.length, `${b}/${z.task} has a sentinel`);
      const shift = (v: 'minmax' | 'robust') =>
        Math.abs(pds(z.jacov, z.acc, v) - pds(Float64Array.from(keep, (i) => z.jacov[i]!), Float64Array.from(keep, (i) => z.acc[i]!), v));
      assert.ok(shift('robust') < 0.15, `${b}/${z.task}: robust PDS moved ${shift('robust')}`);
      assert.ok(shift('robust') < shift('minmax') || shift('minmax') < 0.05, `${b}/${z.task}: robust ${shift('robust')} vs literal ${shift('minmax')}`);
    }
  }
});

test('space reports: sizes checked against the data, tasks counted, unknowns marked with a reason', { skip }, () => {
  const nb201 = analyzeSpace('nb201', DATA_DIR);
  assert.ok(nb201.checks.every((c) => c.ok), JSON.stringify(nb201.checks));
  assert.equal(nb201.size.unique, String(nb201Classes().nats));
  assert.equal(nb201.multiTask.count, 3);
  assert.equal(nb201.architectureDiversity.archs, 15625);
  const micro = analyzeSpace('tnb101-micro', DATA_DIR);
  assert.ok(micro.checks.every((c) => c.ok), JSON.stringify(micro.checks));
  assert.equal(micro.size.unique, null);
  assert.match(micro.notAvailable[0]!.reason, /^not available: /);
  assert.deepEqual([...micro.multiTask.tasks].sort(), ['autoencoder', 'class_object', 'class_scene', 'jigsaw', 'normal', 'room_layout', 'segmentsemantic']);
  const macro = analyzeSpace('tnb101-macro', DATA_DIR);
  assert.ok(macro.checks.every((c) => c.ok), JSON.stringify(macro.checks));
  assert.equal(macro.architectureDiversity.archs, Number(macro.size.total));
  const nb301 = analyzeSpace('nb301', DATA_DIR);
  assert.equal(nb301.architectureDiversity.population, 'sample');
  assert.equal(nb301.size.unique, null);
});
