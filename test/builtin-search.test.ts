import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinSpace, shippedTablePath } from '../src/builtin/spaces.js';
import { readBlockTable } from '../src/core/block-table-file.js';
import { predict } from '../src/predict/predict.js';
import { isValidGenome } from '../src/space/space.js';
import { withResiduals } from '../src/predict/cost-model.js';
import { measuredRange } from '../src/predict/measured-range.js';
import { CLI_MAIN, ROOT } from './helpers/cli.js';

// No data directory at all: the built-in space needs none.
const env = { ...process.env, BLOCKNAS_DATA: join(ROOT, 'no-such-data-dir') };
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('the shipped mbv3-mini table fits the space and was made by blocknas from measured networks', () => {
  const raw = JSON.parse(readFileSync(shippedTablePath('mbv3-mini'), 'utf8'));
  const table = readBlockTable(shippedTablePath('mbv3-mini'));
  assert.equal(table.space, 'mbv3-mini');
  assert.deepEqual(table.metrics.map((m) => m.metric), ['accuracy:fashion-mnist-val', 'latency:wasm', 'flops', 'params']);
  assert.ok(table.evaluated >= 44, `a block table needs at least m(n-1)+1 = 44 networks, got ${table.evaluated}`);
  assert.ok(raw.notes.some((n: string) => /weight-sharing super-network/.test(n)), 'the notes say how accuracy was measured');
  assert.ok(raw.notes.some((n: string) => /latency:wasm: median batch-1 inference measured/.test(n)), 'the notes say where latency was measured');
});

/** The shipped table's latency residuals and what its 95 % upper bound adds, computed here from the conformal rank. */
function shippedMargin(confidence = 0.95) {
  const table = withResiduals(readBlockTable(shippedTablePath('mbv3-mini')), builtinSpace('mbv3-mini'), ['latency:wasm']);
  const residuals = [...table.metrics.find((m) => m.metric === 'latency:wasm')!.residuals!].sort((a, b) => a - b);
  // The ⌈(n+1)p⌉-th smallest residual bounds a new one with probability p (split conformal).
  return { table, residuals, margin: residuals[Math.ceil((residuals.length + 1) * confidence) - 1]! };
}

