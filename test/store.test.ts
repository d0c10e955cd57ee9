import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedEvaluator } from '../src/eval/cached.js';
import { createMemoryStore } from '../src/store/memory.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { EvaluationStore } from '../src/store/types.js';
import { syntheticMoo } from './helpers/synthetic-moo.js';

const dir = mkdtempSync(join(tmpdir(), 'blocknas-store-'));
const stores: [string, () => EvaluationStore][] = [
  ['memory', createMemoryStore],
  ['sqlite', () => openSqliteStore(join(dir, `s-${Math.random().toString(36).slice(2)}.sqlite`))],
];

for (const [kind, open] of stores) {
  test(`${kind} store: evaluations are keyed by evaluator settings and architecture`, () => {
    const s = open();
    s.putEvaluations('e1', [{ arch: '0,1', metrics: { a: 1.5 }, seconds: 2 }, { arch: '1,1', metrics: { a: 3 } }]);
    s.putEvaluations('e2', [{ arch: '0,1', metrics: { a: 9 } }]);
    const got = s.getEvaluations('e1', ['0,1', '1,1', '2,2']);
    assert.deepEqual([...got.keys()].sort(), ['0,1', '1,1']);
    assert.equal(got.get('0,1')!.metrics.a, 1.5);
    assert.equal(got.get('0,1')!.seconds, 2);
    assert.equal(s.getEvaluations('e2', ['0,1']).get('0,1')!.metrics.a, 9);
    assert.equal(s.countEvaluations('e1'), 2);
    assert.equal(s.countEvaluations('nobody'), 0);
    s.close();
  });

  test(`${kind} store: a run keeps its config, its evaluation order and its history`, () => {
    const s = open();
    assert.equal(s.getRun('r'), undefined);
    s.startRun('r', '{"seed":1}');
    s.appendStep('r', ['a', 'b'], { step: 0, evaluations: 2, hypervolume: 0.5, detail: { chosen: 'rbf' } });
    s.appendStep('r', ['c'], { step: 1, evaluations: 3, hypervolume: 0.75 });
    assert.deepEqual(s.runArchs('r'), ['a', 'b', 'c']);
    const h = s.runHistory('r');
    assert.deepEqual(h.map((x) => [x.step, x.evaluations, x.hypervolume]), [[0, 2, 0.5], [1, 3, 0.75]]);
    assert.deepEqual(h[0]!.detail, { chosen: 'rbf' });
    assert.equal(s.getRun('r')!.status, 'running');
    s.finishRun('r');
    assert.equal(s.getRun('r')!.status, 'finished');
    s.deleteRun('r');
    assert.equal(s.getRun('r'), undefined);
    s.close();
  });
}

test('sqlite store: what one connection wrote, a new one reads (a killed process loses no finished batch)', () => {
  const file = join(dir, 'persist.sqlite');
  const a = openSqliteStore(file);
  a.putEvaluations('e', [{ arch: 'x', metrics: { m: 4 } }]);
  a.startRun('r', '{}');
  a.appendStep('r', ['x'], { step: 0, evaluations: 1, hypervolume: 0.1 });
  // no close(): committed transactions must already be on disk
  const b = openSqliteStore(file);
  assert.equal(b.getEvaluations('e', ['x']).get('x')!.metrics.m, 4);
  assert.deepEqual(b.runArchs('r'), ['x']);
  a.close();
  b.close();
});

test('cached evaluator: evaluates each architecture once, across calls and across wrappers on one store', async () => {
  const { evaluator, calls } = syntheticMoo();
  const store = createMemoryStore();
  const c1 = cachedEvaluator(evaluator, store, 'toy');
  const first = await c1.evaluate([[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]]);
  assert.equal(calls(), 2, 'the duplicate in one batch is evaluated once');
  assert.deepEqual(first[0], first[2]);
  assert.equal(c1.fresh, 2);
  assert.equal(c1.reused, 1);
  const c2 = cachedEvaluator(evaluator, store, 'toy');
  const again = await c2.evaluate([[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2]]);
  assert.equal(calls(), 3, 'only the new architecture reaches the evaluator');
  assert.deepEqual(again[0], first[1]);
  assert.equal(c2.fresh, 1);
  assert.equal(c2.reused, 1);
  const other = cachedEvaluator(evaluator, store, 'toy-other-settings');
  await other.evaluate([[1, 1, 1, 1, 1, 1]]);
  assert.equal(calls(), 4, 'other evaluator settings do not share results');
});
