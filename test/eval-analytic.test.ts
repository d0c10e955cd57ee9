import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mbv3MiniCost, mbv3MiniEvaluators } from '../src/spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace, mbv3MiniConfig } from '../src/spaces/mbv3-mini/space.js';
import { mbv3Cost } from '../src/tfjs/mbv3/cost.js';
import { assertClose } from './helpers/assert.js';

const space = createMbv3MiniSpace();

test('analytic evaluator: FLOPs (M MACs) and params (M), computed, with the sub-network FLOPs of an early exit', async () => {
  const { analytic } = mbv3MiniEvaluators();
  assert.deepEqual(analytic.provides.map((m) => [m.id, m.source]), [['flops', 'computed'], ['params', 'computed']]);
  const archs = ['k3e3d2|k3e3d2|k3e3d2|exit-none', 'k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s2'].map((a) => space.parse(a));
  const [plain, ofa] = await analytic.evaluate(archs);
  const c = mbv3Cost(mbv3MiniConfig(archs[1]!));
  assertClose(ofa!['flops']!, c.macs, 1e-12, 'flops');
  assertClose(ofa!['params']!, c.params / 1e6, 1e-12, 'params');
  assertClose(ofa!['flops-exit2']!, c.heads[0]!.macs, 1e-12, 'flops-exit2');
  assert.ok(ofa!['flops-exit2']! < ofa!['flops']!, 'the exit sub-network is cheaper');
  assert.deepEqual(Object.keys(plain!).sort(), ['flops', 'params']);
  // The smallest network: 0.784416 M MACs, 38,978 params (also the built model's count, see mbv3-net.test.ts).
  assertClose(plain!['flops']!, 0.784416, 1e-9, 'smallest flops');
  assert.equal(mbv3MiniCost(archs[0]!).params, 38978);
});
