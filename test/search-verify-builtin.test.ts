import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtinMeasure, tableLatencySettings } from '../src/builtin/measure.js';
import { builtinSpace, shippedTablePath } from '../src/builtin/spaces.js';
import { limitPolicy } from '../src/api/search.js';
import type { Session } from '../src/cli/session.js';
import { UserError } from '../src/errors.js';
import { readBlockTable } from '../src/core/block-table-file.js';
import { CLI_MAIN, ROOT } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

// Timing is machine-specific: these tests check the mechanics of verification, never a number of milliseconds.
const env = { ...process.env, BLOCKNAS_DATA: join(ROOT, 'no-such-data-dir') };
const cli = (args: string[], dataEnv: NodeJS.ProcessEnv = env) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env: dataEnv, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('search mbv3-mini --verify: the answer is timed here, every cut-off network was timed over the limit', { timeout: 150_000 }, () => {
  const limit = 2;
  const r = cli(['search', 'mbv3-mini', '--max-latency', String(limit), '--verify', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const v = out.verified;
  assert.ok(v, 'the answer carries its verification');
  const measured = v.measured['latency:wasm'];
  assert.ok(measured > 0 && measured <= limit, `the chosen network was timed at ${measured} ms, within ${limit} ms`);
  assert.deepEqual(Object.keys(v.measured), ['latency:wasm'], 'only the limited metric is measured: no accuracy');
  for (const c of v.cutOff) assert.ok(c.measured['latency:wasm'] > limit, `${c.arch} was cut off at ${c.measured['latency:wasm']} ms`);
  assert.equal(v.checked, v.cutOff.length + 1, 'every check but the last cut a network off');
  assert.equal(v.newMeasurements, v.checked, "the table's timings (another machine) are not taken as measurements here");
  assert.equal(out.held[0].heldAt, limit, 'with measurements the limit is held on the prediction');
});

test('search mbv3-mini verifies only with --verify; --no-verify and no flag leave the answer predicted', () => {
  const table = readBlockTable(shippedTablePath('mbv3-mini'));
  const s = { name: 'mbv3-mini', measure: builtinMeasure('mbv3-mini'), measuredBy: 'timing' } as unknown as Session;
  assert.equal(limitPolicy(s, {}).measure, undefined, 'timing is opt-in');
  assert.equal(limitPolicy(s, {}).confidence, 0.95, 'unverified limits are held at the 95 % bound');
  assert.equal(limitPolicy(s, { verify: false }).measure, undefined);
  const on = limitPolicy(s, { verify: true });
  assert.ok(on.measure && on.remeasure && on.confidence === undefined, 'with --verify: measured, on the prediction, nothing reused');
  const lookup = { ...s, measuredBy: 'lookup' } as Session;
  assert.ok(limitPolicy(lookup, {}).measure, 'a lookup verifies by default');
  assert.equal(limitPolicy(lookup, {}).remeasure, undefined, "a lookup reuses the table's own measurements");
  const published = { name: 'mobilenetv3' } as Session;
  assert.throws(() => limitPolicy(published, { verify: true }), (e: unknown) => e instanceof UserError && /^verify: space mobilenetv3 has nothing to measure/.test(e.message));
  assert.equal(tableLatencySettings(table).repeats, 60, 'the shipped table records the protocol it was timed with');
  assert.deepEqual(tableLatencySettings({ notes: ['no settings here'] }), {}, 'a table without recorded settings gets the defaults');
});

test('search mbv3-mini --verify: FLOPs are counted exactly; accuracy cannot be measured, refused in one line', async () => {
  const measure = builtinMeasure('mbv3-mini');
  const g = builtinSpace('mbv3-mini').parse('k7e6d2-p5|k3e3d2-dense|k7e4d3|exit-none');
  const [m] = await measure([g], ['flops', 'params']);
  assert.deepEqual(Object.keys(m!), ['flops', 'params']);
  assert.ok(m!.flops! > 0 && m!.params! > 0);
  const r = cli(['search', 'mbv3-mini', '--max-latency', '4', '--limit', 'accuracy:fashion-mnist-val=99', '--verify']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^blocknas: --verify: accuracy:fashion-mnist-val of space mbv3-mini cannot be measured without training/);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
});

test('search --verify is refused in one line for a published table', { skip: needsData('mathnas/mathnas_tables.json') }, () => {
  const r = cli(['search', 'mobilenetv3', '--data-dir', DATA_DIR, '--max-latency', '30', '--verify'], process.env);
  assert.equal(r.code, 2);
  assert.match(r.err, /^blocknas: --verify: space mobilenetv3 has nothing to measure costs with/);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
});
