import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NB201_FILES } from '../src/benchmarks/nb201.js';
import { runCli } from './helpers/cli.js';
import { needsData } from './helpers/data.js';

const TABLES = 'mathnas/mathnas_tables.json';

const cli = runCli;

test('switch mobilenetv3 --json: the timeline of switch events and the summary', { skip: needsData(TABLES) }, () => {
  const r = cli(['switch', 'mobilenetv3', '--device', 'raspberrypi', '--max-latency', '1400', '--seed', '0', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.limit.metric, 'latency:raspberrypi');
  assert.equal(j.profile, '1:20,1.6:30,1:30', 'the default profile');
  assert.equal(j.steps.length, 80);
  assert.deepEqual(j.events.map((e: { reason: string }) => e.reason), ['start', 'over', 'under']);
  const down = j.events[1];
  assert.equal(down.step, 22);
  assert.ok(down.changed.length > 0 && down.changed.every((c: { node: string; from: string; to: string }) => /^stage[1-5]$/.test(c.node) && c.from !== c.to), 'changed blocks by node id');
  assert.equal(down.before.arch, j.events[0].after.arch);
  assert.equal(j.events[2].after.arch, j.events[0].after.arch, 'back on the starting network');
  const s = j.summary;
  assert.equal(s.switches, 2);
  assert.equal(s.solves, 2);
  assert.equal(s.blocksChanged, j.events[1].changed.length + j.events[2].changed.length);
  assert.ok(s.solveMs.median > 0 && s.solveMs.max >= s.solveMs.median, 'solve times');
  assert.equal(s.violationSteps, 3);
  assert.equal(s.endsWhereItStarted, true);
  assert.deepEqual(s.pool, { kept: 25, blocks: 25 });
});

test('switch nb201 with an estimated table prints the pool, the timeline and the summary', { skip: needsData(NB201_FILES.accuracy, NB201_FILES.latency) }, () => {
  const r = cli(['switch', 'nb201', '--device', 'fpga', '--max-latency', '3', '--estimator', 'mathnas', '--linear', '--profile', '1:15,1.6:20,1:25']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^switch nb201 on fpga: latency:fpga <= 3 ms, profile 1:15,1.6:20,1:25 \(60 steps\)/);
  assert.match(r.out, /pool: 23 of 30 blocks kept/);
  assert.match(r.out, /\n +17 +over +/);
  assert.match(r.out, /step 17: e\d \S+ -> \S+/);
  assert.match(r.out, /summary: 2 switches in 2 re-solves, \d+ blocks changed; solve median [\d.]+ ms, max [\d.]+ ms/);
  assert.match(r.out, /end: the network it started with/);
});

test('switch rejects bad input with one line naming the field', { skip: needsData(TABLES) }, () => {
  for (const [args, pattern] of [
    [['--max-latency', '1400', '--profile', '1.6'], /--profile: expected FACTOR:STEPS or FROM-TO:STEPS/],
    [['--profile', '1:10'], /--max-latency: switch needs a latency limit/],
    [['--device', 'raspberrypi', '--max-latency', '1'], /no architecture satisfies latency:raspberrypi <= 1 ms \(smallest achievable: latency:raspberrypi 756 ms\)/],
  ] as const) {
    const r = cli(['switch', 'mobilenetv3', ...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, pattern);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  const vit = cli(['switch', 'supervit', '--max-latency', '10']);
  assert.equal(vit.code, 2);
  assert.match(vit.err, /--max-latency: space supervit has no latency table/);
});
