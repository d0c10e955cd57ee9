import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NB201_FILES } from '../src/benchmarks/nb201.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const skip = needsData(NB201_FILES.accuracy, NB201_FILES.latency);

function cli(args: string[], env: Record<string, string | undefined> = { BLOCKNAS_DATA: DATA_DIR }) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, BLOCKNAS_DATA: undefined, ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A user mistake: exit 2, one line naming the problem, no stack trace. */
function assertUserError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.equal(r.code, 2, r.err);
  const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('estimate '));
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

test('search prints the chosen cell, predicted and true metrics, the true best and the solve time', { skip }, () => {
  const r = cli(['search', 'nb201', '--dataset', 'imagenet16-120', '--device', 'fpga', '--max-latency', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.match(j.chosen.arch, /^\|.+~0\|\+\|.+~2\|$/);
  assert.ok(j.chosen.predicted['latency:fpga'] <= 3 + 1e-9);
  assert.ok(Number.isFinite(j.chosen.true['accuracy:imagenet16-120']));
  assert.ok(j.trueBest.true['latency:fpga'] <= 3 + 1e-9);
  assert.ok(j.trueBest.true['accuracy:imagenet16-120'] >= j.chosen.true['accuracy:imagenet16-120']);
  assert.equal(j.regret, j.trueBest.true['accuracy:imagenet16-120'] - j.chosen.true['accuracy:imagenet16-120']);
  assert.equal(j.solve.provenOptimal, true);
  assert.ok(j.solve.ms > 0);
  const human = cli(['search', 'nb201', '--max-latency', '3', '--method', 'ilp', '--estimator', 'mathnas']);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /chosen: +\|/);
  assert.match(human.out, /true best: \|/);
  assert.match(human.out, /solve: +[\d.]+ ms, integer program, proven optimal/);
});

test('bad input gets a one-line error naming the field, exit 2, no stack trace', { skip }, () => {
  assertUserError(cli(['search', 'nb201', '--max-latency', 'fast']), /--max-latency: expected a non-negative number, got "fast"/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '0.5']), /no architecture satisfies latency:fpga <= 0.5 ms \(smallest achievable: latency:fpga 1.13/);
  assertUserError(cli(['search', 'nb201', '--device', 'tpu', '--max-latency', '3']), /--device: "tpu" is not a nb201 device/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '3', '--estimator', 'magic']), /--estimator: unknown "magic"/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '3', '--budget', '-4']), /--budget: expected an integer >= 1/);
  assertUserError(cli(['predict', 'nb201', '|conv~0|']), /expected an NB201 string/);
  assertUserError(cli(['search', 'nb999', '--max-latency', '3']), /unknown space "nb999"/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '3'], {}), /--data-dir: no data directory: give one or set BLOCKNAS_DATA/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '3', '--data-dir', '/nonexistent']), /--data-dir: "\/nonexistent" is not a directory/);
  assertUserError(cli(['search', 'nb201', '--max-latency', '3', '--table', '/nonexistent.json']), /--table: file \/nonexistent.json does not exist/);
  const unknown = cli(['search', 'nb201', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option '--bogus'/);
});

test('estimate writes a block table that predict, search and validate read back', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-cli-'));
  const file = join(dir, 'table.json');
  const e = cli(['estimate', 'nb201', '--estimator', 'mathnas', '--dataset', 'cifar100', '--device', 'fpga,pixel3', '-o', file]);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(readdirSync(dir), ['table.json'], 'no temp file left behind');
  const table = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(table.evaluated, 26);
  assert.deepEqual(table.metrics.map((m: { metric: string }) => m.metric), ['accuracy:cifar100', 'latency:fpga', 'energy:fpga', 'latency:pixel3', 'params', 'flops:cifar100']);
  const v = cli(['validate', 'nb201', '--dataset', 'cifar100', '--device', 'fpga', '--table', file, '--json']);
  assert.equal(v.code, 0, v.err);
  const rows = JSON.parse(v.out).metrics;
  assert.equal(rows.find((m: { metric: string }) => m.metric === 'latency:fpga').spearman > 0.999, true);
  assert.equal(rows.find((m: { metric: string }) => m.metric === 'flops:cifar100').spearman, 1);
  const s = cli(['search', 'nb201', '--dataset', 'cifar100', '--table', file, '--limit', 'latency:pixel3=20', '--max-latency', '4', '--json']);
  assert.equal(s.code, 0, s.err);
  const j = JSON.parse(s.out);
  assert.ok(j.chosen.predicted['latency:pixel3'] <= 20 + 1e-9 && j.chosen.predicted['latency:fpga'] <= 4 + 1e-9);
  const bad = cli(['search', 'nb201', '--dataset', 'cifar10', '--table', file, '--max-latency', '4']);
  assertUserError(bad, /--table: .* has no accuracy:cifar10/);
});

test('predict --all writes CSV with a header and one row per cell', { skip }, () => {
  const r = cli(['predict', 'nb201', '--all', '--estimator', 'mathnas']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines[0], 'index,arch,predicted_accuracy_imagenet16-120,predicted_latency_fpga,predicted_energy_fpga');
  assert.equal(lines.length, 15626);
  assert.match(lines[1]!, /^0,\|avg_pool_3x3~0\|\+/);
});

test('spaces lists datasets and devices, and says what is missing without data', { skip }, () => {
  const r = cli(['spaces', '--json']);
  assert.equal(r.code, 0, r.err);
  const nb = JSON.parse(r.out).spaces.find((s: { name: string }) => s.name === 'nb201');
  assert.equal(nb.size, 15625);
  assert.ok(nb.devices.includes('pixel3') && nb.datasets.includes('cifar10-valid'));
  const none = cli(['spaces'], {});
  assert.equal(none.code, 0);
  assert.match(none.out, /not available: missing nb201\/nb201_accuracy.csv/);
  assert.ok(existsSync(join(root, 'src/cli/main.ts')));
});

const skipTables = needsData('mathnas/mathnas_tables.json', 'mathnas/mathnas_results.json', 'hat/hat_latency_dataset.csv');

test('spaces with published MathNAS tables search by prediction and refuse what needs ground truth', { skip: skipTables }, () => {
  const r = cli(['search', 'mobilenetv3', '--device', 'raspberrypi', '--max-latency', '1200', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.ok(j.chosen.predicted['latency:raspberrypi'] <= 1200 + 1e-9, 'latency limit');
  assert.equal(j.chosen.true, undefined);
  assert.equal(j.solve.provenOptimal, true);
  assertUserError(cli(['validate', 'mobilenetv3']), /space mobilenetv3 cannot be validated against ground truth .*spaces that can: nb201/);
  assertUserError(cli(['search', 'supervit', '--max-latency', '3']), /--max-latency: space supervit has no latency table/);
  assertUserError(cli(['search', 'supertransformer', '--device', 'pixel3', '--max-latency', '300']), /--device: "pixel3" is not a supertransformer device \(one of raspberrypi, xeon, titanxp\)/);
  assertUserError(cli(['search', 'mobilenetv3', '--max-latency', '900', '--refine', '2']), /--refine: space mobilenetv3 has no evaluator/);
});