test('search mbv3-mini runs with no data directory: the limit is held at the 95 % upper prediction bound', () => {
  const space = builtinSpace('mbv3-mini');
  const { table, residuals, margin } = shippedMargin();
  assert.equal(residuals.length, table.evaluated, 'one out-of-fold residual per measured network');
  assert.ok(margin > 0, `the wasm timings are not additive to the last digit, so the bound adds something (${margin})`);
  const limit = Number((measuredRange(table, 'latency:wasm')!.min + margin + 2).toFixed(2));
  const r = cli(['search', 'mbv3-mini', '--max-latency', String(limit), '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const g = space.parse(out.chosen.arch);
  assert.ok(isValidGenome(space, g), `${out.chosen.arch} obeys the space's rules`);
  assert.ok(Math.abs(out.held[0].heldAt - (limit - margin)) < 1e-9, `held at ${out.held[0].heldAt}, the limit less the bound is ${limit - margin}`);
  assert.ok(out.chosen.predicted['latency:wasm'] <= limit - margin + 1e-9, `predicted latency ${out.chosen.predicted['latency:wasm']} + ${margin} <= ${limit}`);
  assert.deepEqual(out.chosen.predicted, predict(table, space, g), 'the report predicts from the shipped table');
  assert.equal(out.verified, null, 'timing on this machine is opt-in (--verify) for a built-in space');
  assert.ok(out.solve.ms > 0, 'solve time reported');

  const plain = cli(['search', '--max-latency', String(limit), '--json']);
  assert.equal(plain.code, 0, plain.err);
  assert.equal(JSON.parse(plain.out).chosen.arch, out.chosen.arch, 'with no space, search uses the built-in one');
  const loose = cli(['search', '--max-latency', String(limit), '--confidence', '0.5', '--json']);
  assert.equal(loose.code, 0, loose.err);
  const at50 = residuals[Math.ceil((residuals.length + 1) * 0.5) - 1]!;
  assert.ok(Math.abs(JSON.parse(loose.out).held[0].heldAt - (limit - Math.max(0, at50))) < 1e-9, '--confidence 0.5 holds at the median residual');
});

test('search mbv3-mini: bad limits fail in one line; a limit no measured network can be shown to meet is refused', () => {
  const tooTight = cli(['search', 'mbv3-mini', '--max-latency', '-1']);
  assert.equal(tooTight.code, 2);
  assert.match(tooTight.err, /--max-latency: expected a non-negative number, got "-1"/);
  const otherData = cli(['search', 'mbv3-mini', '--dataset', 'mnist', '--max-latency', '3']);
  assert.equal(otherData.code, 2);
  assert.match(otherData.err, /--dataset: the mbv3-mini table .* is for fashion-mnist, not "mnist"/);
  const confidences = ['0', '1', '-0.5', 'NaN', 'x'].map((c) => cli(['search', 'mbv3-mini', '--max-latency', '5', '--confidence', c]));
  for (const c of confidences) {
    assert.equal(c.code, 2);
    assert.match(c.err, /--confidence: expected a probability between 0 and 1 \(exclusive\)/);
  }
  const noMetric = cli(['search', 'mbv3-mini', '--limit', 'latency:phone=3']);
  assert.equal(noMetric.code, 2);
  assert.match(noMetric.err, /limit on latency:phone: the block table has no such metric/);
  for (const r of [tooTight, otherData, ...confidences, noMetric]) {
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.equal(r.out, '', 'nothing printed as an answer');
  }

  // Held at its upper bound, a limit whose bound lies below every measured network cannot be shown to hold: refused.
  // One whose bound lies just above the lowest measurement is answered.
  const { table, margin } = shippedMargin();
  const minMeasured = measuredRange(table, 'latency:wasm')!.min;
  const tooLow = cli(['search', 'mbv3-mini', '--max-latency', String(minMeasured + margin - 0.05)]);
  assert.equal(tooLow.code, 2);
  assert.match(tooLow.err, /limit latency:wasm <= .* held at .* by its 95 % prediction bound, lies below every network the table was fitted on \(lowest measured .*\): no network can be shown to meet it/);
  assert.equal(tooLow.err.trim().split('\n').length, 1, tooLow.err);
  assert.equal(tooLow.out, '');
  const justAbove = cli(['search', 'mbv3-mini', '--max-latency', String(minMeasured + margin + 0.05), '--json']);
  assert.equal(justAbove.code, 0, justAbove.err);
  const out = JSON.parse(justAbove.out);
  const cost = out.costs.find((c: { metric: string }) => c.metric === 'latency:wasm');
  assert.ok(cost.predicted >= minMeasured, `a reported cost is floored at the lowest measurement (${cost.predicted})`);
  if (out.chosen.predicted['latency:wasm'] < minMeasured) assert.equal(cost.below, out.chosen.predicted['latency:wasm'], 'and the raw prediction is kept beside it');
});

test('search mbv3-mini --sweep starts at the lowest limit whose bound a measured network reaches', () => {
  const { table, margin } = shippedMargin();
  const lat = table.metrics.find((m) => m.metric === 'latency:wasm')!;
  const lo = lat.intercept + lat.values.reduce((s, row) => s + Math.min(...row), 0);
  const floor = measuredRange(table, 'latency:wasm')!.min;
  assert.ok(lo < floor, `the shipped table's additive minimum ${lo} lies below the lowest measurement ${floor} (else this test checks nothing)`);
  const r = cli(['search', 'mbv3-mini', '--sweep', '4', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.ok(Math.abs(out.range.min - (floor + margin)) < 1e-9, `swept from ${out.range.min}, the floor plus the bound is ${floor + margin}`);
  assert.ok(out.range.predictedMin < floor, 'the skipped part of the range is reported');
  assert.deepEqual(out.rows.map((row: { limit: number }) => row.limit >= floor + margin - 1e-9), [true, true, true, true]);
  for (const row of out.rows) assert.ok(row.chosen.predicted['latency:wasm'] <= row.limit - margin + 1e-9, 'every row holds its limit at the bound');
  const text = cli(['search', 'mbv3-mini', '--sweep', '4']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /limits held at the 95 % upper prediction bound/);
  assert.match(text.out, /would rest on predictions below every measured network .* and are not swept/);

  // A limit held fixed during the sweep that search would refuse is refused here too, in one line, with no table.
  const tight = cli(['search', 'mbv3-mini', '--sweep', '3', '--max-flops', String(measuredRange(table, 'flops')!.min / 4)]);
  assert.equal(tight.code, 2);
  assert.match(tight.err, /limit flops <= .* lies below every network the table was fitted on/);
  assert.equal(tight.err.trim().split('\n').length, 1, tight.err);
  assert.equal(tight.out, '');
});
