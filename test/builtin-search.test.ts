import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinSpace, shippedTablePath } from '../src/builtin/spaces.js';
import { readBlockTable } from '../src/predict/block-table.js';
import { predict } from '../src/predict/predict.js';
import { isValidGenome } from '../src/space/space.js';
import { limitBeyondData, outsideMeasured } from '../src/cli/search-report.js';
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

test('search mbv3-mini runs with no data directory: chosen network, predicted metrics, solve time; the limit holds', () => {
  const space = builtinSpace('mbv3-mini');
  const table = readBlockTable(shippedTablePath('mbv3-mini'));
  // A limit halfway between the smallest and the largest predicted latency of the additive latency model.
  const lat = table.metrics.find((m) => m.metric === 'latency:wasm')!;
  const lo = lat.intercept + lat.values.reduce((s, row) => s + Math.min(...row), 0);
  const hi = lat.intercept + lat.values.reduce((s, row) => s + Math.max(...row), 0);
  const limit = Number(((lo + hi) / 2).toFixed(2));
  const r = cli(['search', 'mbv3-mini', '--max-latency', String(limit), '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const g = space.parse(out.chosen.arch);
  assert.ok(isValidGenome(space, g), `${out.chosen.arch} obeys the space's rules`);
  assert.ok(out.chosen.predicted['latency:wasm'] <= limit + 1e-9, `predicted latency ${out.chosen.predicted['latency:wasm']} <= ${limit}`);
  assert.deepEqual(out.chosen.predicted, predict(table, space, g), 'the report predicts from the shipped table');
  assert.ok(out.solve.ms > 0, 'solve time reported');

  const plain = cli(['search', '--max-latency', String(limit), '--json']);
  assert.equal(plain.code, 0, plain.err);
  assert.equal(JSON.parse(plain.out).chosen.arch, out.chosen.arch, 'with no space, search uses the built-in one');
});

test('search mbv3-mini: bad limits fail in one line; a limit only extrapolation reaches is refused', () => {
  const table = readBlockTable(shippedTablePath('mbv3-mini'));
  const lat = table.metrics.find((m) => m.metric === 'latency:wasm')!;
  const lo = lat.intercept + lat.values.reduce((s, row) => s + Math.min(...row), 0);
  const tooTight = cli(['search', 'mbv3-mini', '--max-latency', '-1']);
  assert.equal(tooTight.code, 2);
  assert.match(tooTight.err, /--max-latency: expected a non-negative number, got "-1"/);
  const otherData = cli(['search', 'mbv3-mini', '--dataset', 'mnist', '--max-latency', '3']);
  assert.equal(otherData.code, 2);
  assert.match(otherData.err, /--dataset: the mbv3-mini table .* is for fashion-mnist, not "mnist"/);
  for (const r of [tooTight, otherData]) assert.equal(r.err.trim().split('\n').length, 1, r.err);

  // The measured latencies of the table's networks start well above the additive model's minimum. A limit far below
  // every measured network, met only by extrapolation, is refused in one line; one just inside the slack (a tenth of
  // the measured range) is answered, and the answer's extrapolated latency is flagged.
  const measured = table.observations!.metrics['latency:wasm']!;
  const minMeasured = Math.min(...measured);
  const slack = 0.1 * (Math.max(...measured) - minMeasured);
  const tooLow = cli(['search', 'mbv3-mini', '--max-latency', String((Math.max(lo, 0) + minMeasured) / 4)]);
  assert.equal(tooLow.code, 2);
  assert.match(tooLow.err, /limit latency:wasm <= .* lies below every network the table was fitted on \(lowest measured .*\); only the block model's extrapolation meets it/);
  assert.equal(tooLow.err.trim().split('\n').length, 1, tooLow.err);
  assert.equal(tooLow.out, '', 'nothing printed as an answer');
  const limit = minMeasured - 0.95 * slack;
  const r = cli(['search', 'mbv3-mini', '--max-latency', String(limit), '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.ok(out.chosen.predicted['latency:wasm'] <= limit + 1e-9);
  const flagged = out.outsideMeasured.find((o: { metric: string }) => o.metric === 'latency:wasm');
  assert.ok(flagged, `latency ${out.chosen.predicted['latency:wasm']} below the measured ${minMeasured} must be flagged`);
  assert.equal(flagged.min, minMeasured);
});

test('search mbv3-mini --sweep starts at the lowest limit search would answer, not at the model\'s extrapolated minimum', () => {
  const table = readBlockTable(shippedTablePath('mbv3-mini'));
  const lat = table.metrics.find((m) => m.metric === 'latency:wasm')!;
  const lo = lat.intercept + lat.values.reduce((s, row) => s + Math.min(...row), 0);
  const measured = table.observations!.metrics['latency:wasm']!;
  const floor = Math.min(...measured) - 0.1 * (Math.max(...measured) - Math.min(...measured));
  assert.ok(lo < floor, `the shipped table's additive minimum ${lo} lies below the measured floor ${floor} (else this test checks nothing)`);
  const r = cli(['search', 'mbv3-mini', '--sweep', '4', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.ok(Math.abs(out.range.min - floor) < 1e-9, `swept from ${out.range.min}, the floor is ${floor}`);
  assert.ok(out.range.predictedMin < out.range.min, 'the skipped part of the range is reported');
  assert.deepEqual(out.rows.map((row: { limit: number }) => row.limit >= floor - 1e-9), [true, true, true, true]);
  const text = cli(['search', 'mbv3-mini', '--sweep', '4']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /lie below every measured network .* and are not swept/);

  // A limit held fixed during the sweep that search would refuse is refused here too, in one line, with no table.
  const flops = table.observations!.metrics['flops']!;
  const tight = cli(['search', 'mbv3-mini', '--sweep', '3', '--max-flops', String(Math.min(...flops) / 4)]);
  assert.equal(tight.code, 2);
  assert.match(tight.err, /limit flops <= .* lies below every network the table was fitted on/);
  assert.equal(tight.err.trim().split('\n').length, 1, tight.err);
  assert.equal(tight.out, '');
});

test('measured-range checks: extrapolated costs are flagged, a limit past the slack below every measured network is refused', () => {
  // measured 2..12: the slack is a tenth of the range, 1
  const table = { observations: { metrics: { lat: [2, 5, 12] } } } as unknown as Parameters<typeof outsideMeasured>[0];
  assert.deepEqual(outsideMeasured(table, { lat: 0.5 }), [{ metric: 'lat', predicted: 0.5, min: 2, max: 12 }]);
  assert.deepEqual(outsideMeasured(table, { lat: 1.5 }), [], 'within the slack');
  assert.deepEqual(outsideMeasured(table, { lat: 13.5 }).map((o) => o.metric), ['lat']);
  const chosen = (v: number) => ({ arch: 'a', metrics: { lat: v } });
  assert.match(limitBeyondData(table, [{ metric: 'lat', max: 0.5 }], chosen(0.4), { lat: 'ms' }) ?? '', /limit lat <= 0\.5000 ms lies below .* \(lowest measured 2 ms\).*\(a, predicted 0\.4000 ms\)/);
  assert.equal(limitBeyondData(table, [{ metric: 'lat', max: 1.5 }], chosen(1.4), {}), null, 'a limit within the slack is answered');
  assert.equal(limitBeyondData(table, [{ metric: 'other', max: 0.1 }], chosen(0.1), {}), null, 'no measurements, no judgement');
});
