import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { crowdedSurvival, crowdingDistance } from '../src/search/nsga/nsga2.js';
import { associate, niching } from '../src/search/nsga/nsga3.js';
import { createHyperplaneNormalization, solve } from '../src/search/nsga/normalization.js';

function near(actual: readonly number[], expected: readonly number[], tol = 1e-9): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol, `[${actual}] vs [${expected}]`));
}

// f1 spans 0..4, f2 spans 0..5. (1,2): f1 neighbours 0 and 3 -> 3/4, f2 neighbours 1 and 5 -> 4/5: 1.55.
// (3,1): f1 neighbours 1 and 4 -> 3/4, f2 neighbours 0 and 2 -> 2/5: 1.15. Extremes Infinity; the copy of (1,2) 0.
const front2d = [
  [0, 5],
  [1, 2],
  [3, 1],
  [4, 0],
  [1, 2],
];

test('crowding distance on a hand case', () => {
  const d = crowdingDistance(front2d, [0, 1, 2, 3, 4]);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  assert.ok(Math.abs(d[1]! - 1.55) < 1e-12);
  assert.ok(Math.abs(d[2]! - 1.15) < 1e-12);
  assert.equal(d[4], 0);
  assert.deepEqual(crowdingDistance([[1, 1], [2, 0]], [0, 1]), [Infinity, Infinity]);
});

test('NSGA-II survival fills by front and cuts the last one by crowding', () => {
  const pts = [...front2d, [5, 5], [2, 3]]; // 5 is dominated by everything, 6 by (1,2) only
  const { survivors, prefer } = crowdedSurvival(pts, 3, createRng(1));
  assert.deepEqual([...survivors].sort(), [0, 1, 3]);
  const all = crowdedSurvival(pts, 7, createRng(1));
  assert.equal(all.survivors.length, 7);
  const pos = (i: number) => all.survivors.indexOf(i);
  assert.ok(prefer!(0, 2) < 0, 'extreme preferred over the crowded');
  assert.ok(all.prefer!(pos(2), pos(6)) < 0, 'lower front preferred');
  assert.ok(all.prefer!(pos(5), pos(6)) > 0);
});

test('linear solve', () => {
  near(solve([[2, 1], [1, 3]], [3, 5])!, [0.8, 1.4]);
  assert.equal(solve([[1, 2], [2, 4]], [1, 1]), null);
});

test('normalisation recovers the intercepts of a linear front', () => {
  // front f1/2 + f2/4 + f3 = 1 with its axis extremes: intercepts (2,4,1)
  const pts = [
    [2, 0, 0],
    [0, 4, 0],
    [0, 0, 1],
    [1, 2, 0],
    [0, 2, 0.5],
    [1, 0, 0.5],
  ];
  const { ideal, nadir } = createHyperplaneNormalization(3).update(pts, [0, 1, 2, 3, 4, 5]);
  near(ideal, [0, 0, 0]);
  near(nadir, [2, 4, 1]);
  // scale invariance: objective 2 in thousandths changes nothing but its unit
  const scaled = pts.map(([a, b, c]) => [a!, b! * 1000, c!]);
  near(createHyperplaneNormalization(3).update(scaled, [0, 1, 2, 3, 4, 5]).nadir, [2, 4000, 1], 1e-6);
});

test('normalisation uses the hyperplane, not the worst point, when extremes are off-axis', () => {
  // Ideal (0.1,0.1,0.1). Translated extremes (0.9,0,0.1), (0.1,0.9,0), (0,0.1,0.9) lie on x+y+z=1, so the intercepts
  // are 1 and the nadir (1.1,1.1,1.1): between the worst of the front (1,1,1) and the dominated (2,2,2).
  const pts = [
    [1, 0.1, 0.2],
    [0.2, 1, 0.1],
    [0.1, 0.2, 1],
    [2, 2, 2],
  ];
  near(createHyperplaneNormalization(3).update(pts, [0, 1, 2]).nadir, [1.1, 1.1, 1.1]);
});

test('normalisation falls back when the hyperplane is degenerate', () => {
  // The front is a segment at f3 = 0.5: the three extremes are linearly dependent (the f3 one is the midpoint),
  // so the worst of the front stands in; f3 has no range on the front and takes the worst of the population.
  const pts = [
    [0, 1, 0.5],
    [0.5, 0.5, 0.5],
    [1, 0, 0.5],
    [1, 1, 2],
  ];
  const norm = createHyperplaneNormalization(3);
  near(norm.update(pts, [0, 1, 2]).nadir, [1, 1, 2]);
  // a single point: nothing has a range; the guard must not produce NaN
  const single = createHyperplaneNormalization(2).update([[3, 3]], [0]);
  assert.ok(single.nadir.every(Number.isFinite));
});

test('association to the nearest reference direction', () => {
  const units = [[1, 0], [Math.SQRT1_2, Math.SQRT1_2], [0, 1]];
  const ideal = [0, 0];
  const nadir = [2, 4];
  assert.deepEqual(associate([2, 0], ideal, nadir, units), { niche: 0, distance: 0 });
  const mid = associate([1, 2], ideal, nadir, units);
  assert.equal(mid.niche, 1);
  assert.ok(mid.distance < 1e-12);
  const top = associate([0.2, 4], ideal, nadir, units); // normalised (0.1, 1): 0.1 off the f2 axis
  assert.equal(top.niche, 2);
  assert.ok(Math.abs(top.distance - 0.1) < 1e-12);
});

test('niching fills empty niches first with their closest member', () => {
  const assoc = [
    { niche: 0, distance: 0.1 },
    { niche: 1, distance: 0.3 },
    { niche: 1, distance: 0.2 },
    { niche: 2, distance: 0.5 },
  ];
  for (let seed = 0; seed < 20; seed++) {
    const rng = createRng(seed);
    assert.deepEqual(niching(assoc, [1, 0, 0], 2, rng).sort(), [2, 3]);
    // third pick: niches 0 and 1 both hold one now and still have members; niche 2 has none left
    const three = niching(assoc, [1, 0, 0], 3, createRng(seed)).sort();
    assert.ok(JSON.stringify(three) === '[0,2,3]' || JSON.stringify(three) === '[1,2,3]', `${three}`);
    assert.deepEqual(niching(assoc, [1, 0, 0], 4, createRng(seed)).sort(), [0, 1, 2, 3]);
  }
  const counts = [5, 0, 0];
  niching(assoc, counts, 4, createRng(1));
  assert.deepEqual(counts, [6, 2, 1]);
});
