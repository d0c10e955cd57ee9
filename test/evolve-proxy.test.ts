import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNb201Full } from '../src/analysis/data.js';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import type { ZeroCostProxy } from '../src/core/metrics.js';
import { PROXY_POOL_FACTOR, proxyStart } from '../src/evolve/proxy.js';
import { runStrategy } from '../src/evolve/run.js';
import { balancedSample } from '../src/evolve/sampling.js';
import { natv2, type IterationDetail } from '../src/evolve/strategies/natv2.js';
import { tabularTarget } from '../src/evolve/target.js';
import { createRng } from '../src/random.js';
import { genomeKey } from '../src/space/space.js';
import type { Genome } from '../src/space/types.js';
import { createMemoryStore } from '../src/store/memory.js';
import { DATA_DIR, needsData } from './helpers/data.js';
import { syntheticMoo } from './helpers/synthetic-moo.js';

const toy = syntheticMoo();
const accuracyOf = (g: Genome) => -toy.all[g.reduce((r, b) => r * 4 + b, 0)]![0]!;
// the toy's accuracy itself, undefined where the first block is 3 (as jacob_cov is for cells without a path)
const proxy: ZeroCostProxy = { id: 'toy', description: 'toy accuracy', score: (g) => (g[0] === 3 ? Number.NaN : accuracyOf(g)) };

test('proxy start: the initial archive is the best of a balanced pool by the proxy, and rank is the quantile in that pool', () => {
  const n = 10;
  const start = proxyStart(toy.problem, createRng(5), n, new Set(), proxy);
  // the same generator state draws the same pool first
  const pool = balancedSample(toy.problem, createRng(5), PROXY_POOL_FACTOR * n);
  assert.equal(pool.length, PROXY_POOL_FACTOR * n);
  const scored = pool.filter((g) => g[0] !== 3).sort((a, b) => accuracyOf(b) - accuracyOf(a));
  assert.deepEqual(start.initial.map(genomeKey), scored.slice(0, n).map(genomeKey));
  const undefinedCount = pool.length - scored.length;
  assert.ok(undefinedCount > 0, 'the pool holds networks without a score');
  // the k-th best scored network has (scored - 1 - k) scored and every undefined network below it
  scored.forEach((g, k) => assert.equal(start.rank(g), (undefinedCount + scored.length - 1 - k + 0.5) / pool.length));
  assert.equal(start.rank(pool.find((g) => g[0] === 3)!), 0);
});

test('natv2 with a proxy: starts from the proxy start, fits the term on accuracy only, and replays identically', async () => {
  const go = () => {
    const strategy = natv2(toy.problem, { seed: 2, budget: 40, initSize: 10, perIteration: 5, proxy });
    const details: (IterationDetail | undefined)[] = [];
    return runStrategy(toy.problem, strategy, {
      budget: 40, store: createMemoryStore(), evaluatorKey: 'toy', runId: 'r', config: {},
      onStep: () => details.push(strategy.lastDetail?.() as IterationDetail | undefined),
    }).then((r) => ({ r, details }));
  };
  const { r, details } = await go();
  const expected = proxyStart(toy.problem, createRng(2), 10, new Set(), proxy).initial;
  assert.deepEqual(r.evaluated.slice(0, 10).map((e) => genomeKey(e.genome)), expected.map(genomeKey));
  const fitted = details.filter((d) => d?.surrogates);
  assert.ok(fitted.length >= 5, `${fitted.length} iterations`);
  for (const d of fitted) assert.deepEqual(d!.surrogates!.map((s) => s.chosen.endsWith('+proxy')), [true, false]);
  const again = await go();
  assert.deepEqual(again.r.evaluated.map((e) => genomeKey(e.genome)), r.evaluated.map((e) => genomeKey(e.genome)));
});

test('nb201 publishes jacob_cov (CIFAR-10) as its proxy: the data column for every cell, undefined for 341', { skip: needsData(NB201_FILES.accuracy, NB201_FILES.latency) }, () => {
  const target = tabularTarget(loadNb201(DATA_DIR));
  const full = loadNb201Full(DATA_DIR);
  assert.equal(target.proxy!.id, 'jacob_cov:cifar10');
  const space = target.space;
  let undefinedCount = 0;
  full.archs.forEach((a, i) => {
    const s = target.proxy!.score(space.parse(a));
    if (Number.isNaN(full.jacov[i]!)) undefinedCount++;
    assert.ok(Object.is(s, full.jacov[i]!), `${a}: ${s} against ${full.jacov[i]}`);
  });
  assert.equal(undefinedCount, 341);
});
