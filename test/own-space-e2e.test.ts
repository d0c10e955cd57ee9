import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metrics } from '../src/core/metrics.js';
import { createExternalEvaluator } from '../src/eval/external.js';
import type { EvaluationFailure } from '../src/eval/failure.js';
import { createProblem } from '../src/evolve/problem.js';
import { runStrategy } from '../src/evolve/run.js';
import { createStrategy } from '../src/evolve/strategies/index.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { predict } from '../src/predict/predict.js';
import { solveIlp } from '../src/search/ilp.js';
import { searchTable } from '../src/search/table-search.js';
import { allGenomes, genomeKey, radices, satisfiesRules } from '../src/space/space.js';
import { createSpaceFileEvaluator, spaceFileEvaluatorKey } from '../src/spaces/space-file/evaluator.js';
import { readSpaceFile } from '../src/spaces/space-file/space.js';
import { spearman } from '../src/stats/rank.js';
import { openSqliteStore } from '../src/store/sqlite.js';

/*
 * The own-space example end to end through the library: the space file, its trainer over the external protocol,
 * a block table estimated from a budget of trained networks, a search under a latency limit whose answer the
 * trainer's own latency confirms, and an evolve run with a failing trainer, recorded and resumed.
 */
const sf = readSpaceFile(fileURLToPath(new URL('../examples/own-space/space.json', import.meta.url)));
const { space } = sf;
const TRAINER = fileURLToPath(new URL('../examples/own-space/trainer.mjs', import.meta.url));
const command = [process.execPath, TRAINER];
const valid = [...allGenomes(radices(space))].filter((g) => satisfiesRules(space.rules, g));

/** The trainer's answer for every valid architecture (one batch invocation), by genome key. */
let truth: Map<string, Metrics> | undefined;
async function trainerTruth(): Promise<Map<string, Metrics>> {
  if (!truth) {
    const rows = await createSpaceFileEvaluator(sf, { command, mode: 'batch' }).evaluate(valid);
    truth = new Map(valid.map((g, i) => [genomeKey(g), rows[i]!]));
  }
  return truth;
}

test('estimate a block table from the trainer, then search it under a latency limit the trainer confirms', async () => {
  assert.equal(valid.length, 486, '576 architectures, 90 with two or three skipped stages');
  const failures: EvaluationFailure[] = [];
  const evaluator = createSpaceFileEvaluator(sf, { command, mode: 'batch', timeoutMs: 30_000, retries: 1, onFailure: (f) => failures.push(f) });
  assert.deepEqual(evaluator.provides.map((m) => m.id), ['accuracy:val', 'latency:cpu', 'flops', 'params']);
  const table = await regressionEstimator.estimate({ space, evaluator, accuracy: sf.accuracy, costs: ['latency:cpu', 'flops'], flops: sf.flops!, budget: 40, seed: 3 });
  assert.deepEqual(failures, []);
  assert.equal(table.space, 'tiny-convnet');
  assert.equal(table.evaluated, 40);
  assert.deepEqual(table.metrics.map((m) => m.metric), ['accuracy:val', 'latency:cpu', 'flops']);

  // The estimate is meaningful: it ranks the trainer's accuracy and predicts its latency over the whole space.
  const real = await trainerTruth();
  const predicted = valid.map((g) => predict(table, space, g));
  const acc = spearman(predicted.map((p) => p['accuracy:val']!), valid.map((g) => real.get(genomeKey(g))!['accuracy:val']!));
  assert.ok(acc > 0.9, `accuracy rank correlation ${acc}`);
  const latErr = Math.max(...valid.map((g, i) => Math.abs(predicted[i]!['latency:cpu']! - real.get(genomeKey(g))!['latency:cpu']!)));
  assert.ok(latErr < 0.2, `worst latency error ${latErr} ms`);
  // flops is additive over the blocks: the fit is exact
  const flopsErr = Math.max(...valid.map((g, i) => Math.abs(predicted[i]!['flops']! - real.get(genomeKey(g))!['flops']!)));
  assert.ok(flopsErr < 1e-6, `flops error ${flopsErr}`);

  // Search under a latency limit with the trainer measuring the answer: it must meet the limit by the trainer's clock.
  const max = 3.2;
  const measure = async (gs: readonly (readonly number[])[]) => (await evaluator.evaluate(gs)).map((m) => ({ ...m }));
  const found = await searchTable({ table, space, objective: sf.accuracy, limits: [{ metric: 'latency:cpu', max }], solve: (p) => solveIlp(p), confidence: 0.9, measure });
  assert.equal(found.status, 'found');
  if (found.status !== 'found') return;
  const g = found.solution.genome!;
  const measured = real.get(genomeKey(g))!;
  assert.ok(measured['latency:cpu']! <= max, `${space.format(g)}: trainer latency ${measured['latency:cpu']} ms over ${max}`);
  assert.ok(satisfiesRules(space.rules, g));
  // ... and it is close to the best the trainer knows under that limit
  const best = Math.max(...valid.map((v) => real.get(genomeKey(v))!).filter((m) => m['latency:cpu']! <= max).map((m) => m['accuracy:val']!));
  assert.ok(best - measured['accuracy:val']! < 0.5, `regret ${best - measured['accuracy:val']!} (found ${space.format(g)})`);
});

