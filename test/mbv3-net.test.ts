import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../src/errors.js';
import { initBackend } from '../src/tfjs/backend.js';
import { MBV3_MINI_MACRO, type Mbv3Config, type Mbv3Macro, type Mbv3StageArch, uniformArch } from '../src/tfjs/mbv3/config.js';
import { mbv3Cost } from '../src/tfjs/mbv3/cost.js';
import { createMbv3Net } from '../src/tfjs/mbv3/net.js';
import { seededValues } from '../src/tfjs/small-cnn.js';
import { assertClose } from './helpers/assert.js';

const mini = (stages: Mbv3StageArch[]): Mbv3Config => ({ macro: MBV3_MINI_MACRO, stages });
const withStage = (stages: Mbv3StageArch[], i: number, change: Partial<Mbv3StageArch>) => stages.map((s, j) => (j === i ? { ...s, ...change } : s));

/** Built parameter count and FLOPs counted from the layers a forward pass runs, per head and in all. */
function built(config: Mbv3Config): { params: number; macs: number; heads: number[]; names: readonly string[] } {
  const net = createMbv3Net(config, 1);
  try {
    const m = net.countMacs();
    return { params: net.paramCount, macs: m.total, heads: m.heads, names: net.heads };
  } finally {
    net.dispose();
  }
}

const CONFIGS: [string, Mbv3Config][] = [
  ['smallest', mini(uniformArch(3, 2, 3, 3))],
  ['largest', mini(uniformArch(3, 4, 7, 6))],
  ['mixed', mini([
    { depth: 3, kernel: 5, expand: 4, parallelKernel: null, dense: false, exit: true },
    { depth: 2, kernel: 7, expand: 6, parallelKernel: 3, dense: true, exit: true },
    { depth: 4, kernel: 3, expand: 3, parallelKernel: 5, dense: true, exit: false },
  ])],
];

test('analytic params equal the built model exactly, and analytic FLOPs equal the counted forward pass', async () => {
  await initBackend('wasm');
  for (const [name, config] of CONFIGS) {
    const cost = mbv3Cost(config);
    const b = built(config);
    assert.equal(b.params, cost.params, `${name}: params`);
    assertClose(b.macs, cost.macs * 1e6, 1e-6, `${name}: MACs`);
    assert.equal(b.heads.length, cost.heads.length, `${name}: heads`);
    b.heads.forEach((m, h) => assertClose(m, cost.heads[h]!.macs * 1e6, 1e-6, `${name}: MACs up to head ${h}`));
  }
});

// 8x8x1 input, stem 3x3/2 to 4 channels (4x4), one stage of one block (width 4, stride 1, kernel 3, expansion 2,
// ReLU, no SE, identity shortcut), head 1x1 to 6 channels, 3 classes.
const TINY_MACRO: Mbv3Macro = {
  inputSize: 8,
  inChannels: 1,
  classes: 3,
  stemWidth: 4,
  stemStride: 2,
  stages: [{ width: 4, stride: 1, act: 'relu', se: false }],
  headWidth: 6,
};
const TINY: Mbv3Config = { macro: TINY_MACRO, stages: [{ depth: 1, kernel: 3, expand: 2, parallelKernel: null, dense: false, exit: false }] };

test('params and FLOPs of a tiny network match a count by hand', async () => {
  await initBackend('wasm');
  // params: stem 3·3·1·4 + BN 2·4 = 44; expand 4·8 + 16 = 48; depthwise 3·3·8 + 16 = 88; project 8·4 + 8 = 40;
  // head conv 4·6 + 12 = 36; linear 6·3 + 3 = 21.
  const params = 44 + 48 + 88 + 40 + 36 + 21;
  // MACs at 4x4 = 16 positions: stem 16·9·1·4, expand 16·4·8, depthwise 16·9·8, project 16·8·4, head 16·4·6, linear 6·3.
  const macs = 16 * 36 + 16 * 32 + 16 * 72 + 16 * 32 + 16 * 24 + 18;
  assert.equal(params, 277);
  assert.equal(mbv3Cost(TINY).params, params);
  assertClose(mbv3Cost(TINY).macs * 1e6, macs, 1e-6, 'analytic MACs');
  const b = built(TINY);
  assert.equal(b.params, params);
  assertClose(b.macs, macs, 1e-6, 'counted MACs');
  // A parallel 5x5 branch adds its own expansion (48), 5x5 depthwise (25·8 + 16) and projection (40).
  const parallel: Mbv3Config = { ...TINY, stages: [{ ...TINY.stages[0]!, parallelKernel: 5 }] };
  assert.equal(mbv3Cost(parallel).params, params + 48 + 216 + 40);
  assert.equal(built(parallel).params, params + 48 + 216 + 40);
  assertClose(mbv3Cost(parallel).macs * 1e6, macs + 16 * 32 + 16 * 200 + 16 * 32, 1e-6, 'parallel MACs');
});

