import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import Database from 'better-sqlite3';
import { fieldError } from '../errors.js';
import type { EvaluationStore, HistoryRow, RunRecord, StoredEvaluation, StoredFailure } from './types.js';

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS evaluations (
  evaluator TEXT NOT NULL, arch TEXT NOT NULL, metrics TEXT NOT NULL, seconds REAL, created TEXT NOT NULL,
  PRIMARY KEY (evaluator, arch));
CREATE TABLE IF NOT EXISTS failures (
  evaluator TEXT NOT NULL, arch TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (evaluator, arch));
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, config TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_archs (
  run TEXT NOT NULL, seq INTEGER NOT NULL, arch TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (run, seq));
CREATE TABLE IF NOT EXISTS run_history (
  run TEXT NOT NULL, step INTEGER NOT NULL, evaluations INTEGER NOT NULL, hypervolume REAL NOT NULL, detail TEXT,
  PRIMARY KEY (run, step));
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL, updated TEXT NOT NULL);
`;

/**
 * The embedded store on SQLite (better-sqlite3: synchronous, so a batch is committed before the next line runs,
 * and a killed process loses at most the batch in flight). WAL mode lets a second process read while a run writes.
 */
export function openSqliteStore(file: string): EvaluationStore {
  mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
  } catch (e) {
    throw fieldError('store', `cannot open SQLite database ${file}: ${(e as Error).message}`);
  }
  const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
  if (!version) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  else if (version.value !== SCHEMA_VERSION) {
    throw fieldError('store', `${file} has schema version ${version.value}, this blocknas reads ${SCHEMA_VERSION}`);
  }

  const now = () => new Date().toISOString();
  const getEval = db.prepare<[string, string], { arch: string; metrics: string; seconds: number | null }>(
    'SELECT arch, metrics, seconds FROM evaluations WHERE evaluator = ? AND arch = ?',
  );
  const putEval = db.prepare(
    'INSERT OR REPLACE INTO evaluations (evaluator, arch, metrics, seconds, created) VALUES (?, ?, ?, ?, ?)',
  );
  const getFailure = db.prepare<[string, string], StoredFailure>('SELECT arch, reason, attempts FROM failures WHERE evaluator = ? AND arch = ?');
  const allFailures = db.prepare<[string], StoredFailure>('SELECT arch, reason, attempts FROM failures WHERE evaluator = ? ORDER BY arch');
  const putFailure = db.prepare('INSERT OR REPLACE INTO failures (evaluator, arch, reason, attempts, created) VALUES (?, ?, ?, ?, ?)');
  const dropFailure = db.prepare('DELETE FROM failures WHERE evaluator = ? AND arch = ?');
  const dropFailures = db.prepare('DELETE FROM failures WHERE evaluator = ?');
  const countEval = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM evaluations WHERE evaluator = ?');
  const getRun = db.prepare<[string], { id: string; config: string; status: RunRecord['status'] }>(
    'SELECT id, config, status FROM runs WHERE id = ?',
  );
  const insertRun = db.prepare("INSERT INTO runs (id, config, status, created, updated) VALUES (?, ?, 'running', ?, ?)");
  const setStatus = db.prepare('UPDATE runs SET status = ?, updated = ? WHERE id = ?');
  const putArch = db.prepare('INSERT INTO run_archs (run, seq, arch, step) VALUES (?, ?, ?, ?)');
  const nextSeq = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM run_archs WHERE run = ?');
  const putHistory = db.prepare(
    'INSERT INTO run_history (run, step, evaluations, hypervolume, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const archsOf = db.prepare<[string], { arch: string }>('SELECT arch FROM run_archs WHERE run = ? ORDER BY seq');
  const historyOf = db.prepare<[string], { step: number; evaluations: number; hypervolume: number; detail: string | null }>(
    'SELECT step, evaluations, hypervolume, detail FROM run_history WHERE run = ? ORDER BY step',
  );

  const getBlob = db.prepare<[string], { data: Buffer }>('SELECT data FROM blobs WHERE key = ?');
  const putBlob = db.prepare('INSERT OR REPLACE INTO blobs (key, data, updated) VALUES (?, ?, ?)');
  const putMany = db.transaction((evaluator: string, rows: readonly StoredEvaluation[]) => {
    const t = now();
    for (const r of rows) {
      putEval.run(evaluator, r.arch, JSON.stringify(r.metrics), r.seconds ?? null, t);
      dropFailure.run(evaluator, r.arch);
    }
  });
  const putFailures = db.transaction((evaluator: string, rows: readonly StoredFailure[]) => {
    const t = now();
    for (const r of rows) putFailure.run(evaluator, r.arch, r.reason, r.attempts, t);
  });
  const deleteFailures = db.transaction((evaluator: string, archs: readonly string[] | undefined) => {
    if (archs === undefined) return dropFailures.run(evaluator).changes;
    let n = 0;
    for (const a of archs) n += dropFailure.run(evaluator, a).changes;
    return n;
  });
  const appendStep = db.transaction((id: string, archs: readonly string[], row: HistoryRow) => {
    let seq = nextSeq.get(id)!.n;
    for (const a of archs) putArch.run(id, seq++, a, row.step);
    putHistory.run(id, row.step, row.evaluations, row.hypervolume, row.detail === undefined ? null : JSON.stringify(row.detail));
    setStatus.run('running', now(), id);
  });
  const deleteRun = db.transaction((id: string) => {
    for (const table of ['run_archs', 'run_history']) db.prepare(`DELETE FROM ${table} WHERE run = ?`).run(id);
    db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  });

  return {
    getEvaluations(evaluator, archs) {
      const out = new Map<string, StoredEvaluation>();
      for (const a of archs) {
        const row = getEval.get(evaluator, a);
        if (row) {
          out.set(a, {
            arch: row.arch,
            metrics: JSON.parse(row.metrics) as StoredEvaluation['metrics'],
            ...(row.seconds !== null ? { seconds: row.seconds } : {}),
          });
        }
      }
      return out;
    },
    putEvaluations: (evaluator, rows) => putMany(evaluator, rows),
    countEvaluations: (evaluator) => countEval.get(evaluator)!.n,
    getFailures(evaluator, archs) {
      const rows = archs === undefined ? allFailures.all(evaluator) : archs.flatMap((a) => getFailure.all(evaluator, a));
      return new Map(rows.map((r) => [r.arch, { arch: r.arch, reason: r.reason, attempts: r.attempts }]));
    },
    putFailures: (evaluator, rows) => putFailures(evaluator, rows),
    deleteFailures: (evaluator, archs) => deleteFailures(evaluator, archs),
    getRun: (id) => getRun.get(id),
    startRun(id, config) {
      const t = now();
      insertRun.run(id, config, t, t);
    },
    finishRun: (id) => void setStatus.run('finished', now(), id),
    deleteRun: (id) => deleteRun(id),
    appendStep: (id, archs, row) => appendStep(id, archs, row),
    runArchs: (id) => archsOf.all(id).map((r) => r.arch),
    runHistory: (id) =>
      historyOf.all(id).map((r) => ({
        step: r.step,
        evaluations: r.evaluations,
        hypervolume: r.hypervolume,
        ...(r.detail !== null ? { detail: JSON.parse(r.detail) as unknown } : {}),
      })),
    getBlob(key) {
      const row = getBlob.get(key);
      return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : undefined;
    },
    putBlob: (key, data) => void putBlob.run(key, Buffer.from(data.buffer, data.byteOffset, data.byteLength), now()),
    close: () => db.close(),
  };
}

/** A store that a command opened for a job which may still fail before any work is done. */
export interface ProvisionalStore {
  readonly store: EvaluationStore;
  /**
   * Closes the store and, if opening it created the file, removes it with its WAL files and the directories made
   * for it (only while empty), so a command that fails on bad input leaves nothing half-made behind.
   */
  discard(): void;
}

export function openProvisionalSqliteStore(file: string): ProvisionalStore {
  const existed = existsSync(file);
  // mkdirSync reports the first directory it had to create: everything from there down is ours to remove
  const firstMade = mkdirSync(dirname(file), { recursive: true });
  let store: EvaluationStore;
  try {
    store = openSqliteStore(file);
  } catch (e) {
    removeEmptyDirs(dirname(file), firstMade);
    throw e;
  }
  return {
    store,
    discard() {
      store.close();
      if (existed) return;
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
      removeEmptyDirs(dirname(file), firstMade);
    },
  };
}

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty; nothing if `top` is undefined. */
function removeEmptyDirs(dir: string, top: string | undefined): void {
  if (top === undefined) return;
  for (let d = dir; !relative(top, d).startsWith('..'); d = dirname(d)) {
    if (readdirSync(d).length > 0) break;
    rmdirSync(d);
    if (d === top) break;
  }
}
