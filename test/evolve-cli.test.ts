import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NB201_FILES } from '../src/benchmarks/nb201.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const skip = needsData(NB201_FILES.accuracy, NB201_FILES.latency);
const main = join(root, 'src/cli/main.ts');
const env = { ...process.env, BLOCKNAS_DATA: DATA_DIR };
// Small and quick, but several NATv2 iterations, so a kill lands mid-run.
const ARGS = ['evolve', 'nb201', '--dataset', 'imagenet16-120', '--objectives', 'accuracy,latency:fpga', '--budget', '60', '--init', '20', '--per-iteration', '10', '--surrogate', 'ridge', '--seed', '3'];

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Starts a run and kills it with `signal` once `after` evaluations are reported; resolves with its exit. */
function runAndKill(out: string, signal: NodeJS.Signals, after: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...ARGS, '--out', out], { cwd: root, env });
    let err = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = [...err.matchAll(/ (\d+)\/60 networks/g)].map((x) => Number(x[1]));
      if (!sent && m.length > 0 && Math.max(...m) >= after) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code, sig) => done({ code, signal: sig, err }));
  });
}

const result = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
const essence = (r: { pareto: unknown; history: unknown; hypervolume: number; evaluations: number; wideFrame: unknown }) => ({
  pareto: r.pareto, history: r.history, hypervolume: r.hypervolume, evaluations: r.evaluations, wideFrame: r.wideFrame,
});

test('evolve: a run killed midway (SIGKILL) resumes to the same result as an uninterrupted run, evaluating nothing twice', { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'blocknas-evolve-'));
  const whole = cli([...ARGS, '--out', join(tmp, 'whole'), '--json']);
  assert.equal(whole.code, 0, whole.err);
  const expected = JSON.parse(whole.out);
  assert.equal(expected.evaluations, 60);
  assert.ok(expected.trueHypervolume > 0 && expected.hypervolume <= expected.trueHypervolume, 'hypervolume below the true front');
  const wide = expected.wideFrame;
  assert.ok(wide.hypervolume > 0 && wide.hypervolume <= wide.trueHypervolume, 'wide-frame hypervolume below the true front');
  assert.equal(wide.ratio, wide.hypervolume / wide.trueHypervolume);
  // The wide frame also counts the volume between the true front's nadir and the space's worst, which every front
  // beyond the nadir covers, so it can only read higher for a front this close.
  assert.ok(wide.ratio > expected.hypervolume / expected.trueHypervolume, `wide ${wide.ratio} above strict`);
  assert.match(expected.postProcessing.reason, /tabular benchmark.*cannot train/);
  // the history says which surrogate proposed each step: none for the initial archive, one per objective after
  assert.equal(expected.history[0].surrogates, undefined);
  for (const h of expected.history.slice(1)) {
    assert.deepEqual(h.surrogates.map((s: { metric: string }) => s.metric), ['accuracy:imagenet16-120', 'latency:fpga']);
    for (const s of h.surrogates) assert.match(s.chosen, /^block-ridge/);
    // NB201's zero-cost proxy informs the accuracy surrogate only
    assert.deepEqual(h.surrogates.map((s: { chosen: string }) => s.chosen.endsWith('+proxy')), [true, false]);
  }
  assert.equal(expected.settings.proxy, 'jacob_cov:cifar10');
  const csvRows = readFileSync(join(tmp, 'whole', 'history.csv'), 'utf8').trim().split('\n');
  assert.equal(csvRows[0], 'step,evaluations,hypervolume,ratio,surrogates');
  assert.match(csvRows.at(-1)!, /,accuracy:imagenet16-120=block-ridge[^;]*;latency:fpga=block-ridge/);

  const dir = join(tmp, 'killed');
  const killed = await runAndKill(dir, 'SIGKILL', 30);
  assert.equal(killed.signal, 'SIGKILL', killed.err);
  assert.ok(!existsSync(join(dir, 'result.json')), 'a killed run writes no result');
  const store = openSqliteStore(join(dir, 'store.sqlite'));
  const stored = store.runArchs('evolve').length;
  store.close();
  assert.ok(stored >= 30 && stored < 60, `stored ${stored} evaluations before the kill`);

  const again = cli([...ARGS, '--out', dir]);
  assert.equal(again.code, 2, 'starting over an existing run is refused');
  assert.match(again.err, /--resume: run "evolve" already exists in the store: resume it to continue/);

  const resumed = cli([...ARGS, '--out', dir, '--resume', '--json']);
  assert.equal(resumed.code, 0, resumed.err);
  const got = JSON.parse(resumed.out);
  assert.deepEqual(essence(got), essence(expected));
  assert.equal(got.reused, stored, 'every stored evaluation came from the store');
  assert.equal(got.fresh, 60 - stored, 'only the remaining networks were evaluated');
  assert.deepEqual(result(dir).pareto, expected.pareto, 'result.json matches the printed result');
  const csv = readFileSync(join(dir, 'pareto.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'arch,accuracy:imagenet16-120,latency:fpga');
  assert.equal(csv.length - 1, expected.pareto.length);
});

test('evolve: Ctrl-C stops after the current step, writes the partial result and says how to resume', { skip }, async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'blocknas-evolve-')), 'int');
  const r = await runAndKill(dir, 'SIGINT', 20);
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /interrupted after \d+ evaluations; continue with the same command and --resume/);
  const partial = result(dir);
  assert.equal(partial.interrupted, true);
  assert.ok(partial.evaluations < 60, `partial ${partial.evaluations}`);
});

test('evolve: bad input is one line naming the flag', { skip }, () => {
  for (const [args, pattern] of [
    [['--objectives', 'accuracy,latency:nowhere'], /--objectives: unknown metric "latency:nowhere"/],
    [['--strategy', 'magic'], /--strategy: expected one of natv2, nsga2, regularized-evolution, random/],
    [['--budget', '0'], /--budget: expected an integer >= 1/],
    [['--surrogate', 'oracle'], /--surrogate: expected one of auto/],
    [['--reselect-every', '0'], /--reselect-every: expected an integer >= 1/],
  ] as const) {
    const parent = mkdtempSync(join(tmpdir(), 'blocknas-bad-'));
    const r = cli(['evolve', 'nb201', ...args, '--out', join(parent, 'out', 'deeper')]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, pattern);
    assert.deepEqual(readdirSync(parent), [], `${args.join(' ')} leaves nothing behind`);
  }
  // an --out that already holds other work keeps it, and gains no empty store
  const existing = mkdtempSync(join(tmpdir(), 'blocknas-bad-'));
  writeFileSync(join(existing, 'notes.txt'), 'mine');
  const bad = cli(['evolve', 'nb201', '--objectives', 'accuracy,latency:nowhere', '--out', existing]);
  assert.equal(bad.code, 2, bad.err);
  assert.deepEqual(readdirSync(existing), ['notes.txt']);
  const out = join(mkdtempSync(join(tmpdir(), 'blocknas-bad-')), 'never');
  const r = cli(['evolve', 'nb201', '--resume', '--out', out]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /^blocknas: --resume: no store at .*store\.sqlite to resume from\n$/);
  assert.ok(!existsSync(out), 'a failed resume leaves nothing behind');
});
