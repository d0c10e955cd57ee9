import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/errors.js';
import { createLatencyEvaluator } from '../src/eval/latency.js';
import { blobScale } from '../src/eval/latency-reference.js';
import { createMemoryStore } from '../src/store/memory.js';
import { buildMbv3Mini } from '../src/spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace } from '../src/spaces/mbv3-mini/space.js';

const space = createMbv3MiniSpace();

test('latency evaluator: positive median with p10 <= median <= p90, per backend, batch 1', async () => {
  const ev = createLatencyEvaluator({ build: buildMbv3Mini, settings: { backends: ['wasm', 'cpu'], warmup: 2, repeats: 7 } });
  assert.deepEqual(ev.provides.map((m) => m.id), ['latency:wasm', 'latency:wasm-p10', 'latency:wasm-p90', 'latency:cpu', 'latency:cpu-p10', 'latency:cpu-p90']);
  assert.ok(ev.provides.every((m) => m.source === 'measured'), 'latencies are measured');
  const archs = ['k3e3d2|k3e3d2|k3e3d2|exit-none', 'k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1'].map((a) => space.parse(a));
  const results = await ev.evaluate(archs);
  assert.equal(results.length, 2);
  for (const [i, m] of results.entries()) {
    for (const b of ['wasm', 'cpu']) {
      const [p10, med, p90] = [m[`latency:${b}-p10`]!, m[`latency:${b}`]!, m[`latency:${b}-p90`]!];
      assert.ok(Number.isFinite(med) && med > 0, `arch ${i} ${b}: median ${med} ms`);
      assert.ok(p10 > 0 && p10 <= med && med <= p90, `arch ${i} ${b}: p10 ${p10}, median ${med}, p90 ${p90}`);
    }
  }
});

test('latency settings are checked', () => {
  const bad = [{ repeats: 0 }, { warmup: -1 }, { backends: ['webgl' as 'wasm'] }];
  for (const settings of bad) {
    assert.throws(() => createLatencyEvaluator({ build: buildMbv3Mini, settings }), (e) => e instanceof UserError, JSON.stringify(settings));
  }
});

test('latency evaluator with a reference network: corrected and raw medians, the scale kept for later batches', async () => {
  const reference = space.parse('k5e4d3|k5e4d3|k5e4d3|exit-none');
  const store = createMemoryStore();
  const scale = blobScale(store, 'latency-scale:test');
  const settings = { backends: ['wasm' as const], warmup: 2, warmupMs: 0, processWarmupMs: 0, repeats: 8, rounds: 4, reference };
  const ev = createLatencyEvaluator({ build: buildMbv3Mini, settings, scale });
  assert.ok(ev.provides.some((m) => m.id === 'latency:wasm-raw'), 'the uncorrected median is reported too');
  const [m] = await ev.evaluate([space.parse('k3e3d2|k3e3d2|k3e3d2|exit-none')]);
  const [p10, med, p90, raw] = ['-p10', '', '-p90', '-raw'].map((s) => m![`latency:wasm${s}`]!);
  assert.ok(p10! > 0 && p10! <= med! && med! <= p90!, `p10 ${p10}, median ${med}, p90 ${p90}`);
  assert.ok(raw! > 0, `raw ${raw}`);
  const kept = scale.get('wasm');
  assert.ok(kept !== undefined && kept > 0, 'the first batch stored the reference scale');
  // A second evaluator on the same store (a resumed run) uses the stored scale instead of measuring a new one.
  const again = createLatencyEvaluator({ build: buildMbv3Mini, settings, scale: blobScale(store, 'latency-scale:test') });
  await again.evaluate([space.parse('k3e3d2|k3e3d2|k3e3d2|exit-none')]);
  assert.equal(blobScale(store, 'latency-scale:test').get('wasm'), kept);
});
