import { createMemoryStore } from '../store/memory.js';
import type { Metrics } from '../core/metrics.js';
import type { PoolTask } from './pool.js';
import { accuracyEvaluator, type AccuracyEvaluator } from './spaces.js';

// One evaluator per spec and checkpoint for the life of the worker: the dataset and super-network load once.
const evaluators = new Map<string, AccuracyEvaluator>();

export default async function evaluate(task: PoolTask): Promise<Metrics> {
  const id = `${JSON.stringify(task.spec)}|${task.blob?.key ?? ''}`;
  let e = evaluators.get(id);
  if (!e) {
    const store = createMemoryStore();
    if (task.blob) store.putBlob(task.blob.key, task.blob.data);
    e = accuracyEvaluator(task.spec, { store });
    evaluators.set(id, e);
  }
  const [m] = await e.evaluate([task.arch]);
  return m!;
}
