import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import { benchSurrogates, surrogateBenchTable } from '../bench/surrogate-bench.js';
import { gaussianProcess } from '../src/surrogate/gp.js';
import { randomForest } from '../src/surrogate/forest.js';
import { DATA_DIR, needsData } from './helpers/data.js';

test('bench: surrogates trained on NB201 cells are scored on every cell', { skip: needsData(NB201_FILES.accuracy, NB201_FILES.latency) }, () => {
  const bench = loadNb201(DATA_DIR);
  const rows = benchSurrogates(bench, {
    budgets: [40],
    seeds: 1,
    surrogates: (radix, seed) => [gaussianProcess({ radix }), randomForest({ radix, trees: 20, seed })],
  });
  assert.deepEqual(rows.map((r) => r.surrogate.split(' → ')[0]), ['gp-matern52', 'random-forest', 'adaptive']);
  for (const r of rows) {
    // Far above chance even from 40 cells: the ImageNet16-120 accuracy surface is dominated by a few operations.
    assert.ok(r.kendall > 0.3 && r.kendall < 1, `${r.surrogate}: Kendall ${r.kendall}`);
    assert.ok(r.spearman > r.kendall, `${r.surrogate}: Spearman ${r.spearman} above Kendall ${r.kendall}`);
    assert.ok(r.fitMs >= 0 && r.predictMs >= 0, `${r.surrogate}: timings ${r.fitMs}, ${r.predictMs}`);
  }
  const t = surrogateBenchTable(rows);
  assert.equal(t.rows.length, 3);
  assert.match(t.rows[2]![0]!, /^adaptive \((gp-matern52|random-forest)\)$/);
});
