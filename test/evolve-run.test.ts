import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserError } from '../src/errors.js';
import { selectCandidates } from '../src/evolve/candidates.js';
import { frontWeightedRows } from '../src/evolve/fit-rows.js';
import { frameFor, frameHypervolume, spaceFrame } from '../src/evolve/indicator.js';
import { parseObjectives } from '../src/evolve/problem.js';
import { runStrategy, type RunResult } from '../src/evolve/run.js';
import { balancedSample } from '../src/evolve/sampling.js';
import { createStrategy, STRATEGY_NAMES } from '../src/evolve/strategies/index.js';
import { natv2, natv2InitSize, type IterationDetail } from '../src/evolve/strategies/natv2.js';
import { nonDominatedSort, paretoFront } from '../src/moo/dominance.js';
import { createRng } from '../src/random.js';
import { genomeKey } from '../src/space/space.js';
import { createMemoryStore } from '../src/store/memory.js';
import type { EvaluationStore } from '../src/store/types.js';
import { syntheticMoo } from './helpers/synthetic-moo.js';

const toy = syntheticMoo();
const trueFront = paretoFront(toy.all).map((i) => toy.all[i]!);
const frame = frameFor(trueFront);
const trueHv = frameHypervolume(trueFront, frame);

const run = (name: (typeof STRATEGY_NAMES)[number], store: EvaluationStore, opts: { budget: number; seed?: number; resume?: boolean; signal?: AbortSignal; runId?: string }) =>
  runStrategy(toy.problem, createStrategy(name, toy.problem, { seed: opts.seed ?? 0, budget: opts.budget, initSize: 20, perIteration: 8, surrogate: 'ridge' }), {
    budget: opts.budget,
    store,
    evaluatorKey: 'toy',
    runId: opts.runId ?? 'r',
    config: { name, seed: opts.seed ?? 0, budget: opts.budget },
    frame,
    ...(opts.resume ? { resume: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });

const summary = (r: RunResult) => ({
  archs: r.evaluated.map((e) => genomeKey(e.genome)),
  history: r.history.map((h) => [h.evaluations, h.hypervolume]),
});

test('hypervolume frame: the true front scores (1 + offset)^2 minus its dominated complement; a subset scores less', () => {
  const pts = [[0, 1], [0.5, 0.5], [1, 0]];
  const f = frameFor(pts);
  assert.deepEqual(f.bounds, { ideal: [0, 0], nadir: [1, 1] });
  // staircase with reference (1.1, 1.1): 1.1*0.1 + 0.6*0.5 ... computed by hand: 0.11 + 0.3 + 0.05 = 0.46
  assert.ok(Math.abs(frameHypervolume(pts, f) - (0.1 * 1.1 + 0.5 * 0.6 + 0.5 * 0.1)) < 1e-12, 'hand-computed hypervolume');
  assert.ok(frameHypervolume([[0.5, 0.5]], f) < frameHypervolume(pts, f), 'a subset has less volume');
});

test('wide frame: the reference is the space\'s worst value of each objective, so a small dent in the front costs less than in the strict frame', () => {
  const space = [[0, 1], [0.5, 0.5], [1, 0], [2, 3], [1.5, 1.5]];
  const f = spaceFrame(space);
  assert.deepEqual(f.bounds, { ideal: [0, 0], nadir: [2, 3] });
  assert.equal(f.offset, 0);
  const front = [[0, 1], [0.5, 0.5], [1, 0]];
  // normalised (x/2, y/3), reference (1, 1): staircase 0.25*(1-1/3) + 0.25*(1-1/6) + 0.5*1 = 1/6 + 5/24 + 1/2
  assert.ok(Math.abs(frameHypervolume(front, f) - (1 / 6 + 5 / 24 + 1 / 2)) < 1e-12, 'hand-computed wide hypervolume');
  // the middle point found only as a worse one, (0.6, 0.6): a small dent in the front
  const dented = [[0, 1], [0.6, 0.6], [1, 0]];
  const wide = frameHypervolume(dented, f) / frameHypervolume(front, f);
  const strict = frameHypervolume(dented, frameFor(front)) / frameHypervolume(front, frameFor(front));
  // wide: normalised (0, 1/3), (0.3, 0.2), (0.5, 0): 0.3*(2/3) + 0.2*0.8 + 0.5*1 = 0.86; strict: 0.6*0.1 + 0.4*0.5 + 0.1*1.1 = 0.37 of 0.46
  assert.ok(Math.abs(wide - 0.86 / (1 / 6 + 5 / 24 + 1 / 2)) < 1e-12, `hand-computed wide ratio, got ${wide}`);
  assert.ok(Math.abs(strict - 0.37 / 0.46) < 1e-12, `hand-computed strict ratio, got ${strict}`);
  assert.ok(wide > strict, `the same dent costs less in the wide frame (${wide} vs ${strict})`);
});

test('candidate selection fills the largest predicted gap first and never returns a candidate twice', () => {
  const archive = [[0, 1], [1, 0]];
  const cands = [
    { genome: [0], predicted: [0.9, 0.9] }, // dominated by nothing in the archive, but adds a sliver
    { genome: [1], predicted: [0.5, 0.5] }, // the gap in the middle
    { genome: [2], predicted: [2, 2] }, // adds nothing
  ];
  const chosen = selectCandidates(cands, archive, 2);
  assert.deepEqual(chosen.map((c) => c.genome[0]), [1, 0]);
  assert.deepEqual(selectCandidates(cands, archive, 3).map((c) => c.genome[0]).sort(), [0, 1, 2]);
});

test('balanced initial sample uses every block of every node equally often', () => {
  const g = balancedSample(toy.problem, createRng(3), 40);
  assert.equal(g.length, 40);
  assert.equal(new Set(g.map(genomeKey)).size, 40, 'distinct');
  for (let i = 0; i < 6; i++) {
    const counts = [0, 0, 0, 0];
    for (const x of g) counts[x[i]!]!++;
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 2, `node ${i} counts ${counts}`);
  }
});

test('natv2 initial archive: 300 by default, at most a quarter of a smaller budget', () => {
  assert.equal(natv2InitSize({}), 300);
  assert.equal(natv2InitSize({ budget: 200 }), 50);
  assert.equal(natv2InitSize({ budget: 2000 }), 300);
  assert.equal(natv2InitSize({ budget: 200, initSize: 50 }), 50);
});

test('every strategy spends exactly the budget on distinct networks and improves on its first batch', async () => {
  for (const name of STRATEGY_NAMES) {
    const r = await run(name, createMemoryStore(), { budget: 60 });
    assert.equal(r.evaluated.length, 60, name);
    assert.equal(new Set(r.evaluated.map((e) => genomeKey(e.genome))).size, 60, `${name}: distinct`);
    const hv = r.history.map((h) => h.hypervolume);
    for (let i = 1; i < hv.length; i++) assert.ok(hv[i]! >= hv[i - 1]! - 1e-12, `${name}: hypervolume never falls`);
    assert.ok(hv.at(-1)! > 0 && hv.at(-1)! <= trueHv + 1e-12, `${name}: ${hv.at(-1)} within (0, ${trueHv}]`);
  }
});

test('natv2 with an exact (additive) surrogate finds nearly the whole true front within 80 of 4,096 networks', async () => {
  const ratios: number[] = [];
  for (const seed of [0, 1, 2]) {
    const r = await run('natv2', createMemoryStore(), { budget: 80, seed });
    ratios.push(r.history.at(-1)!.hypervolume / trueHv);
  }
  const rnd = await run('random', createMemoryStore(), { budget: 80 });
  const randomRatio = rnd.history.at(-1)!.hypervolume / trueHv;
  for (const q of ratios) assert.ok(q >= 0.99, `natv2 ratio ${q}`);
  assert.ok(randomRatio < Math.min(...ratios), `random ${randomRatio} should trail natv2 ${ratios}`);
});

test('natv2 --inner neighbours: every candidate after the initial archive is one block from a network evaluated before, and it finds the front', async () => {
  const strategy = natv2(toy.problem, { seed: 1, budget: 80, initSize: 20, perIteration: 5, surrogate: 'ridge', inner: 'neighbours' });
  const r = await runStrategy(toy.problem, strategy, { budget: 80, store: createMemoryStore(), evaluatorKey: 'toy', runId: 'nb', config: {}, frame });
  const genomes = r.evaluated.map((e) => e.genome);
  assert.equal(new Set(genomes.map(genomeKey)).size, 80, 'distinct networks');
  for (let i = 20; i < genomes.length; i++) {
    const near = genomes.slice(0, i).some((h) => h.reduce((d, v, k) => d + (v === genomes[i]![k] ? 0 : 1), 0) === 1);
    assert.ok(near, `network ${i} (${genomes[i]!.join(',')}) is one block from an earlier one`);
  }
  const ratio = r.history.at(-1)!.hypervolume / trueHv;
  assert.ok(ratio >= 0.99, `ratio ${ratio}`);
});

test('front-weighted fit rows: the best two fronts repeated, the rest once (hand-computed)', () => {
  // fronts: {0, 1, 2}, {3}, {4}, {5}
  const objectives = [[1, 3], [2, 2], [3, 1], [2, 3], [3, 3], [4, 4]];
  const fronts = nonDominatedSort(objectives).fronts;
  const rows = frontWeightedRows(fronts, 3, 2);
  assert.deepEqual([...rows].sort((a, b) => a - b), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5]);
  assert.deepEqual(frontWeightedRows(fronts, 1, 2), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...frontWeightedRows(fronts, 2, 1)].sort((a, b) => a - b), [0, 0, 1, 1, 2, 2, 3, 4, 5]);
  assert.throws(() => frontWeightedRows(fronts, 0, 2), /positive integer/);
});

