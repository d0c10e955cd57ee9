import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { kendallTau } from '../src/stats/kendall.js';
import { mlpSurrogate } from '../src/surrogate/mlp.js';

const radix = [5, 5, 5, 5, 5, 5];
const rng = createRng(42);
const weights = radix.map((r) => Array.from({ length: r }, () => rng.next()));
const f = (g: readonly number[]) => g.reduce((s, b, i) => s + weights[i]![b]!, 0);
const sample = (count: number, seed: number) => {
  const r = createRng(seed);
  return Array.from({ length: count }, () => radix.map((k) => r.int(k)));
};

test('mlp: learns a sum of one-hot weights (held-out Kendall tau > 0.95)', () => {
  const train = sample(300, 1);
  const held = sample(500, 2);
  const mlp = mlpSurrogate({ radix, hidden: [32], seed: 0 });
  mlp.fit(train, train.map(f));
  const tau = kendallTau(mlp.predict(held), held.map(f));
  assert.ok(tau > 0.95, `held-out Kendall tau ${tau}`);
});

test('mlp: two hidden layers train too', () => {
  const train = sample(300, 3);
  const held = sample(300, 4);
  const mlp = mlpSurrogate({ radix, hidden: [32, 16], seed: 1 });
  mlp.fit(train, train.map(f));
  const tau = kendallTau(mlp.predict(held), held.map(f));
  assert.ok(tau > 0.9, `held-out Kendall tau ${tau}`);
});

test('mlp: same seed, same predictions; refit reproduces; another seed differs', () => {
  const train = sample(60, 5);
  const probe = sample(40, 6);
  const y = train.map(f);
  const run = (seed: number) => {
    const m = mlpSurrogate({ radix, hidden: [16], seed, epochs: 50 });
    m.fit(train, y);
    return Array.from(m.predict(probe));
  };
  assert.deepEqual(run(9), run(9));
  assert.notDeepEqual(run(9), run(10));
  const m = mlpSurrogate({ radix, hidden: [16], seed: 9, epochs: 50 });
  m.fit(train, y);
  const first = Array.from(m.predict(probe));
  m.fit(train, y);
  assert.deepEqual(Array.from(m.predict(probe)), first);
});

test('mlp: rejects three hidden layers and mismatched data', () => {
  assert.throws(() => mlpSurrogate({ radix, hidden: [4, 4, 4] }), /one or two hidden layers/);
  assert.throws(() => mlpSurrogate({ radix }).fit(sample(3, 1), [1, 2]), /3 genomes but 2 targets/);
  assert.throws(() => mlpSurrogate({ radix }).predict(sample(1, 1)), /predict before fit/);
});
