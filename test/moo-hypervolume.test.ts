import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hypervolume } from '../src/moo/hypervolume.js';
import { createRng, shuffle } from '../src/random.js';
import { slicingHypervolume, spherePoints } from './helpers/hypervolume-slicing.js';

function close(actual: number, expected: number, rel = 1e-12, msg?: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), msg ?? `${actual} vs ${expected}`);
}

/** Exact union volume of the boxes [p, ref] by inclusion-exclusion over all non-empty subsets (2^n terms). */
function inclusionExclusion(points: number[][], ref: number[]): number {
  let total = 0;
  for (let mask = 1; mask < 1 << points.length; mask++) {
    const corner = ref.map(() => -Infinity);
    let size = 0;
    points.forEach((p, i) => {
      if (mask & (1 << i)) {
        size++;
        p.forEach((v, j) => (corner[j] = Math.max(corner[j]!, v)));
      }
    });
    const vol = corner.reduce((acc, v, j) => acc * Math.max(0, ref[j]! - v), 1);
    total += size % 2 === 1 ? vol : -vol;
  }
  return total;
}

/** Exact volume for integer points and reference: count unit cells [c, c+1) whose corner some point dominates. */
function cellCount(points: number[][], ref: number[]): number {
  let count = 0;
  const cell = ref.map(() => 0);
  const total = ref.reduce((a, r) => a * r, 1);
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (let j = 0; j < ref.length; j++) {
      cell[j] = rest % ref[j]!;
      rest = Math.floor(rest / ref[j]!);
    }
    if (points.some((p) => p.every((v, j) => v <= cell[j]!))) count++;
  }
  return count;
}

test('2-D hand case', () => {
  // ref (4,4); sweep by x: (1,3) adds (4-1)*(4-3)=3, (2,2) adds (4-2)*(3-2)=2, (3,1) adds (4-3)*(2-1)=1: total 6.
  const ref = [4, 4];
  assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], ref), 6);
  // (3,3) is dominated, (0,5) lies beyond the reference in y and (4,0) on it in x: none adds anything.
  assert.equal(hypervolume([[3, 3], [1, 3], [0, 5], [3, 1], [4, 0], [2, 2]], ref), 6);
  assert.equal(hypervolume([], ref), 0);
  assert.equal(hypervolume([[4, 4]], ref), 0);
});

test('3-D hand case', () => {
  // ref (4,4,4). Boxes: p1=(1,1,3) 3*3*1=9, p2=(2,2,1) 2*2*3=12, p3=(3,0,2) 1*4*2=8.
  // Pairwise intersections (componentwise max): p1p2=(2,2,3) 2*2*1=4, p1p3=(3,1,3) 1*3*1=3, p2p3=(3,2,2) 1*2*2=4;
  // all three (3,2,3) 1*2*1=2. Union = 9+12+8 - 4-3-4 + 2 = 20.
  const ref = [4, 4, 4];
  assert.equal(hypervolume([[1, 1, 3], [2, 2, 1], [3, 0, 2]], ref), 20);
  assert.equal(hypervolume([[1, 1, 3]], ref), 9);
  // (2,2,3) is p1 and p2's common corner, so dominated; (1,1,4) touches the reference plane z=4.
  assert.equal(hypervolume([[2, 2, 3], [3, 0, 2], [1, 1, 4], [2, 2, 1], [1, 1, 3]], ref), 20);
});

test('4-D hand case and inclusion-exclusion cross-check on up to 4 points', () => {
  // one box: (2-1)*(4-2)*(4-3)*(2-0) = 4
  assert.equal(hypervolume([[1, 2, 3, 0]], [2, 4, 4, 2]), 4);
  // (1,1,1,1) and (0,2,2,2) with ref 3: boxes 2^4 = 16 and 3*1*1*1 = 3, common corner (1,2,2,2) gives
  // 2*1*1*1 = 2, so 16 + 3 - 2 = 17
  assert.equal(hypervolume([[1, 1, 1, 1], [0, 2, 2, 2]], [3, 3, 3, 3]), 17);
  const rng = createRng(3);
  for (let trial = 0; trial < 200; trial++) {
    const m = 2 + (trial % 4); // 2..5 objectives
    const n = 1 + rng.int(4);
    const pts = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.next()));
    const ref = Array.from({ length: m }, () => 0.8 + 0.4 * rng.next());
    close(hypervolume(pts, ref), inclusionExclusion(pts, ref), 1e-12, `trial ${trial}`);
  }
});