test('natv2 front weighting changes what the surrogates propose, and weighted or not it finds the toy front', async () => {
  const asked = async (frontWeight: number) => {
    const strategy = natv2(toy.problem, { seed: 2, budget: 60, initSize: 20, perIteration: 5, frontWeight });
    const r = await runStrategy(toy.problem, strategy, { budget: 60, store: createMemoryStore(), evaluatorKey: 'toy', runId: `w${frontWeight}`, config: {}, frame });
    return { archs: r.evaluated.map((e) => genomeKey(e.genome)), ratio: r.history.at(-1)!.hypervolume / trueHv };
  };
  const plain = await asked(1);
  const weighted = await asked(3);
  assert.deepEqual(weighted.archs.slice(0, 20), plain.archs.slice(0, 20), 'the same initial archive');
  assert.notDeepEqual(weighted.archs.slice(20), plain.archs.slice(20));
  for (const r of [plain, weighted]) assert.ok(r.ratio >= 0.99, `ratio ${r.ratio}`);
});

test('an interrupted run resumed from the store equals the uninterrupted run, and evaluates nothing twice', async () => {
  const whole = await run('natv2', createMemoryStore(), { budget: 60, seed: 4 });
  const store = createMemoryStore();
  const controller = new AbortController();
  let steps = 0;
  const strategy = natv2(toy.problem, { seed: 4, budget: 60, initSize: 20, perIteration: 8, surrogate: 'ridge' });
  const first = await runStrategy(toy.problem, strategy, {
    budget: 60, store, evaluatorKey: 'toy', runId: 'r', config: { name: 'natv2', seed: 4, budget: 60 }, frame,
    signal: controller.signal,
    onStep: () => {
      if (++steps === 3) controller.abort();
    },
  });
  assert.equal(first.interrupted, true);
  assert.ok(first.evaluated.length < 60, `stopped early at ${first.evaluated.length}`);
  const before = store.countEvaluations('toy');
  const resumed = await run('natv2', store, { budget: 60, seed: 4, resume: true });
  assert.equal(resumed.interrupted, false);
  assert.deepEqual(summary(resumed), summary(whole));
  assert.equal(resumed.reused, before, 'every stored evaluation is reused');
  assert.equal(resumed.fresh, 60 - before, 'only the rest is evaluated');
});

