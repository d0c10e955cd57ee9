import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';
import { additive } from '../src/core/additive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { parseProfile, profileFactors, runScenario, type ScenarioResult } from '../src/switching/scenario.js';
import { createSwitcher } from '../src/switching/switcher.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData('mathnas/mathnas_tables.json');
const LATENCY = 'latency:raspberrypi';

/** MathNAS's MobileNetV3 on the Raspberry Pi (the paper's on-device setting), most accurate under `max` ms. */
function mobilenet(max: number) {
  const { space, table } = mathnasTable(DATA_DIR, 'mobilenetv3', 'raspberrypi');
  return problemFromTable(table, space, 'accuracy:imagenet', [{ metric: LATENCY, max }]);
}

/** The checks every run must pass, whatever its profile. */
function checkEvents(r: ScenarioResult, max: number, factors: readonly number[], model: Parameters<typeof additive>[0]) {
  for (const e of r.events.slice(1)) {
    const before = e.before!.genome;
    const differ = before.flatMap((b, node) => (b === e.after.genome[node] ? [] : [node]));
    assert.deepEqual(e.changed.map((c) => c.node), differ, `step ${e.step}: exactly the nodes whose block changed`);
    for (const c of e.changed) assert.ok(c.from === before[c.node] && c.to === e.after.genome[c.node], `step ${e.step}: from and to`);
    // The new network runs from the next step on: under that step's true slow-down it meets the limit, when anything does.
    const next = factors[Math.min(e.step + 1, factors.length - 1)]!;
    const trueLatency = additive(model, e.after.genome) * next;
    const feasible = r.steps[Math.min(e.step + 1, factors.length - 1)]!.feasible;
    if (feasible) assert.ok(trueLatency <= max, `step ${e.step} (${e.reason}): true latency ${trueLatency} > ${max} at slow-down ${next}`);
  }
}

test('MobileNetV3 on a Raspberry Pi that slows to 1.6x and recovers: switches down, back up, ends where it started', { skip }, async () => {
  const max = 1400;
  const problem = mobilenet(max);
  const factors = profileFactors(parseProfile('1:20,1.6:30,1:30'));
  const r = await runScenario({ problem, latency: LATENCY, factors, noise: 0.02, seed: 0 });
  const [start, down, up] = r.events;
  assert.equal(r.events.length, 3, 'start, one switch down, one switch up: no flapping during the holds');
  assert.equal(down!.reason, 'over');
  assert.equal(down!.step, 22, 'the third measurement at 1.6x (samples = 3)');
  assert.ok(down!.after.accuracy < start!.after.accuracy, 'a less accurate, faster network');
  assert.ok(down!.before!.latency > max, 'the old network breaks the limit at the estimated slow-down');
  assert.equal(up!.reason, 'under');
  assert.equal(up!.step, 69, 'the first window of 20 measurements wholly after the recovery at step 50');
  assert.deepEqual(up!.after.genome, start!.after.genome, 'back on the starting network');
  assert.equal(r.summary.endsWhereItStarted, true);
  assert.equal(r.summary.switches, 2);
  assert.equal(r.summary.blocksChanged, down!.changed.length + up!.changed.length);
  // Only the 3 measurements that detect the slow-down run over the limit.
  assert.equal(r.summary.violationSteps, 3);
  assert.equal(r.summary.infeasibleSteps, 0);
  checkEvents(r, max, factors, problem.limits[0]!.model);
});

test('a ramped slow-down is followed in several switches, some changing only some blocks, and undone on recovery', { skip }, async () => {
  const max = 1400;
  const problem = mobilenet(max);
  const factors = profileFactors(parseProfile('1:20,1-1.6:10,1.6:30,1.6-1:10,1:50'));
  assertClose(factors[29]!, 1.6, 1e-12, 'a ramp reaches its end on its last step');
  const r = await runScenario({ problem, latency: LATENCY, factors, noise: 0.02, seed: 0 });
  const downs = r.events.filter((e) => e.reason === 'over');
  assert.ok(downs.length >= 2, `several switches down on the ramp, got ${downs.length}`);
  assert.ok(r.events.some((e) => e.changed.length > 0 && e.changed.length < 5), 'some switch keeps some blocks');
  assert.equal(r.summary.endsWhereItStarted, true);
  // A reactive monitor lags a ramp: the limit is broken while the device keeps slowing (steps 20-29) and for at most
  // the `samples` = 3 measurements that detect the last step of it, never during the holds or the recovery.
  const broken = r.steps.filter((st) => st.latency > max).map((st) => st.step);
  assert.ok(broken.length > 0 && broken.every((st) => st >= 20 && st <= 32), `limit broken at steps ${broken.join(', ')}`);
  assert.equal(r.summary.violationSteps, broken.length);
  for (const e of r.events) assert.ok(e.after.latency <= max * 0.97 + 1e-9, `step ${e.step}: fits the slow-down it was solved for`);
});

test('when no network fits the slowed device, the fastest runs and the violation is reported, not thrown', { skip }, async () => {
  // The fastest MobileNetV3 takes 755.9 ms nominal: 1209 ms at 1.6x, over a 1000 ms limit.
  const max = 1000;
  const problem = mobilenet(max);
  const factors = profileFactors(parseProfile('1:20,1.6:30,1:30'));
  const r = await runScenario({ problem, latency: LATENCY, factors, noise: 0, seed: 0 });
  const down = r.events[1]!;
  assert.equal(down.feasible, false);
  assert.deepEqual(down.after.genome, [0, 0, 0, 0, 0], 'every stage on its fastest candidate');
  assertClose(down.after.latency, additive(problem.limits[0]!.model, [0, 0, 0, 0, 0]) * down.factor, 1e-9, 'predicted latency at the estimated slow-down');
  assert.equal(r.summary.infeasibleSteps, 30);
  assert.equal(r.summary.infeasible, 1, 'one re-solve: repeating it at the same slow-down would not help');
  assert.equal(r.summary.endsWhereItStarted, true);
  checkEvents(r, max, factors, problem.limits[0]!.model);
});

test('per-block measurements update those blocks, rebuild the pool and re-solve at once', { skip }, async () => {
  const problem = mobilenet(1400);
  const s = await createSwitcher({ problem, latency: LATENCY });
  const g = [...s.genome];
  const node = 3;
  const old = problem.limits[0]!.model.values[node]![g[node]!]!;
  const e = await s.measureBlocks([{ node, block: g[node]!, latency: old * 3 }], 5);
  assert.equal(e.reason, 'blocks');
  assertClose(s.nominalLatency(g), additive(problem.limits[0]!.model, g) + 2 * old, 1e-9, 'the old network with the slow block');
  assert.ok(e.changed.length > 0 && e.after.genome[node] !== g[node], 'the slow block is switched out');
  assert.ok(e.after.latency <= 1400 * 0.97 + 1e-9, 'the new network meets the limit under the updated estimates');
  // Stage 4's fourth candidate, now 3 x 378.1 ms, is slower than the fifth (527.7 ms) and less accurate: dominated.
  assert.equal(g[node], 3);
  assert.deepEqual(s.pool.kept[node], [0, 1, 2, 4], 'the pool is rebuilt from the new estimates');
  assert.deepEqual(s.pool.kept.filter((k) => k.length === 5).length, 4, 'the other stages keep all five');
});
