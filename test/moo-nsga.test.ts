import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paretoFront } from '../src/moo/dominance.js';
import { hypervolume } from '../src/moo/hypervolume.js';
import { createRng } from '../src/random.js';
import type { Genome } from '../src/space/types.js';
import { createNsga2 } from '../src/search/nsga/nsga2.js';
import { createNsga3 } from '../src/search/nsga/nsga3.js';
import { createNearbyMutation, createTwoPointCrossover } from '../src/search/nsga/operators.js';
import { genomeKey } from '../src/space/space.js';
import { runMinimize } from '../src/search/nsga/run.js';
import type { MooAlgorithm } from '../src/search/nsga/types.js';

/**
 * A synthetic block-wise NAS problem with 480,000 architectures, small enough to enumerate: per node, blocks are
 * ordered by cost; accuracy grows with cost with noise and a bonus for equal neighbouring choices (so the problem
 * is not separable); latency is cost plus an independent part. Objectives: error (minimised), cost, latency.
 */
const radix = [5, 5, 5, 5, 4, 4, 4, 4, 3];
const problemRng = createRng(2024);
const cost = radix.map((k) => Array.from({ length: k }, () => problemRng.next()).sort((a, b) => a - b));
const latency = radix.map((k, i) => Array.from({ length: k }, (_, b) => 0.6 * cost[i]![b]! + 0.4 * problemRng.next()));
const gain = cost.map((row) => row.map((c) => Math.sqrt(c) + 0.3 * problemRng.next()));

function objectives3(g: Genome): number[] {
  let c = 0;
  let a = 0;
  let l = 0;
  g.forEach((b, i) => {
    c += cost[i]![b]!;
    a += gain[i]![b]!;
    l += latency[i]![b]!;
  });
  for (let i = 0; i + 1 < g.length; i++) if (g[i] === g[i + 1]) a += 0.15;
  return [Math.exp(-a / 4), c, l];
}
const objectives2 = (g: Genome): number[] => objectives3(g).slice(0, 2);

interface Truth {
  readonly front: number[][];
  readonly ref: number[];
  readonly hv: number;
}

/** Enumerates the whole space; the reference point lies 10% of the front's range beyond its nadir. */
function truth(nObj: 2 | 3): Truth {
  const all: number[][] = [];
  const g = radix.map(() => 0);
  for (;;) {
    const f = objectives3(g);
    all.push(nObj === 2 ? f.slice(0, 2) : f);
    let i = 0;
    while (i < g.length && ++g[i]! === radix[i]) g[i++] = 0;
    if (i === g.length) break;
  }
  const front = paretoFront(all).map((i) => all[i]!);
  const ref = front[0]!.map((_, j) => {
    const lo = Math.min(...front.map((p) => p[j]!));
    const hi = Math.max(...front.map((p) => p[j]!));
    return hi + 0.1 * (hi - lo);
  });
  return { front, ref, hv: hypervolume(front, ref) };
}

function randomSearchHv(evaluate: (g: Genome) => number[], budget: number, ref: number[], seed: number): number {
  const rng = createRng(seed);
  const pts = Array.from({ length: budget }, () => evaluate(radix.map((k) => rng.int(k))));
  return hypervolume(pts, ref);
}

function checkResult(res: { genomes: Genome[]; objectives: number[][] }, evaluate: (g: Genome) => number[]): void {
  assert.equal(res.genomes.length, res.objectives.length);
  res.genomes.forEach((g, i) => assert.deepEqual(res.objectives[i], evaluate(g), 'objectives stay with their genome'));
  assert.equal(paretoFront(res.objectives).length, res.objectives.length, 'result is mutually non-dominated');
}

test('NSGA-II reaches 95% of the true 2-objective hypervolume on a modest budget', (t) => {
  const { front, ref, hv } = truth(2);
  const budget = 2000; // 0.4% of the space
  const random = randomSearchHv(objectives2, budget, ref, 99) / hv;
  for (const seed of [1, 2, 3]) {
    const alg = createNsga2({ radix, popSize: 50, seed });
    const res = runMinimize(alg, (gs) => gs.map(objectives2), { maxEvaluations: budget });
    assert.equal(res.evaluations, budget);
    checkResult(res, objectives2);
    const ratio = hypervolume(res.objectives, ref) / hv;
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    t.diagnostic(`seed ${seed}: ${pct(ratio)} of true HV (front ${front.length}), random search ${pct(random)}`);
    assert.ok(ratio >= 0.95, `seed ${seed}: ${ratio}`);
    assert.ok(ratio > random + 0.05, `seed ${seed}: ${ratio} vs random search ${random}`);
  }
});

test('NSGA-III reaches 95% of the true 3-objective hypervolume on a modest budget', (t) => {
  const { front, ref, hv } = truth(3);
  const budget = 4000; // 0.8% of the space
  const random = randomSearchHv(objectives3, budget, ref, 99) / hv;
  for (const seed of [1, 2, 3]) {
    const alg = createNsga3({ radix, nObj: 3, partitions: 15, seed }); // 136 directions = popSize
    const res = runMinimize(alg, (gs) => gs.map(objectives3), { maxEvaluations: budget });
    checkResult(res, objectives3);
    const ratio = hypervolume(res.objectives, ref) / hv;
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    t.diagnostic(`seed ${seed}: ${pct(ratio)} of true HV (front ${front.length}), random search ${pct(random)}`);
    assert.ok(ratio >= 0.95, `seed ${seed}: ${ratio}`);
    assert.ok(ratio > random + 0.05, `seed ${seed}: ${ratio} vs random search ${random}`);
  }
});