test('resume refuses other settings, a missing run, and a second start of the same run', async () => {
  const store = createMemoryStore();
  await run('random', store, { budget: 20 });
  await assert.rejects(run('random', store, { budget: 20 }), (e: Error) => (e as UserError).field === 'resume' && /already exists in the store: resume it to continue/.test(e.message));
  await assert.rejects(run('random', store, { budget: 30, resume: true }), /other settings: budget was 20, now 30/);
  await assert.rejects(run('random', store, { budget: 20, resume: true, runId: 'nope' }), /no run "nope"/);
  // same settings, different strategy behaviour (another seed under the same recorded config) is caught as divergence
  const s = createStrategy('random', toy.problem, { seed: 99 });
  await assert.rejects(
    runStrategy(toy.problem, s, { budget: 20, store, evaluatorKey: 'toy', runId: 'r', config: { name: 'random', seed: 0, budget: 20 }, resume: true }),
    /diverged from its stored record/,
  );
});

test('objectives: bare kinds take the defaults, unknown and repeated metrics are one-line errors', () => {
  const metrics = toy.evaluator.provides;
  const o = parseObjectives('accuracy,latency', metrics, { accuracy: 'accuracy:toy', latency: 'latency:toy' });
  assert.deepEqual(o.map((x) => [x.metric, x.sense]), [['accuracy:toy', 'max'], ['latency:toy', 'min']]);
  assert.throws(() => parseObjectives('accuracy,energy:x', metrics, { accuracy: 'accuracy:toy' }), (e: Error) => (e as UserError).field === 'objectives' && /^objectives: unknown metric "energy:x"/.test(e.message));
  assert.throws(() => parseObjectives('latency:toy,latency:toy', metrics), /given twice/);
});

test("natv2 --surrogate auto chooses by cross-validation every reselectEvery iterations (1: NAT's every iteration) and refits the choice in between", async () => {
  const taus = async (reselectEvery: number) => {
    const strategy = natv2(toy.problem, { seed: 3, budget: 44, initSize: 20, perIteration: 8, surrogate: 'auto', reselectEvery });
    const r = await runStrategy(toy.problem, strategy, { budget: 44, store: createMemoryStore(), evaluatorKey: 'toy', runId: 'r', config: {}, frame });
    const iterations = r.history.flatMap((h) => {
      const s = (h.detail as IterationDetail | undefined)?.surrogates;
      return s ? [s] : [];
    });
    assert.equal(iterations.length, 3, 'three iterations after the initial archive');
    for (const s of iterations) assert.equal(s.length, toy.problem.objectives.length, 'one surrogate per objective');
    return iterations.map((s) => s.every((o) => Number.isFinite(o.tau)));
  };
  assert.deepEqual(await taus(1), [true, true, true]);
  assert.deepEqual(await taus(2), [true, false, true]);
});
