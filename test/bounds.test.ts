import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/errors.js';
import { checkSeed, createRng, MAX_SEED } from '../src/random.js';
import { runCli } from './helpers/cli.js';
import { needsData } from './helpers/data.js';

/*
 * Issue 21's numeric bounds: a budget larger than the space is refused before any work (it used to hang the
 * sampler), and a seed must fit the generator's 32 bits (4294967296 used to run as seed 0).
 */
const oneLine = (r: { code: number | null; err: string }, re: RegExp) => {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, re);
};

test('seeds are 32-bit: the largest is accepted and distinct, one more is refused by field', () => {
  assert.equal(checkSeed(MAX_SEED), MAX_SEED);
  assert.notEqual(createRng(MAX_SEED).next(), createRng(0).next());
  assert.throws(() => checkSeed(2 ** 32), (e: Error) => e instanceof UserError && e.field === 'seed' && /from 0 to 4294967295 \(32 bits\), got 4294967296$/.test(e.message));
  assert.throws(() => checkSeed(-1), (e: Error) => (e as UserError).field === 'seed');
  assert.throws(() => checkSeed(1.5), (e: Error) => (e as UserError).field === 'seed');
});

test('a budget beyond the space and a 33-bit seed: one line, exit 2, nothing left behind', { skip: needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, () => {
  oneLine(runCli(['search', 'nb201', '--max-latency', '3', '--budget', '1e12']), /^blocknas: --budget: 1000000000000 is more than the 15625 architectures of nb201$/m);
  oneLine(runCli(['search', 'nb201', '--max-latency', '3', '--seed', '4294967296']), /^blocknas: --seed: expected an integer from 0 to 4294967295, got "4294967296"$/m);
  oneLine(runCli(['switch', 'nb201', '--max-latency', '3', '--seed', '4294967296']), /--seed: expected an integer from 0 to 4294967295/);
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-bounds-'));
  oneLine(runCli(['evolve', 'nb201', '--budget', '1e9', '--out', join(dir, 'run')]), /^blocknas: --budget: 1000000000 is more than the 15625 architectures of nb201$/m);
  assert.ok(!existsSync(join(dir, 'run')), 'no output directory or store left behind');
  oneLine(runCli(['evolve', 'nb201', '--budget', '20', '--seed', '99999999999', '--out', join(dir, 'run2')]), /--seed: expected an integer from 0 to 4294967295/);
});