test('a failing trainer: the estimate skips its failures, evolve records them in the store, and a resume replays them', async () => {
  const env = { ...process.env, OWN_SPACE_FAULT: 'crash' };
  const failures: EvaluationFailure[] = [];
  // No retries: a batch invocation per failure is the cost of a fault here (eval-external-faults.test.ts tries retries)
  const evaluator = createSpaceFileEvaluator(sf, { command, env, mode: 'batch', onFailure: (f) => failures.push(f) });
  const table = await regressionEstimator.estimate({ space, evaluator, accuracy: sf.accuracy, costs: ['latency:cpu'], flops: sf.flops!, budget: 40, seed: 3 });
  assert.ok(failures.length > 0 && failures.length < 15, `${failures.length} failures (about one architecture in ten)`);
  for (const f of failures) {
    assert.match(f.reason, /exited with code 1: trainer\.mjs: simulated crash on \S+ \(arch \S+(, in a batch of \d+)?\)$/);
    assert.equal(f.attempts, 1);
  }
  // Failed networks stay in the observations as missing measurements; the fit uses the others.
  const accObs = table.observations!.metrics['accuracy:val']!;
  assert.equal(accObs.filter((v) => v === null || Number.isNaN(v)).length, failures.length);
  assert.ok(table.metrics.every((m) => m.values.flat().every(Number.isFinite)));

  const dir = mkdtempSync(join(tmpdir(), 'blocknas-own-space-'));
  const store = openSqliteStore(join(dir, 'runs.sqlite'));
  const evolveFailures: EvaluationFailure[] = [];
  const problemOf = (onFailure: (f: EvaluationFailure) => void) =>
    createProblem(
      space,
      [
        { metric: 'accuracy:val', info: sf.metrics[0]!, sense: 'max' },
        { metric: 'latency:cpu', info: sf.metrics[1]!, sense: 'min' },
      ],
      createSpaceFileEvaluator(sf, { command, env, mode: 'batch', retries: 0, onFailure }),
    );
  const key = spaceFileEvaluatorKey(sf, command, 'OWN_SPACE_FAULT=crash');
  const run = (resume: boolean, onFailure: (f: EvaluationFailure) => void) => {
    const problem = problemOf(onFailure);
    return runStrategy(problem, createStrategy('nsga2', problem, { seed: 5 }), { budget: 40, store, evaluatorKey: key, runId: 'own', config: { seed: 5 }, resume });
  };
  const first = await run(false, (f) => evolveFailures.push(f));
  assert.equal(first.evaluated.length + first.failed.length, 40, 'failures are spent from the budget');
  assert.ok(first.failed.length > 0, 'some networks failed');
  assert.equal(evolveFailures.length, first.failed.length);
  assert.equal(store.getFailures(key).size, first.failed.length, 'every failure is in the store');
  assert.equal(store.countEvaluations(key), first.evaluated.length);
  assert.ok(first.evaluated.every((e) => e.objectives.every(Number.isFinite)));
  assert.ok(first.front.length > 0);

  // Resumed (a finished run replays): the same run from the store, nothing evaluated, failures as they were.
  const heard: EvaluationFailure[] = [];
  const again = await run(true, (f) => heard.push(f));
  assert.equal(again.fresh, 0);
  assert.deepEqual(heard, []);
  assert.deepEqual(again.evaluated.map((e) => genomeKey(e.genome)), first.evaluated.map((e) => genomeKey(e.genome)));
  assert.deepEqual(again.failed.map((f) => [genomeKey(f.genome), f.reason]), first.failed.map((f) => [genomeKey(f.genome), f.reason]));
  assert.deepEqual(again.history, first.history);
  store.close();
});

test('the example trainer speaks both modes alike and is deterministic', async () => {
  const archs = ['c24:mb5:fused:mb3:mlp', 'c16:skip:mb3:mb3:fc'].map((a) => space.parse(a));
  const perArch = await createExternalEvaluator({ space, command, metrics: sf.measured }).evaluate(archs);
  const real = await trainerTruth();
  archs.forEach((g, i) => assert.deepEqual(perArch[i], { 'accuracy:val': real.get(genomeKey(g))!['accuracy:val'], 'latency:cpu': real.get(genomeKey(g))!['latency:cpu'] }));
  // The bigger network is more accurate and slower
  assert.ok(perArch[0]!['accuracy:val']! > perArch[1]!['accuracy:val']!);
  assert.ok(perArch[0]!['latency:cpu']! > perArch[1]!['latency:cpu']!);
});
