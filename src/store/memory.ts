import type { EvaluationStore, HistoryRow, RunRecord, StoredEvaluation } from './types.js';

/** The same store in memory: for benchmarks and tests that repeat many short runs and keep nothing. */
export function createMemoryStore(): EvaluationStore {
  const evals = new Map<string, Map<string, StoredEvaluation>>();
  const runs = new Map<string, { record: RunRecord; archs: string[]; history: HistoryRow[] }>();
  const blobs = new Map<string, Uint8Array>();
  const bucket = (evaluator: string) => {
    let b = evals.get(evaluator);
    if (!b) evals.set(evaluator, (b = new Map()));
    return b;
  };
  const run = (id: string) => {
    const r = runs.get(id);
    if (!r) throw new Error(`store: no run "${id}"`);
    return r;
  };
  return {
    getEvaluations(evaluator, archs) {
      const b = bucket(evaluator);
      const out = new Map<string, StoredEvaluation>();
      for (const a of archs) {
        const e = b.get(a);
        if (e) out.set(a, e);
      }
      return out;
    },
    putEvaluations(evaluator, rows) {
      const b = bucket(evaluator);
      for (const r of rows) b.set(r.arch, r);
    },
    countEvaluations: (evaluator) => bucket(evaluator).size,
    getRun: (id) => runs.get(id)?.record,
    startRun: (id, config) => void runs.set(id, { record: { id, config, status: 'running' }, archs: [], history: [] }),
    finishRun(id) {
      const r = run(id);
      r.record = { ...r.record, status: 'finished' };
    },
    deleteRun: (id) => void runs.delete(id),
    appendStep(id, archs, row) {
      const r = run(id);
      r.archs.push(...archs);
      r.history.push(row);
    },
    runArchs: (id) => [...run(id).archs],
    runHistory: (id) => [...run(id).history],
    getBlob: (key) => blobs.get(key),
    putBlob: (key, data) => void blobs.set(key, data.slice()),
    close() {},
  };
}
