import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import { cachedEvaluator } from '../src/eval/cached.js';
import { createExternalEvaluator, type ExternalEvaluatorOptions } from '../src/eval/external.js';
import { failureOf, type EvaluationFailure } from '../src/eval/failure.js';
import type { Metrics } from '../src/core/metrics.js';
import { genomeKey } from '../src/space/space.js';
import { readSpaceFile } from '../src/spaces/space-file/space.js';
import { createMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { EvaluationStore } from '../src/store/types.js';

const sf = readSpaceFile(fileURLToPath(new URL('../examples/own-space/space.json', import.meta.url)));
const space = sf.space;
const TRAINER = fileURLToPath(new URL('../examples/own-space/trainer.mjs', import.meta.url));
const trainer = `${JSON.stringify(process.execPath)} ${JSON.stringify(TRAINER)}`;
const ARCHS = ['c16:mb3:mb3:mb3:fc', 'c24:skip:mb5:mb5:mlp', 'c32:fused:mb5:mb3:attn', 'c16:mb5:fused:skip:fc'];
const genomes = ARCHS.map((a) => space.parse(a));
const dir = mkdtempSync(join(tmpdir(), 'blocknas-faults-'));

/** An external evaluator that records failures (and retries quickly); `failures` collects what onFailure heard. */
function recording(command: string | string[], extra: Partial<ExternalEvaluatorOptions> = {}) {
  const failures: EvaluationFailure[] = [];
  const log: string[] = [];
  const evaluator = createExternalEvaluator({
    space,
    command,
    metrics: ['accuracy:val', 'latency:cpu'],
    onFailure: (f) => failures.push(f),
    log: (l) => log.push(l),
    retryDelayMs: 5,
    ...extra,
  });
  return { evaluator, failures, log };
}

/** Whether a process runs: a zombie (killed, its parent gone, not yet reaped by a container's init) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const isNaNRow = (m: Metrics) => Number.isNaN(m['accuracy:val']) && Number.isNaN(m['latency:cpu']);
const oneLine = (s: string) => assert.ok(!s.includes('\n'), `more than one line: ${s}`);

let clean: Metrics[] | undefined;
/** The trainer's answers without faults, for comparing what survived a fault. */
async function cleanRun(): Promise<Metrics[]> {
  clean ??= await createExternalEvaluator({ space, command: trainer, metrics: ['accuracy:val', 'latency:cpu'], mode: 'batch' }).evaluate(genomes);
  return clean;
}

test('each bad answer fails its architecture with one line naming the command and the arch; NaN metrics carry the failure', async () => {
  const cases: [string, Partial<ExternalEvaluatorOptions>, RegExp][] = [
    ['echo notjson', {}, /^external evaluator "echo notjson" printed invalid JSON: "notjson" \(arch c16:mb3:mb3:mb3:fc\)$/],
    ['echo', {}, /printed invalid JSON: \(nothing\)/],
    ["echo '[1, 2]'", {}, /did not print a JSON object of metrics \(arch /],
    [`echo '{"accuracy:val": 70}'`, {}, /reported no metric "latency:cpu" \(got: accuracy:val\)/],
    [`echo '{"accuracy:val": 70, "latency:cpu": "fast"}'`, {}, /reported "latency:cpu": "fast", not a finite number/],
    [`echo '{"accuracy:val": NaN, "latency:cpu": 1}'`, {}, /reported "accuracy:val": NaN, not a finite number \(arch c16:/],
    [`echo '{"accuracy:val": 70, "latency:cpu": -Infinity}'`, {}, /reported "latency:cpu": -Infinity, not a finite number/],
    [`echo '{"accuracy:val": null, "latency:cpu": 1}'`, {}, /reported "accuracy:val": null, not a finite number/],
    ["echo 'boom' >&2; echo '{}'; exit 3", {}, /exited with code 3: boom \(arch c16:mb3:mb3:mb3:fc\)$/],
    ['kill -9 $$', {}, /exited with signal SIGKILL \(arch /],
  ];
  for (const [command, extra, re] of cases) {
    const { evaluator, failures } = recording(command, extra);
    const [m] = await evaluator.evaluate([genomes[0]!]);
    assert.ok(isNaNRow(m!), `${command}: a NaN row`);
    assert.equal(failures.length, 1, command);
    assert.deepEqual(failureOf(m), failures[0]);
    const f = failures[0]!;
    assert.match(f.reason, re, command);
    oneLine(f.reason);
    assert.equal(f.arch, ARCHS[0]);
    assert.deepEqual(f.genome, genomes[0]);
    assert.equal(f.attempts, 1);
    // What the store and reports see: plain NaN, no extra keys
    assert.deepEqual(Object.keys(m!), ['accuracy:val', 'latency:cpu']);
  }
});

test('a hang past the timeout kills the whole process group and fails the arch', async () => {
  const pidFile = join(dir, 'bg.pid');
  // The shell starts a background sleeper (its pid to a file) and waits: both must die at the timeout.
  const command = `sleep 30 & echo $! > ${JSON.stringify(pidFile)}; wait`;
  const { evaluator, failures } = recording(command, { timeoutMs: 300 });
  const t0 = Date.now();
  const [m] = await evaluator.evaluate([genomes[1]!]);
  assert.ok(Date.now() - t0 < 5000, 'returned soon after the timeout');
  assert.ok(isNaNRow(m!));
  assert.match(failures[0]!.reason, /^external evaluator "sleep 30 & .*" timed out after 0\.3 s \(arch c24:skip:mb5:mb5:mlp\)$/);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(!alive(pid), 'the background sleeper was killed with the group');
});

test('a huge output is cut at the cap: the command is killed and the arch fails', async () => {
  // `yes` never stops: without the cap this would run (and buffer) forever.
  const { evaluator, failures } = recording('yes', { maxOutputBytes: 64 * 1024 });
  const [m] = await evaluator.evaluate([genomes[0]!]);
  assert.ok(isNaNRow(m!));
  assert.match(failures[0]!.reason, /^external evaluator "yes" printed more than 64 KiB on stdout \(log to stderr\) \(arch c16:/);
  // The trainer's own fault at the default cap of 1 MiB
  const huge = recording(trainer, { env: { ...process.env, OWN_SPACE_FAULT: 'huge', OWN_SPACE_FAULT_MATCH: 'c16' } });
  const [h] = await huge.evaluator.evaluate([genomes[0]!]);
  assert.ok(isNaNRow(h!));
  assert.match(huge.failures[0]!.reason, /printed more than 1 MiB on stdout/);
});

test('a retry that succeeds leaves no failure; a failure that persists spends every try', async () => {
  const flaky = join(dir, 'flaky');
  const env = { ...process.env, OWN_SPACE_FAULT: 'flaky', OWN_SPACE_FAULT_MATCH: 'skip', OWN_SPACE_FAULT_DIR: flaky };
  const { evaluator, failures, log } = recording(trainer, { env, retries: 2 });
  const got = await evaluator.evaluate(genomes.slice(0, 2));
  assert.deepEqual(failures, []);
  assert.deepEqual(got, (await cleanRun()).slice(0, 2));
  assert.equal(log.length, 1, 'one retry');
  assert.match(log[0]!, /^retry 1 of 2 in 5 ms: external evaluator ".*" exited with code 1: trainer\.mjs: simulated first-try crash on c24:skip:mb5:mb5:mlp \(arch c24:skip:mb5:mb5:mlp\)$/);
  assert.ok(existsSync(join(flaky, 'c24_skip_mb5_mb5_mlp')));

  const always = recording("echo 'no luck' >&2; exit 1", { retries: 2 });
  const [m] = await always.evaluator.evaluate([genomes[0]!]);
  assert.ok(isNaNRow(m!));
  assert.equal(always.failures[0]!.attempts, 3);
  assert.equal(always.log.length, 2);
  assert.match(always.log[1]!, /^retry 2 of 2 in 10 ms: /, 'the pause doubles');
});

test('a failure does not lose the other architectures: per-arch and batch mode, crash, hang and garbage', async () => {
  const expected = await cleanRun();
  // The fault hits architecture 1 only (the only c24 with stage 1 skipped).
  // Per-arch mode runs each arch apart (test 1 has every kind of bad answer); batch mode must realign after a fault.
  const combos = [['per-arch', 'crash'], ['per-arch', 'hang'], ['batch', 'crash'], ['batch', 'hang'], ['batch', 'garbage'], ['batch', 'nan']] as const;
  {
    for (const [mode, fault] of combos) {
      const env = { ...process.env, OWN_SPACE_FAULT: fault, OWN_SPACE_FAULT_MATCH: 'c24:skip' };
      // A hang costs its timeout per try: tried once (retries are covered by the other faults).
      const retries = fault === 'hang' ? 0 : 1;
      const { evaluator, failures } = recording(trainer, { env, mode, timeoutMs: 1000, retries, concurrency: 2 });
      const got = await evaluator.evaluate(genomes);
      const what = `${mode} ${fault}`;
      assert.equal(failures.length, 1, what);
      assert.equal(failures[0]!.arch, ARCHS[1], what);
      assert.equal(failures[0]!.attempts, retries + 1, what);
      oneLine(failures[0]!.reason);
      assert.match(failures[0]!.reason, { crash: /exited with code 1: trainer\.mjs: simulated crash/, hang: /timed out after 1\.0 s/, garbage: /printed invalid JSON: "loss=0\.42/, nan: /reported "accuracy:val": NaN/ }[fault]!, what);
      // In batch mode the arch is tried with the ones still waiting behind it (or alone, once they are answered).
      assert.match(failures[0]!.reason, mode === 'batch' ? /\(arch c24:skip:mb5:mb5:mlp(, in a batch of [234])?\)$/ : /\(arch c24:skip:mb5:mb5:mlp\)$/, what);
      assert.ok(isNaNRow(got[1]!), what);
      for (const i of [0, 2, 3]) assert.deepEqual(got[i], expected[i], `${what}: arch ${i} keeps its metrics`);
    }
  }
});

test('batch mode: more lines than architectures cannot be aligned, and charges every one', async () => {
  const { evaluator, failures } = recording(`printf '{}\\n{}\\n{}\\n'`, { mode: 'batch' });
  const got = await evaluator.evaluate(genomes.slice(0, 2));
  assert.ok(got.every(isNaNRow));
  assert.deepEqual(failures.map((f) => f.arch), ARCHS.slice(0, 2));
  assert.match(failures[0]!.reason, /printed 3 line\(s\) for 2 architectures \(arch c16:mb3:mb3:mb3:fc, in a batch of 2\)$/);
});

test('the default policy still throws, after the retries; a command that cannot run throws whatever the policy', async () => {
  let heard = 0;
  await assert.rejects(
    createExternalEvaluator({ space, command: 'exit 4', metrics: ['accuracy:val'], retries: 1, retryDelayMs: 1, failures: 'throw', onFailure: () => heard++ }).evaluate(genomes),
    (e) => e instanceof UserError && /^external evaluator "exit 4" exited with code 4 \(arch c16:mb3:mb3:mb3:fc\)$/.test(e.message),
  );
  assert.equal(heard, 1);
  for (const command of ['/no/such/trainer --fast', ['/no/such/trainer']]) {
    const { evaluator, failures } = recording(command);
    await assert.rejects(evaluator.evaluate(genomes), (e) => e instanceof UserError && /could not (run|start)/.test(e.message) && !e.message.includes('\n'));
    assert.deepEqual(failures, []);
  }
  // A trainer that fails everything is stopped after maxConsecutiveFailures, with the failures so far told.
  const broken = recording('exit 1', { maxConsecutiveFailures: 3 });
  await assert.rejects(broken.evaluator.evaluate(genomes), (e) => e instanceof UserError && /^external evaluator "exit 1" failed 3 architectures in a row and is stopped; the last exited with code 1 \(arch c32:fused:mb5:mb3:attn\)$/.test(e.message));
  assert.equal(broken.failures.length, 3);
  const ac = new AbortController();
  const pending = recording('sleep 30').evaluator.evaluate(genomes, { signal: ac.signal });
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(pending, (e) => !(e instanceof UserError) && /aborted/.test((e as Error).message));
});

const stores: [string, () => EvaluationStore][] = [
  ['memory', createMemoryStore],
  ['sqlite', () => openSqliteStore(join(dir, `s-${Math.random().toString(36).slice(2)}.sqlite`))],
];
for (const [kind, open] of stores) {
  test(`${kind} store: failures are recorded apart from evaluations, replayed without running the command, and retried once deleted`, async () => {
    const store = open();
    const counter = join(dir, `count-${kind}`);
    // Counts its invocations (one line per run) and fails the archs with a skipped stage 1.
    const command = `echo x >> ${JSON.stringify(counter)}; ${trainer}`;
    const env = { ...process.env, OWN_SPACE_FAULT: 'crash', OWN_SPACE_FAULT_MATCH: ':skip:mb5' };
    const runs = () => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);
    const first = recording(command, { env });
    const cached = cachedEvaluator(first.evaluator, store, 'own-space');
    const got = await cached.evaluate(genomes);
    assert.equal(runs(), 4);
    assert.equal(cached.failed, 1);
    assert.equal(store.countEvaluations('own-space'), 3, 'the failure is not an evaluation');
    const stored = store.getFailures('own-space');
    assert.deepEqual([...stored.keys()], [genomeKey(genomes[1]!)]);
    assert.match(stored.get(genomeKey(genomes[1]!))!.reason, /simulated crash on c24:skip:mb5:mb5:mlp/);
    assert.equal(stored.get(genomeKey(genomes[1]!))!.attempts, 1);

    // A resumed run: everything answered from the store, the failure as a failure, nothing run.
    const again = cachedEvaluator(recording(command, { env }).evaluator, store, 'own-space');
    const replay = await again.evaluate(genomes);
    assert.equal(runs(), 4);
    assert.equal(again.reused, 4);
    assert.deepEqual(replay.map((m) => Object.entries(m)), got.map((m) => Object.entries(m)));
    assert.deepEqual(failureOf(replay[1]), { genome: genomes[1], arch: genomeKey(genomes[1]!), reason: failureOf(got[1])!.reason, attempts: 1 });
    assert.equal(failureOf(replay[0]), undefined);

    // Forgotten, the failure is tried again; this time the trainer is healthy and the failure record goes away.
    assert.equal(store.deleteFailures('own-space'), 1);
    const healthy = cachedEvaluator(recording(command).evaluator, store, 'own-space');
    const fixed = await healthy.evaluate(genomes);
    assert.equal(runs(), 5);
    assert.deepEqual(fixed[1], (await cleanRun())[1]);
    assert.equal(store.getFailures('own-space').size, 0);
    assert.equal(store.countEvaluations('own-space'), 4);

    // putEvaluations clears a failure of the same arch; getFailures by arch; deleteFailures by arch
    store.putFailures('k', [{ arch: '1,2', reason: 'r1', attempts: 2 }, { arch: '0,0', reason: 'r0', attempts: 1 }]);
    assert.deepEqual([...store.getFailures('k').keys()], ['0,0', '1,2'], 'in arch order');
    assert.deepEqual(store.getFailures('k', ['1,2', '9,9']), new Map([['1,2', { arch: '1,2', reason: 'r1', attempts: 2 }]]));
    store.putEvaluations('k', [{ arch: '1,2', metrics: { a: 1 } }]);
    assert.deepEqual([...store.getFailures('k').keys()], ['0,0']);
    assert.equal(store.deleteFailures('k', ['0,0', '5,5']), 1);
    assert.equal(store.getFailures('other').size, 0);
    store.close();
  });
}
