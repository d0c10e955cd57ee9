import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN, ROOT } from './helpers/cli.js';

const env = { ...process.env, BLOCKNAS_DATA: '/nonexistent' };
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
// Tiny settings: a 2-step super-network, 100 validation images, a few NATv2 iterations, 1-epoch fine-tune on 64 images.
const TINY = ['--epochs', '1', '--train-size', '64', '--val-size', '100', '--test-size', '50', '--calibration-images', '64', '--repeats', '2', '--workers', '1'];

test('evolve mbv3-mini: NATv2 on networks measured here, then the Pareto set fine-tuned from inherited weights', () => {
  const out = mkdtempSync(join(tmpdir(), 'blocknas-evolve-builtin-'));
  const r = cli(['evolve', 'mbv3-mini', '--objectives', 'accuracy,latency', '--budget', '12', '--init', '6', '--per-iteration', '3', '--fine-tune', '1', ...TINY, '--out', out, '--json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  assert.deepEqual(report.objectives.map((o: { metric: string }) => o.metric), ['accuracy:fashion-mnist-val', 'latency:wasm']);
  assert.equal(report.evaluations, 12);
  assert.ok(report.pareto.length >= 1);
  assert.equal(report.postProcessing.status, 'done', JSON.stringify(report.postProcessing));
  assert.deepEqual(report.postProcessing.networks.map((n: { arch: string }) => n.arch), report.pareto.map((p: { arch: string }) => p.arch));
  for (const n of report.postProcessing.networks) {
    const acc = n.metrics['accuracy:fashion-mnist-val'];
    assert.ok(acc >= 0 && acc <= 100, `fine-tuned accuracy ${acc}`);
    assert.ok(n.metrics['train-seconds'] > 0, 'fine-tuning took measurable time');
  }
  assert.ok(existsSync(join(out, 'fine-tuned.csv')), 'fine-tuned.csv written');
  assert.equal(readFileSync(join(out, 'fine-tuned.csv'), 'utf8').trim().split('\n').length, report.pareto.length + 1);
});

test('evolve: --fine-tune on a tabular benchmark and built-in flags on other spaces fail in one line', () => {
  const out = mkdtempSync(join(tmpdir(), 'blocknas-evolve-builtin-bad-'));
  const train = cli(['evolve', 'mbv3-mini', '--evaluator', 'train', '--fine-tune', '1', '--out', join(out, 'a')]);
  assert.equal(train.code, 2);
  assert.match(train.err, /--fine-tune: networks trained from scratch/);
  assert.equal(train.err.trim().split('\n').length, 1, train.err);
  const nb = cli(['evolve', 'nb201', '--epochs', '2', '--out', join(out, 'b')]);
  assert.equal(nb.code, 2);
  assert.match(nb.err, /--epochs: only for built-in spaces \(mbv3-mini\)/);
  assert.ok(!existsSync(join(out, 'b')), 'nothing written');
});
