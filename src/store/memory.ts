import type { EvaluationStore, HistoryRow, RunRecord, StoredEvaluation, StoredFailure } from './types.js';

/** The same store in memory: for benchmarks and tests that repeat many short runs and keep nothing. */
export function createMemoryStore(): EvaluationStore {
  const evals = new Map<string, Map<string, StoredEvaluation>>();
  const failures = new Map<string, Map<string, StoredFailure>>();
  const runs = new Map<string, { record: RunRecord; archs: string[]; history: HistoryRow[] }>();
  const blobs = new Map<string, Uint8Array>();
  const bucket = (evaluator: string) => {
    let b = evals.get(evaluator);
    if (!b) evals.set(evaluator, (b = new Map()));
    return b;
  };
  const failed = (evaluator: string) => {
    let f = failures.get(evaluator);
    if (!f) failures.set(evaluator, (f = new Map()));
    return f;
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
      const f = failed(evaluator);
      for (const r of rows) {
        b.set(r.arch, r);
        f.delete(r.arch);
      }
    },
    countEvaluations: (evaluator) => bucket(evaluator).size,
    getFailures(evaluator, archs) {
      const f = failed(evaluator);
      if (archs === undefined) return new Map([...f.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const out = new Map<string, StoredFailure>();
      for (const a of archs) {
        const e = f.get(a);
        if (e) out.set(a, e);
      }
      return out;
    },
    putFailures(evaluator, rows) {
      const f = failed(evaluator);
      for (const r of rows) f.set(r.arch, { ...r });
    },
    deleteFailures(evaluator, archs) {
      const f = failed(evaluator);
      const n = f.size;
      if (archs === undefined) f.clear();
      else for (const a of archs) f.delete(a);
      return n - f.size;
    },
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
