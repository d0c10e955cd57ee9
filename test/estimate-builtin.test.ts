import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI_MAIN, ROOT } from './helpers/cli.js';

// A tiny but complete estimation: the super-network trains for 2 steps, each network is checked on 100 images.
const ARGS = [
  'estimate', 'mbv3-mini', '--epochs', '1', '--train-size', '64', '--val-size', '100', '--test-size', '50',
  '--calibration-images', '64', '--budget', '24', '--repeats', '2', '--workers', '1', '--json',
];
const env = { ...process.env, BLOCKNAS_DATA: '/nonexistent' };

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const storedCount = (file: string): number => {
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // created but no schema yet
  }
};

/** Starts an estimation and SIGKILLs it once the store holds `after` evaluations. */
function runAndKill(args: string[], store: string, after: number): Promise<{ signal: NodeJS.Signals | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { cwd: ROOT, env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const poll = setInterval(() => {
      if (storedCount(store) >= after) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      done({ signal, err });
    });
  });
}

const accuracyTable = (file: string) => JSON.parse(readFileSync(file, 'utf8')).metrics[0];

test('estimate mbv3-mini: a run killed midway resumes from the store without re-evaluating finished networks, to the uninterrupted table', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'blocknas-estimate-'));
  const whole = cli([...ARGS, '--store', join(tmp, 'whole.sqlite'), '--out', join(tmp, 'whole.json')]);
  assert.equal(whole.code, 0, whole.err);
  const w = JSON.parse(whole.out);
  assert.equal(w.fresh, w.evaluated, 'a fresh store evaluates every network');
  assert.equal(w.reused, 0);

  const store = join(tmp, 'killed.sqlite');
  const out = join(tmp, 'killed.json');
  const killed = await runAndKill([...ARGS, '--store', store, '--out', out], store, 8);
  assert.equal(killed.signal, 'SIGKILL', killed.err);
  assert.ok(!existsSync(out), 'a killed run writes no table');
  const stored = storedCount(store);
  assert.ok(stored >= 8 && stored < w.evaluated, `stored ${stored} of ${w.evaluated} evaluations before the kill`);

  // Without --json: the human report, and progress and the super-network's log on stderr.
  const resumed = cli([...ARGS.filter((a) => a !== '--json'), '--store', store, '--out', out]);
  assert.equal(resumed.code, 0, resumed.err);
  const m = /: (\d+) networks \((\d+) evaluated now, (\d+) from the store\)/.exec(resumed.out);
  assert.ok(m, resumed.out);
  assert.equal(Number(m[1]), w.evaluated);
  assert.equal(Number(m[3]), stored, 'every stored evaluation came from the store');
  assert.equal(Number(m[2]), w.evaluated - stored, 'only the rest was evaluated');
  assert.match(resumed.err, /super-network: trained \(from the store\)/, 'the super-network was loaded, not trained again');
  assert.match(resumed.err, /networks evaluated/, 'progress on stderr');
  // Accuracy is a deterministic function of the seed and the settings; latency is measured, so it differs by run.
  assert.deepEqual(accuracyTable(out), accuracyTable(join(tmp, 'whole.json')));
  const table = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(table.metrics.map((m: { metric: string }) => m.metric), ['accuracy:fashion-mnist-val', 'latency:wasm', 'flops', 'params']);
  assert.ok(table.notes.some((n: string) => /weight-sharing super-network/.test(n)), 'the table says how accuracy was measured');

  const again = cli([...ARGS, '--store', store, '--out', out]);
  assert.equal(again.code, 0, again.err);
  assert.equal(JSON.parse(again.out).fresh, 0, 'a repeated run evaluates nothing');
});

test('estimate: bad built-in settings fail in one line, before anything is written', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'blocknas-estimate-bad-'));
  const cases: [string[], RegExp][] = [
    [['--evaluator', 'magic'], /--evaluator: expected one of supernet, train, got "magic"/],
    [['--epochs', '0'], /--epochs: expected an integer >= 1, got "0"/],
    [['--device', 'tpu'], /--device: expected one of wasm, cpu/],
    [['--dataset', 'cifar10'], /--dataset: expected one of mnist, fashion-mnist, got "cifar10"/],
  ];
  for (const [extra, message] of cases) {
    const out = join(tmp, 't.json');
    const r = cli(['estimate', 'mbv3-mini', '--store', join(tmp, 's.sqlite'), '--out', out, ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
    assert.ok(!existsSync(out), 'no table written');
  }
  const nb = cli(['estimate', 'nb201', '--evaluator', 'supernet', '--out', join(tmp, 'n.json')]);
  assert.equal(nb.code, 2);
  assert.match(nb.err, /--evaluator: only for built-in spaces \(mbv3-mini\)/);
});

test('estimate mbv3-mini --evaluator train: every network trained from scratch, stored, and a rerun trains nothing', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'blocknas-estimate-train-'));
  const args = [
    'estimate', 'mbv3-mini', '--evaluator', 'train', '--epochs', '1', '--train-size', '64', '--val-size', '100',
    '--test-size', '50', '--calibration-images', '64', '--budget', '16', '--repeats', '2', '--workers', '2',
    '--store', join(tmp, 's.sqlite'), '--out', join(tmp, 't.json'), '--json',
  ];
  const first = cli(args);
  assert.equal(first.code, 0, first.err);
  const f = JSON.parse(first.out);
  assert.equal(f.fresh, 16);
  const table = JSON.parse(readFileSync(join(tmp, 't.json'), 'utf8'));
  assert.ok(table.notes.some((n: string) => /every network trained from scratch/.test(n)), 'the table says how accuracy was measured');
  const again = cli(args);
  assert.equal(again.code, 0, again.err);
  assert.equal(JSON.parse(again.out).fresh, 0, 'a rerun takes every network from the store');
  assert.equal(storedCount(join(tmp, 's.sqlite')), 16);
});
