import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateBlocks } from '../src/api/estimate.js';
import { evolve } from '../src/api/evolve.js';
import { UserError } from '../src/errors.js';
import { estimateBenchmarkTable } from '../src/targets/tabular.js';
import { findTarget } from '../src/targets/registry.js';
import { createMemoryStore } from '../src/store/memory.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv');

test('estimateBlocks: the table the tabular estimator gives for the same networks, and the published table noted as such', { skip }, async () => {
  const r = await estimateBlocks({ space: 'nb201', dataDir: DATA_DIR, dataset: 'cifar100', device: 'pixel3', budget: 40, seed: 2 });
  assert.equal(r.table.evaluated, 40);
  assert.equal(r.dataset, 'cifar100');
  assert.deepEqual(r.devices, ['pixel3']);
  const bench = findTarget('nb201').benchmark!(DATA_DIR);
  const direct = await estimateBenchmarkTable(bench, 'cifar100', ['pixel3'], { budget: 40, seed: 2 });
  assert.deepEqual(r.table.metrics, direct.metrics, 'same block values');
  await assert.rejects(estimateBlocks({ space: 'mbv3-mini' }), (e: Error) => (e as UserError).field === 'space');
  await assert.rejects(estimateBlocks({ space: 'nb201', dataDir: DATA_DIR, budget: 0 }), (e: Error) => (e as UserError).field === 'budget');
});

test('evolve: a stored run on NB201 spends its budget, and a resume from the same store replays it exactly', { skip }, async () => {
  const entry = findTarget('nb201', 'evolve');
  const store = createMemoryStore();
  const run = () => evolve({ target: entry.openEvolve!({ dataDir: DATA_DIR, dataset: 'cifar10', device: 'eyeriss' }), objectives: 'accuracy,latency', budget: 30, seed: 1, strategy: 'random', store });
  const first = await run();
  assert.equal(first.report.evaluations, 30);
  assert.deepEqual(first.report.objectives.map((o) => o.metric), ['accuracy:cifar10', 'latency:eyeriss']);
  assert.ok(first.report.trueFrontSize! > 0 && first.report.hypervolume <= first.report.trueHypervolume! + 1e-12);
  const again = await evolve({ target: entry.openEvolve!({ dataDir: DATA_DIR, dataset: 'cifar10', device: 'eyeriss' }), objectives: 'accuracy,latency', budget: 30, seed: 1, strategy: 'random', store, resume: true });
  assert.equal(again.report.fresh, 0, 'nothing evaluated again');
  assert.deepEqual(again.report.pareto, first.report.pareto);
  await assert.rejects(evolve({ target: entry.openEvolve!({ dataDir: DATA_DIR }), objectives: 'accuracy', budget: 5, strategy: 'magic' as 'random', store: createMemoryStore() }), (e: Error) => (e as UserError).field === 'strategy');
});
