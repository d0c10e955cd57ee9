import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { search } from '../src/api/search.js';
import { openTarget } from '../src/api/open-target.js';
import { UserError } from '../src/errors.js';
import { flagMessage } from '../src/cli/flags.js';
import { readBlockTable } from '../src/core/block-table-file.js';
import { predict } from '../src/predict/predict.js';
import { findTarget, missingTargetFiles, targetNames, TARGETS } from '../src/targets/registry.js';
import { spaceForTable, TABLE_SPACE_NAMES } from '../src/targets/table-spaces.js';
import { runCli, ROOT } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const oneLine = (r: { code: number | null; err: string }, re: RegExp) => {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, re);
};

test('registry: unique names, every capability served by an opener, errors that list every space', () => {
  const names = TARGETS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length, 'unique names');
  for (const t of TARGETS) {
    for (const c of ['predict', 'search', 'switch', 'validate'] as const) if (t.capabilities.includes(c)) assert.ok(t.openTable, `${t.name} ${c} needs openTable`);
    if (t.capabilities.includes('validate')) assert.ok(t.benchmark, `${t.name} validate needs ground truth`);
    if (t.capabilities.includes('evolve') && t.kind !== 'builtin') assert.ok(t.openEvolve, `${t.name} evolve needs openEvolve`);
    assert.equal(t.kind === 'builtin', t.files.length === 0, `${t.name}: only built-ins need no data`);
  }
  assert.throws(() => findTarget('foo'), (e: Error) => e instanceof UserError && e.message === `unknown space "foo" (known: ${names.join(', ')})`);
  assert.throws(() => findTarget('ofa-mbv3', 'search'), /space ofa-mbv3 cannot be searched \(it can be evolved\); spaces that can: mbv3-mini, nb201, mobilenetv3, supertransformer, supervit$/);
  assert.deepEqual(missingTargetFiles(findTarget('nb201'), undefined), [...findTarget('nb201').files]);
});

test('a library error names its field; the CLI shows the flag', () => {
  const e = new UserError('dataDir: "x" is not a directory', { field: 'dataDir' });
  assert.equal(flagMessage(e), '--data-dir: "x" is not a directory');
  assert.equal(flagMessage(new UserError('graphAware: no', { field: 'graphAware' })), '--graph: no');
  assert.equal(flagMessage(new UserError('plain message')), 'plain message');
});

test('the shipped mbv3-mini table: opened with no data directory, readable from the table alone (the page)', async () => {
  const t = await openTarget('mbv3-mini');
  assert.equal(t.space.nodes.length, findTarget('mbv3-mini').describe!(undefined).nodes);
  const file = readBlockTable(join(ROOT, 'tables/mbv3-mini.json'));
  const { space, labelled } = spaceForTable(file);
  assert.ok(labelled);
  assert.equal(space.format(file.base), t.space.format(file.base));
  assert.throws(() => spaceForTable({ ...file, space: 'nope' }), /space "nope", which blocknas cannot rebuild from a table alone \(it knows mbv3-mini, nb201/);
  assert.ok(TABLE_SPACE_NAMES.includes('mbv3-mini'));
  await assert.rejects(openTarget('mbv3-mini', { budget: 10 }), (e: Error) => e instanceof UserError && (e as UserError).field === 'budget');
});

test('search through the public API: NB201 under a latency limit, answer checked against the benchmark', { skip: needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, async () => {
  const r = await search({ space: 'nb201', dataDir: DATA_DIR, dataset: 'cifar100', device: 'eyeriss', limits: { 'latency:eyeriss': 6 }, budget: 60, seed: 3 });
  assert.equal(r.status, 'found');
  assert.ok(r.true!['latency:eyeriss']! <= 6, `true latency ${r.true!['latency:eyeriss']} meets the limit (verified by lookup)`);
  const t = await openTarget('nb201', { dataDir: DATA_DIR, dataset: 'cifar100', device: 'eyeriss', budget: 60, seed: 3 });
  const g = t.space.parse(r.architecture!);
  assert.deepEqual(g, r.genome);
  assert.equal(r.true!['accuracy:cifar100'], t.bench!.values('accuracy:cifar100')[t.bench!.indexOf(g)]);
  assert.deepEqual(r.predicted, predict(t.table, t.space, g));
  // Exactly the best predicted network meeting the limit: enumeration over every connected cell.
  let best = -Infinity;
  for (const h of t.bench!.genomes) {
    if (t.bench!.values('latency:eyeriss')[t.bench!.indexOf(h)]! > 6) continue;
    if (!t.space.effective!(h)) continue;
    best = Math.max(best, predict(t.table, t.space, h)['accuracy:cifar100']!);
  }
  assert.ok(r.predicted!['accuracy:cifar100']! >= best - 1e-6 || r.measurements > 0, 'optimal among measured-feasible cells');
  await assert.rejects(search({ space: 'nb201', dataDir: DATA_DIR, device: 'moon' }), (e: Error) => (e as UserError).field === 'device' && /^device: "moon" is not a nb201 device/.test(e.message));
  await assert.rejects(search({ space: t }), (e: Error) => (e as UserError).field === 'limits');
  await assert.rejects(search({ space: t, confidence: 2, limits: { 'latency:eyeriss': 6 } }), (e: Error) => /^confidence: expected a probability/.test(e.message));
  await assert.rejects(search({ space: t, objective: 'accuracy:x', limits: { 'latency:eyeriss': 6 } }), (e: Error) => /^objective: "accuracy:x" is not a metric/.test(e.message));
});

test('CLI: every space is listed and named in unknown-space errors; --version; help shows per-space defaults', { skip: needsData('nb201/nb201_accuracy.csv') }, () => {
  const spaces = runCli(['spaces', '--json']);
  assert.equal(spaces.code, 0, spaces.err);
  const listed = JSON.parse(spaces.out).spaces as { name: string; available: boolean; commands: string[] }[];
  assert.deepEqual(listed.map((s) => s.name), targetNames());
  assert.ok(listed.find((s) => s.name === 'ofa-mbv3')!.commands.includes('evolve'));
  for (const cmd of [['search', 'foo'], ['predict', 'foo', 'x'], ['evolve', 'foo'], ['estimate', 'foo', '-o', 'x.json'], ['analyze', 'foo']]) {
    oneLine(runCli(cmd), new RegExp(`unknown space "foo" \\(known: ${targetNames().join(', ')}\\)`));
  }
  oneLine(runCli(['search', 'nb201', '--dataset', 'x']), /^blocknas: --dataset: "x" is not a nb201 dataset/);
  const version = runCli(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.out.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  const help = runCli(['search', '--help']).out.replace(/\s+/g, ' ');
  assert.match(help, /default per space: nb201 imagenet16-120, mobilenetv3 imagenet/);
  assert.match(help, /mbv3-mini: its table's/);
});
