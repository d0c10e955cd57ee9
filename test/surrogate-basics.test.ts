import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { blockRidge } from '../src/surrogate/block-ridge.js';
import { genomeFeatures } from '../src/surrogate/features.js';
import { createSurrogate, defaultSurrogates, SURROGATES } from '../src/surrogate/registry.js';
import { assertClose } from './helpers/assert.js';

const radix = [3, 4, 1, 3];
const sample = (count: number, seed: number) => {
  const r = createRng(seed);
  return Array.from({ length: count }, () => radix.map((k) => r.int(k)));
};

test('features: one-hot matches the block encoding without its intercept; ordinal scales to [0, 1]', () => {
  const onehot = genomeFeatures(radix, 'onehot');
  assert.equal(onehot.dim, 11);
  assert.deepEqual(Array.from(onehot.encode([2, 1, 0, 0])), [0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0]);
  const ordinal = genomeFeatures(radix, 'ordinal');
  assert.equal(ordinal.dim, 4);
  // A one-block node encodes as 0 rather than 0/0.
  assert.deepEqual(Array.from(ordinal.encode([2, 1, 0, 0])), [1, 1 / 3, 0, 0]);
  assert.throws(() => onehot.encode([0, 0]), /2 nodes, the radix 4/);
});

test('block ridge: reproduces an exactly additive target through fitBlocks', () => {
  const values = [[1, 4, 2], [0, 3, 3, 9], [5], [2, 0, 1]];
  const f = (g: readonly number[]) => 7 + g.reduce((s, b, i) => s + values[i]![b]!, 0);
  const x = sample(60, 1);
  const s = blockRidge({ radix, candidates: [{ pairs: false, mainPenalty: 1e-9, pairPenalty: 0 }] });
  s.fit(x, x.map(f));
  const probe = sample(30, 2);
  const p = s.predict(probe);
  probe.forEach((g, i) => assertClose(p[i]!, f(g), 1e-6, `genome ${g.join(',')}`));
  assert.equal(s.fitted?.candidate.pairs, false);
});

test('registry: every kind builds and fits; every default is deterministic in its seed', () => {
  const x = sample(40, 3);
  const y = x.map((g) => g[0]! * g[1]! - g[3]! + 0.1 * g[0]!);
  const probe = sample(25, 4);
  for (const kind of Object.keys(SURROGATES) as (keyof typeof SURROGATES)[]) {
    const s = createSurrogate(kind, { radix, seed: 0 });
    assert.throws(() => s.predict(probe), /predict before fit/, `${kind}: predict before fit`);
    s.fit(x, y);
    const p = s.predict(probe);
    assert.equal(p.length, probe.length);
    assert.ok(p.every(Number.isFinite), `${kind}: finite predictions`);
  }
  const run = (rankTarget: boolean) =>
    defaultSurrogates(radix, 5, { rankTarget }).map((s) => {
      s.fit(x, y);
      return [s.name, Array.from(s.predict(probe))] as const;
    });
  for (const rank of [false, true]) assert.deepEqual(run(rank), run(rank), `same seed, same predictions (rankTarget ${rank})`);
  assert.deepEqual(
    defaultSurrogates(radix, 0, { rankTarget: true }).map((s) => s.name),
    ['block-ridge', 'mlp-64+rank', 'rbf-cubic+rank', 'gp-matern52+rank', 'random-forest+rank', 'gradient-boosting+rank'],
  );
});

test('fit rejects non-finite targets and mismatched lengths', () => {
  for (const kind of ['rbf', 'gp', 'forest', 'boosting'] as const) {
    const s = createSurrogate(kind, { radix });
    assert.throws(() => s.fit(sample(3, 1), [1, NaN, 2]), /finite/, `${kind}: NaN target`);
    assert.throws(() => s.fit(sample(3, 1), [1, 2]), /3 genomes but 2 targets/, `${kind}: length mismatch`);
  }
});
