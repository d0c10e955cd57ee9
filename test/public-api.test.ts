import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../src/index.js';
import { ROOT } from './helpers/cli.js';

test('public API: a search under a held limit on the shipped table, through index.ts alone', async () => {
  const space = api.builtinSpace('mbv3-mini');
  const table = api.readBlockTable(api.shippedTablePath('mbv3-mini'));
  const r = await api.searchTable({ table, space, objective: 'accuracy:fashion-mnist-val', limits: [{ metric: 'latency:wasm', max: 5 }], solve: (p) => api.solveIlp(p), confidence: api.DEFAULT_CONFIDENCE });
  assert.equal(r.status, 'found');
  if (r.status !== 'found') return;
  const held = r.held[0]!;
  assert.ok(held.held < 5 && held.interval!.confidence === 0.95, 'held at the upper bound');
  assert.ok(api.predict(r.table, space, r.solution.genome!)['latency:wasm']! <= held.held + 1e-9);
  const refused = await api.searchTable({ table, space, objective: 'accuracy:fashion-mnist-val', limits: [{ metric: 'latency:wasm', max: 1 }], solve: (p) => api.solveIlp(p), confidence: 0.95 });
  assert.equal(refused.status, 'refused');
  if (refused.status === 'refused') assert.match(api.describeUnreachable(refused.unreachable[0]!, { 'latency:wasm': 'ms' }), /^limit latency:wasm <= 1 ms, held at .* lies below every network the table was fitted on/);
});

test('the package name resolves to the built entry point with the same exports', { skip: existsSync(join(ROOT, 'dist/index.js')) ? false : 'dist/ is not built (npm ci builds it)' }, async () => {
  const built = (await import('blocknas' as string)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(built).sort(), Object.keys(api).sort());
});