test('exact on integer grids in 2-5 objectives (cell counting)', () => {
  const rng = createRng(17);
  for (const [m, side, n] of [
    [2, 20, 30],
    [3, 8, 60],
    [4, 6, 80],
    [5, 4, 60],
  ] as const) {
    for (let trial = 0; trial < 5; trial++) {
      const pts = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(side)));
      const ref = Array.from({ length: m }, () => side);
      assert.equal(hypervolume(pts, ref), cellCount(pts, ref), `m=${m} trial ${trial}`);
    }
  }
});

test('4-D front agrees with a Monte-Carlo estimate', () => {
  const rng = createRng(23);
  const pts = spherePoints(25, 4, rng);
  const ref = [1.2, 1.2, 1.2, 1.2];
  const exact = hypervolume(pts, ref);
  const samples = 200_000;
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    const x = ref.map((r) => r * rng.next());
    if (pts.some((p) => p.every((v, j) => v <= x[j]!))) hits++;
  }
  const box = ref.reduce((a, r) => a * r, 1);
  const frac = hits / samples;
  const estimate = frac * box;
  const sigma = Math.sqrt((frac * (1 - frac)) / samples) * box;
  assert.ok(Math.abs(exact - estimate) < 5 * sigma, `exact ${exact}, MC ${estimate} ± ${sigma}`);
});

test('invariant to point order, duplicates and dominated points', () => {
  const rng = createRng(29);
  for (const m of [2, 3, 4]) {
    const front = spherePoints(60, m, rng);
    const ref = new Array<number>(m).fill(1.1);
    const base = hypervolume(front, ref);
    // dominated: a front point pushed away from the origin
    const dominated = front.slice(0, 30).map((p) => p.map((v) => v + 0.05 * rng.next()));
    const mixed = shuffle([...front, ...dominated, ...front.slice(0, 10)], rng);
    close(hypervolume(mixed, ref), base, 1e-12, `m=${m}`);
    close(hypervolume(shuffle([...front], rng), ref), base, 1e-12, `m=${m} order`);
    // removing a front point must lose volume: they are mutually non-dominated
    assert.ok(hypervolume(front.slice(1), ref) < base);
  }
});

test('rejects mismatched dimensions and NaN', () => {
  assert.throws(() => hypervolume([[1, 2, 3]], [4, 4]));
  assert.throws(() => hypervolume([[NaN, 1]], [2, 2]));
  assert.throws(() => hypervolume([[1]], []));
});

test('agrees with plain slicing on a few hundred mutually non-dominated points in 3-D and 4-D', () => {
  // inclusion-exclusion above stops at ~15 points; plain slicing is an independent truth at front sizes NSGA-III
  // meets (its speed against this method is in `npm run bench -- --only hypervolume`)
  const rng = createRng(31);
  for (const [m, n] of [[3, 400], [4, 120]] as const) {
    const pts = spherePoints(n, m, rng);
    const ref = new Array<number>(m).fill(1.1);
    const truth = slicingHypervolume(pts, ref);
    close(hypervolume(pts, ref), truth, 1e-10, `${m}-D ${n} points`);
    // with dominated points mixed in (scaled copies lie behind the sphere) the volume must not change
    const behind = pts.slice(0, n / 2).map((p) => p.map((v) => Math.min(1.05, v * 1.2)));
    close(hypervolume([...pts, ...behind], ref), truth, 1e-10, `${m}-D ${n} points with dominated`);
  }
});