test('dense skips add one pooled 1x1 projection per earlier output, with the hand-counted parameters', async () => {
  await initBackend('wasm');
  const base = uniformArch(3, 2, 3, 3);
  const p0 = built(mini(base)).params;
  // Into stage 2 (input: stage 1's 16 channels at 7x7): the stem's 8 channels, 8·16 + BN 2·16.
  assert.equal(built(mini(withStage(base, 1, { dense: true }))).params - p0, 8 * 16 + 32);
  // Into stage 3 (input: stage 2's 24 channels at 7x7): the stem (8) and stage 1 (16): 8·24 + 48 + 16·24 + 48.
  const dense3 = mini(withStage(base, 2, { dense: true }));
  assert.equal(built(dense3).params - p0, 8 * 24 + 48 + 16 * 24 + 48);
  assertClose((mbv3Cost(dense3).macs - mbv3Cost(mini(base)).macs) * 1e6, 7 * 7 * (8 + 16) * 24, 1e-6, 'dense MACs');
});

test('early exits add heads: logits per head, and a shallower sub-network computes only what it needs', async () => {
  await initBackend('wasm');
  const config = mini(withStage(withStage(uniformArch(3, 2, 3, 3), 0, { exit: true }), 1, { exit: true }));
  const net = createMbv3Net(config, 3);
  const inference = net.inference();
  const x = tf.tensor4d(seededValues(2 * 28 * 28, 5), [2, 28, 28, 1]);
  try {
    assert.deepEqual(net.heads, ['exit1', 'exit2', 'final']);
    const all = inference.run(x);
    assert.deepEqual(all.map((t) => t.shape), [[2, 10], [2, 10], [2, 10]]);
    const first = inference.run(x, 1);
    assert.equal(first.length, 1);
    assert.deepEqual(Array.from(first[0]!.dataSync()), Array.from(all[0]!.dataSync()), 'exit 1 does not depend on later stages');
    const macs = net.countMacs();
    assert.ok(macs.heads[0]! < macs.heads[1]! && macs.heads[1]! < macs.heads[2]! && macs.heads[2]! < macs.total, `MACs per head ${macs.heads} total ${macs.total}`);
    tf.dispose([...all, ...first]);
  } finally {
    x.dispose();
    inference.dispose();
    net.dispose();
  }
});

test('inference with folded BN reproduces training-mode BN once calibrated on the same batch', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    const config = mini(withStage(withStage(uniformArch(3, 2, 5, 4), 1, { parallelKernel: 3, dense: true, exit: true }), 2, { dense: true }));
    const net = createMbv3Net(config, 7);
    const x = tf.tensor4d(seededValues(16 * 28 * 28, 9), [16, 28, 28, 1]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), 'int32'), 10), 'float32') as tf.Tensor2D);
    try {
      const trainLoss = tf.tidy(() => net.loss(x, y).dataSync()[0]!);
      // Calibrated on exactly this batch, every BN sees the statistics training mode computes from it.
      net.calibrate([x]);
      const inference = net.inference();
      const evalLoss = tf.tidy(() => {
        const losses = inference.run(x).map((l) => tf.losses.softmaxCrossEntropy(y, l));
        return (tf.addN(losses).dataSync()[0]! / losses.length);
      });
      inference.dispose();
      assertClose(evalLoss, trainLoss, 1e-4 * Math.max(1, trainLoss), `${backend}: loss with folded BN`);
    } finally {
      tf.dispose([x, y]);
      net.dispose();
    }
  }
});

test('configs that cannot build are UserErrors naming the stage', () => {
  const base = uniformArch(3, 2, 3, 3);
  assert.throws(() => mbv3Cost(mini(withStage(base, 0, { dense: true }))), (e) => e instanceof UserError && /stage 1: dense/.test(e.message));
  assert.throws(() => mbv3Cost(mini(withStage(base, 2, { exit: true }))), (e) => e instanceof UserError && /stage 3: the last stage/.test(e.message));
  assert.throws(() => mbv3Cost(mini(withStage(base, 1, { kernel: 4 }))), (e) => e instanceof UserError && /stage 2: kernel/.test(e.message));
  assert.throws(() => mbv3Cost(mini(base.slice(0, 2))), (e) => e instanceof UserError && /expected 3 stage settings/.test(e.message));
});