test('same seed, same search; another seed, another search', () => {
  const make: ((seed: number) => MooAlgorithm)[] = [
    (seed) => createNsga2({ radix, popSize: 30, seed }),
    (seed) =>
      createNsga2({
        radix,
        popSize: 30,
        seed,
        crossover: createTwoPointCrossover(),
        mutation: createNearbyMutation({ radix }),
      }),
    (seed) => createNsga3({ radix, nObj: 3, partitions: 6, seed }),
  ];
  for (const factory of make) {
    const run = (seed: number) => runMinimize(factory(seed), (gs) => gs.map(objectives3), { maxEvaluations: 600 });
    const a = run(7);
    assert.deepEqual(run(7), a);
    assert.notDeepEqual(run(8).genomes, a.genomes);
  }
});

test('ask/tell contract', () => {
  const alg = createNsga2({ radix: [3, 3], popSize: 4, seed: 1, initial: [[2, 2]] });
  const first = alg.ask();
  assert.equal(first.length, 4);
  assert.deepEqual(first[0], [2, 2], 'initial genomes come first');
  assert.throws(() => alg.ask(), /tell/);
  assert.throws(() => alg.tell(first, []), /objective vectors/);
  assert.throws(() => alg.tell([[3, 0]], [[1, 1]]), /outside/);
  assert.throws(() => alg.tell([[0, 0]], [[NaN, 1]]), /non-finite/);
  alg.tell(first, first.map((g) => [g[0]!, g[1]!]));
  assert.throws(() => alg.tell([[0, 1]], [[1]]), /expected 2/);
  const second = alg.ask();
  for (const g of second) assert.ok(!first.some((f) => genomeKey(f) === genomeKey(g)), 'never re-asks');
});

test('a tiny space is exhausted, its exact front found, and the loop stops', () => {
  const tiny = [2, 3];
  const f = (g: Genome) => [g[0]! + g[1]!, 3 - g[1]! + (g[0] === 1 ? -0.5 : 0)];
  const alg = createNsga2({ radix: tiny, popSize: 10, seed: 3 });
  const res = runMinimize(alg, (gs) => gs.map(f), { maxEvaluations: 100 });
  assert.equal(res.evaluations, 6);
  const all: Genome[] = [];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) all.push([a, b]);
  const expected = paretoFront(all.map(f)).map((i) => genomeKey(all[i]!));
  assert.deepEqual(res.genomes.map(genomeKey).sort(), expected.sort());
  assert.deepEqual(alg.ask(), []);
});

test('every genome is repaired and asked at most once', () => {
  // coupling rule: node 1 may only differ from 0 when node 0 is 0
  const repair = (g: Genome): Genome => (g[0] === 0 ? g : [g[0]!, 0, ...g.slice(2)]);
  const alg = createNsga3({ radix, nObj: 3, partitions: 6, seed: 5, repair });
  const asked = new Set<string>();
  let evaluations = 0;
  while (evaluations < 1000) {
    const batch = alg.ask();
    for (const g of batch) {
      assert.ok(g[0] === 0 || g[1] === 0, `unrepaired ${g}`);
      assert.ok(!asked.has(genomeKey(g)), `asked twice: ${g}`);
      asked.add(genomeKey(g));
    }
    alg.tell(batch, batch.map(objectives3));
    evaluations += batch.length;
  }
  assert.ok(alg.population().genomes.length <= 28); // C(8,2) directions
});

test('warm start: tell before the first ask', () => {
  const alg = createNsga2({ radix, popSize: 10, seed: 2 });
  const rng = createRng(4);
  const known = Array.from({ length: 15 }, () => radix.map((k) => rng.int(k)));
  alg.tell(known, known.map(objectives2));
  assert.equal(alg.population().genomes.length, 10);
  const next = alg.ask();
  assert.equal(next.length, 10);
  for (const g of next) assert.ok(!known.some((k) => genomeKey(k) === genomeKey(g)));
});

test('breeding: NSGA-II parents win a binary tournament, every child goes through mutation', () => {
  const parents: string[] = [];
  let mutated = 0;
  const alg = createNsga2({
    radix,
    popSize: 10,
    nOffspring: 400,
    seed: 6,
    crossover: (a, b) => {
      parents.push(genomeKey(a), genomeKey(b));
      return [[...a], [...b]];
    },
    mutation: (_g, rng) => {
      mutated++;
      return radix.map((k) => rng.int(k)); // the fresh genome keeps duplicates out of the way
    },
  });
  const pop = alg.ask();
  // nine mutually non-dominated members and one dominated by all of them: it can never win a tournament
  const f = pop.map((_, i) => (i === 9 ? [10, 10] : [i, 9 - i]));
  alg.tell(pop, f);
  const kids = alg.ask();
  assert.equal(kids.length, 400);
  assert.equal(mutated, 400);
  const loser = genomeKey(pop[9]!);
  assert.equal(parents.filter((p) => p === loser).length, 0);
  // the two extremes have infinite crowding and beat every other member: about 2·(2/10) = 36% of all picks
  const extremes = new Set([genomeKey(pop[0]!), genomeKey(pop[8]!)]);
  const share = parents.filter((p) => extremes.has(p)).length / parents.length;
  assert.ok(share > 0.3, `extremes picked ${share}`);
});
