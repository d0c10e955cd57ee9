import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import {
  checkGenome,
  createNearbyMutation,
  createResetMutation,
  createTwoPointCrossover,
  createUniformCrossover,
  sampleGenome,
  uniqueGenomes,
} from '../src/search/nsga/operators.js';
import { genomeKey } from '../src/space/space.js';

const radix = [5, 1, 3, 7, 2, 4, 6, 3];

test('crossovers only exchange genes position by position', () => {
  const rng = createRng(1);
  for (const crossover of [createUniformCrossover({ prob: 1 }), createTwoPointCrossover({ prob: 1 })]) {
    for (let t = 0; t < 200; t++) {
      const a = sampleGenome(radix, rng);
      const b = sampleGenome(radix, rng);
      const [c, d] = crossover(a, b, rng);
      for (let i = 0; i < radix.length; i++) {
        assert.ok((c[i] === a[i] && d[i] === b[i]) || (c[i] === b[i] && d[i] === a[i]), `gene ${i}`);
      }
    }
  }
});

test('two-point crossover swaps one contiguous inner segment', () => {
  const rng = createRng(2);
  const a = [0, 0, 0, 0, 0, 0];
  const b = [1, 1, 1, 1, 1, 1];
  const cross = createTwoPointCrossover({ prob: 1 });
  const segments = new Set<string>();
  for (let t = 0; t < 500; t++) {
    const [c] = cross(a, b, rng);
    const s = c.join('');
    // two distinct cuts strictly inside: a middle segment of the other parent, ends kept
    assert.match(s, /^0+1+0+$/, s);
    segments.add(s);
  }
  assert.equal(segments.size, 10, 'every pair of distinct cuts in 1..5 occurs: C(5,2) = 10');
  assert.deepEqual(cross([0, 0], [1, 1], rng), [
    [0, 1],
    [1, 0],
  ]);
  const never = createTwoPointCrossover({ prob: 0 });
  assert.deepEqual(never(a, b, rng), [a, b]);
});

test('reset mutation always picks another block of the same node', () => {
  const rng = createRng(3);
  const mutate = createResetMutation({ radix, rate: 1 });
  const hits = radix.map((k) => new Array<number>(k).fill(0));
  for (let t = 0; t < 2000; t++) {
    const g = sampleGenome(radix, rng);
    const h = mutate(g, rng);
    checkGenome(h, radix);
    for (let i = 0; i < radix.length; i++) {
      if (radix[i]! > 1) assert.notEqual(h[i], g[i], `gene ${i}`);
      else assert.equal(h[i], 0);
      hits[i]![h[i]!]!++;
    }
  }
  // uniform over the other blocks: each block appears ~2000/k times
  hits.forEach((row, i) => row.forEach((c) => assert.ok(Math.abs(c - 2000 / radix[i]!) < 150, `node ${i}: ${row}`)));
});

test('reset mutation defaults to one gene per genome on average', () => {
  const rng = createRng(4);
  const mutate = createResetMutation({ radix });
  let changed = 0;
  const trials = 4000;
  for (let t = 0; t < trials; t++) {
    const g = sampleGenome(radix, rng);
    const h = mutate(g, rng);
    changed += h.filter((v, i) => v !== g[i]).length;
  }
  assert.ok(Math.abs(changed / trials - 1) < 0.06, `mean changes ${changed / trials}`);
});

test('nearby mutation changes by small steps, stays in range and never stands still', () => {
  const rng = createRng(5);
  const wide = [11, 11, 11, 2];
  const mutate = createNearbyMutation({ radix: wide, rate: 1 });
  const steps = new Map<number, number>();
  for (let t = 0; t < 5000; t++) {
    const g = sampleGenome(wide, rng);
    const h = mutate(g, rng);
    checkGenome(h, wide);
    for (let i = 0; i < wide.length; i++) {
      assert.notEqual(h[i], g[i]);
      if (i < 3) {
        const s = Math.abs(h[i]! - g[i]!);
        steps.set(s, (steps.get(s) ?? 0) + 1);
      }
    }
  }
  const total = 15000;
  const one = (steps.get(1) ?? 0) / total;
  const far = [...steps].filter(([s]) => s >= 5).reduce((a, [, c]) => a + c, 0) / total;
  // uniform resets would give |step| = 1 about 18% of the time and |step| >= 5 about 38%
  assert.ok(one > 0.3, `P(|step|=1) = ${one}`);
  assert.ok(far < 0.15, `P(|step|>=5) = ${far}`);
  assert.ok(far > 0, 'large steps remain possible');
});

test('operators are reproducible from the seed', () => {
  const run = (seed: number) => {
    const rng = createRng(seed);
    const cross = createUniformCrossover();
    const mutate = createNearbyMutation({ radix });
    const out: number[][] = [];
    for (let t = 0; t < 50; t++) {
      const [c, d] = cross(sampleGenome(radix, rng), sampleGenome(radix, rng), rng);
      out.push([...mutate(c, rng)], [...d]);
    }
    return out;
  };
  assert.deepEqual(run(9), run(9));
  assert.notDeepEqual(run(9), run(10));
});

test('duplicate elimination within a batch and against what was seen', () => {
  const seen = new Set([genomeKey([0, 0])]);
  const out = uniqueGenomes([[0, 0], [1, 0], [1, 0], [0, 1]], seen);
  assert.deepEqual(out, [
    [1, 0],
    [0, 1],
  ]);
  assert.deepEqual(uniqueGenomes([[1, 0], [1, 1]], seen), [[1, 1]]);
  assert.equal(genomeKey([1, 10]) === genomeKey([11, 0]), false);
  assert.throws(() => checkGenome([0, 5], [2, 5]));
  assert.throws(() => checkGenome([0], [2, 5]));
});
