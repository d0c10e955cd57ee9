import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_MAIN, ROOT } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced block of output that follows the first line of the README containing `marker`. */
function outputAfter(marker: string): string[] {
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, `README has "${marker}"`);
  // A marker inside a command block is followed by that block's closing fence first.
  const rest = readme.slice(at + marker.length).replace(/^\n```\n/, '\n');
  const block = /```\n([\s\S]*?)```/.exec(rest);
  assert.ok(block, `an output block follows "${marker}"`);
  return block[1]!.trimEnd().split('\n');
}

/** Timings vary from run to run; every other character of the output must match. */
function normalise(lines: readonly string[]): string[] {
  return lines
    .filter((l) => !/^estimate \w+ \(\w+\): \d+\/\d+ networks evaluated/.test(l))
    .map((l) => l.replace(/^solve: {5}[\d.]+ ms/, 'solve:     <ms> ms').replace(/took \d+ ms more/, 'took <ms> ms more'));
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

test('README: the quick start search prints what the README shows', () => {
  const cmd = /npm install && npx blocknas (search mbv3-mini [^\n`]*)/.exec(readme);
  assert.ok(cmd, 'the quick start command');
  const out = run(cmd[1]!.split(' '), { BLOCKNAS_DATA: join(ROOT, 'no-such-data-dir') });
  assert.deepEqual(normalise(out), normalise(outputAfter('Output of the first:')));
});

test('README: the NB201 search prints what the README shows', { skip: needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, () => {
  const cmd = /\nnpx blocknas (search nb201 [^\n]*)\n/.exec(readme);
  assert.ok(cmd, 'the NB201 command');
  const args = cmd[1]!.replace('../shared/data', DATA_DIR).split(' ');
  assert.deepEqual(normalise(run(args, {})), normalise(outputAfter(cmd[0]!.trim())));
});
