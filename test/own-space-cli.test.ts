import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from './helpers/cli.js';

/*
 * The own-space example through the CLI, as examples/own-space/README.md runs it: estimate, search and evolve on a
 * space file with the trainer behind --command; a crashing trainer's failures recorded and skipped, and a rerun or
 * resume that trains nothing twice (each trainer process appends a line to a counter file).
 */
const SPACE = 'examples/own-space/space.json';
const dir = mkdtempSync(join(tmpdir(), 'blocknas-own-'));
const counter = join(dir, 'runs.txt');
const command = `echo run >> ${counter}; node examples/own-space/trainer.mjs`;
const runs = () => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runCli(args);
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
}

const oneLine = (r: { code: number | null; err: string }, re: RegExp) => {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, re);
};

test('estimate a space file with a crashing trainer: failures recorded and skipped, a rerun trains nothing', () => {
  const table = join(dir, 'table.json');
  const store = join(dir, 'est.sqlite');
  const args = ['estimate', '--space-file', SPACE, '--evaluator', 'external', '--command', command, '--budget', '30', '--store', store, '--out', table, '--json'];
  const first = cli(args, { OWN_SPACE_FAULT: 'crash' });
  assert.equal(first.code, 0, first.err);
  const failedLines = first.err.split('\n').filter((l) => l.startsWith('blocknas: failed, recorded and skipped: external evaluator'));
  const out = JSON.parse(first.out) as { evaluated: number; failed: number };
  assert.ok(out.failed > 0 && out.failed === failedLines.length, `${out.failed} failures reported, one line each`);
  assert.equal(out.evaluated, 30, 'the budget counts failed networks too');
  assert.match(failedLines[0]!, /exited with code 1: trainer.mjs: simulated crash on \S+ \(arch \S+\)$/);
  const trained = runs();
  assert.equal(trained, out.evaluated, 'per-arch mode: one trainer process per network');
  const written = readFileSync(table, 'utf8');
  assert.equal((JSON.parse(written) as { space: string }).space, 'tiny-convnet');
  // The same command again: every network and failure is answered by the store.
  const again = cli(args, { OWN_SPACE_FAULT: 'crash' });
  assert.equal(again.code, 0, again.err);
  assert.equal(runs(), trained, 'nothing trained twice');
  assert.equal(readFileSync(table, 'utf8'), written, 'the same table');
});

test('search a space file: the limit holds by the trainer\'s own latency (--verify runs the trainer on the answer)', () => {
  const table = join(dir, 'table2.json');
  assert.equal(cli(['estimate', '--space-file', SPACE, '--command', 'node examples/own-space/trainer.mjs', '--mode', 'batch', '--budget', '40', '--out', table]).code, 0);
  const r = cli(['search', '--space-file', SPACE, '--table', table, '--limit', 'latency:cpu=3.2', '--evaluator', 'external', '--command', 'node examples/own-space/trainer.mjs', '--verify', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { chosen: { arch: string; predicted: Record<string, number> }; verified: { measured: Record<string, number>; newMeasurements: number } };
  assert.ok(j.verified.measured['latency:cpu']! <= 3.2, `measured ${j.verified.measured['latency:cpu']} ms`);
  assert.ok(j.verified.newMeasurements >= 1, 'the trainer measured the answer');
  assert.match(j.chosen.arch, /^c\d+:\w+:\w+:\w+:\w+$/);
});

test('evolve a space file with a crashing trainer, then resume: failures listed, nothing re-evaluated', () => {
  const out = join(dir, 'evolve');
  const before = runs();
  const args = ['evolve', '--space-file', SPACE, '--evaluator', 'external', '--command', command, '--objectives', 'accuracy:val,latency:cpu', '--budget', '40', '--out', out];
  const r = cli(args, { OWN_SPACE_FAULT: 'crash' });
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { evaluations: number; failed: { arch: string; reason: string }[] };
  assert.ok(result.failed.length > 0, 'some networks failed');
  // Failures spend the budget; a strategy that proposes only networks already spent ends the run early.
  assert.ok(result.evaluations + result.failed.length <= 40 && result.evaluations + result.failed.length >= 35, `${result.evaluations} + ${result.failed.length} spent`);
  assert.match(r.out, new RegExp(`${result.failed.length} more failed and were recorded in the store`));
  const trained = runs() - before;
  assert.equal(trained, result.evaluations + result.failed.length, 'one trainer process per network, failed ones included');
  const resumed = cli([...args, '--resume'], { OWN_SPACE_FAULT: 'crash' });
  assert.equal(resumed.code, 0, resumed.err);
  assert.equal(runs() - before, trained, 'the resume trained nothing');
  assert.deepEqual((JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { failed: unknown }).failed, result.failed);
});

test('bad input for a space file and its trainer: one line, exit 2', () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'x', metrics: [{ id: 'accuracy:val' }], nodes: [{ id: 'a', blocks: [{ id: '' }] }] }));
  oneLine(cli(['search', '--space-file', bad, '--limit', 'latency:cpu=3']), /space file .*bad\.json: nodes\[0\]\.blocks\[0\]\.id: expected a non-empty string/);
  const clash = join(dir, 'clash.json');
  writeFileSync(clash, readFileSync(join(ROOT, SPACE), 'utf8').replace('"tiny-convnet"', '"nb201"'));
  oneLine(cli(['estimate', '--space-file', clash, '--command', 'true', '--out', join(dir, 'x.json')]), /^blocknas: --space-file: .*names its space "nb201", which is a built-in space of blocknas: rename it\n$/);
  oneLine(cli(['search', 'nb201', '--space-file', SPACE]), /--space-file: give either a space name \("nb201"\) or --space-file, not both/);
  oneLine(cli(['search', 'nb201', '--command', 'true']), /--command: only with --space-file/);
  oneLine(cli(['estimate', '--space-file', SPACE, '--command', 'true', '--timeout', '-1', '--out', join(dir, 'y.json')]), /--timeout: expected a positive number of seconds, got "-1"/);
  oneLine(cli(['estimate', '--space-file', SPACE, '--out', join(dir, 'z.json')]), /--command: a space file's networks are evaluated by your trainer/);
  // Bad input with --store leaves no store (nor the directory made for it).
  oneLine(cli(['estimate', '--space-file', bad, '--command', 'true', '--store', join(dir, 'st', 'est.sqlite'), '--out', join(dir, 'w.json')]), /space file .*bad\.json: nodes\[0\]\.blocks\[0\]\.id/);
  oneLine(cli(['estimate', '--space-file', SPACE, '--store', join(dir, 'st', 'est.sqlite'), '--out', join(dir, 'w.json')]), /--command: a space file's networks/);
  assert.ok(!existsSync(join(dir, 'st')), 'no store left behind');
  oneLine(cli(['evolve', '--space-file', SPACE, '--evaluator', 'supernet', '--command', 'true']), /--evaluator: a space file is evaluated by its command \(external\), not "supernet"/);
  // A trainer that prints nonsense for every network stops the run cleanly after 25 in a row, keeping what it has.
  const g = cli(['estimate', '--space-file', SPACE, '--command', 'node examples/own-space/trainer.mjs', '--budget', '40', '--out', join(dir, 'g.json')], { OWN_SPACE_FAULT: 'garbage', OWN_SPACE_FAULT_MATCH: ':' });
  assert.equal(g.code, 2, g.err);
  assert.match(g.err.trim().split('\n').at(-1)!, /^blocknas: .*25 .*in a row/);
  assert.ok(!existsSync(join(dir, 'g.json')), 'no table written');
});
