import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/tfjs/backend.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/tfjs/checkpoint.js';
import { MBV3_MINI_MACRO, type Mbv3Config, type Mbv3StageArch, uniformArch } from '../src/tfjs/mbv3/config.js';
import { buildMbv3Params, createMbv3Net, mbv3Loss } from '../src/tfjs/mbv3/net.js';
import { createMbv3Supernet, loadSupernetWeights, supernetWeights } from '../src/tfjs/mbv3/supernet.js';
import { seededValues } from '../src/tfjs/small-cnn.js';

const mini = (stages: Mbv3StageArch[]): Mbv3Config => ({ macro: MBV3_MINI_MACRO, stages });
const withStage = (c: Mbv3Config, i: number, change: Partial<Mbv3StageArch>) => mini(c.stages.map((s, j) => (j === i ? { ...s, ...change } : s)));
const input = () => ({
  x: tf.tensor4d(seededValues(8 * 28 * 28, 5, 1), [8, 28, 28, 1]),
  y: tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10) as tf.Tensor2D,
});

/** Training-mode loss of `config` as a sub-network of `sn`. */
function subLoss(sn: ReturnType<typeof createMbv3Supernet>, config: Mbv3Config, x: tf.Tensor4D, y: tf.Tensor2D): number {
  const view = sn.subnet(config);
  try {
    return mbv3Loss(view.params, x, y).dataSync()[0]!;
  } finally {
    view.dispose();
  }
}

/** Sets entries of a shared weight to zero where `zero(index tuple)` says so. */
function zeroWhere(sn: ReturnType<typeof createMbv3Supernet>, name: string, zero: (idx: number[]) => boolean): void {
  const i = sn.names.indexOf(name);
  assert.ok(i >= 0, `no shared weight ${name}`);
  const v = sn.params[i]!;
  const data = Float32Array.from(v.dataSync());
  const strides = v.shape.map((_, d) => v.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  for (let k = 0; k < data.length; k++) {
    if (zero(strides.map((s, d) => Math.floor(k / s) % v.shape[d]!))) data[k] = 0;
  }
  tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
}

test('the largest sub-network is the super-network itself: same layers, same loss as a net built from the same seed', async () => {
  await initBackend('wasm');
  const sn = createMbv3Supernet(MBV3_MINI_MACRO, 11);
  const { x, y } = input();
  try {
    const full = mini(uniformArch(3, 4, 7, 6).map((s, i) => ({ ...s, parallelKernel: 7, dense: i > 0, exit: i < 2 })));
    const net = createMbv3Net(full, 11);
    try {
      assert.equal(net.paramCount, sn.params.reduce((s, v) => s + v.size, 0), 'the super-network holds exactly the largest config\'s weights');
      const a = net.loss(x, y).dataSync()[0]!;
      const b = subLoss(sn, full, x, y);
      assert.ok(Math.abs(a - b) < 1e-6, `loss ${a} (standalone) vs ${b} (sub-network view)`);
    } finally {
      net.dispose();
    }
  } finally {
    sn.dispose();
    tf.dispose([x, y]);
  }
});

test('elastic kernel takes the centre of the 7x7 filter: with the outer taps zeroed, kernel 7 and kernel 3 compute the same network', async () => {
  await initBackend('wasm');
  const sn = createMbv3Supernet(MBV3_MINI_MACRO, 12);
  const { x, y } = input();
  try {
    const base = mini(uniformArch(3, 2, 7, 4));
    const before = [subLoss(sn, base, x, y), subLoss(sn, withStage(base, 1, { kernel: 3 }), x, y)];
    assert.ok(Math.abs(before[0]! - before[1]!) > 1e-4, `kernel must matter before zeroing (${before.join(' vs ')})`);
    for (const b of [0, 1]) zeroWhere(sn, `s1.b${b}.main.dw.filter`, ([ty, tx]) => Math.abs(ty! - 3) > 1 || Math.abs(tx! - 3) > 1);
    const k7 = subLoss(sn, base, x, y);
    const k3 = subLoss(sn, withStage(base, 1, { kernel: 3 }), x, y);
    assert.ok(Math.abs(k7 - k3) < 1e-5, `k7 ${k7} vs k3 ${k3} after zeroing every tap outside the centre 3x3`);
  } finally {
    sn.dispose();
    tf.dispose([x, y]);
  }
});

test('elastic width takes the first channels and elastic depth the first blocks', async () => {
  await initBackend('wasm');
  const sn = createMbv3Supernet(MBV3_MINI_MACRO, 13);
  const { x, y } = input();
  try {
    const base = mini(uniformArch(3, 2, 3, 3));
    // Stage 1 has no squeeze-excite: with the projection rows of channels past cin*3 = 24 zeroed, expansion 6 adds
    // channels that reach nothing.
    const e6 = withStage(base, 0, { expand: 6 });
    assert.ok(Math.abs(subLoss(sn, base, x, y) - subLoss(sn, e6, x, y)) > 1e-4, 'expansion must matter before zeroing');
    for (const b of [0, 1]) zeroWhere(sn, `s0.b${b}.main.project.filter`, ([, , cin]) => cin! >= (b === 0 ? 8 : 16) * 3);
    const l3 = subLoss(sn, base, x, y);
    const l6 = subLoss(sn, e6, x, y);
    assert.ok(Math.abs(l3 - l6) < 1e-5, `e3 ${l3} vs e6 ${l6}`);
    // Blocks 3 and 4 of stage 2 are residual: a zero projection makes them the identity, so depth 4 equals depth 2.
    const d4 = withStage(base, 1, { depth: 4 });
    assert.ok(Math.abs(subLoss(sn, base, x, y) - subLoss(sn, d4, x, y)) > 1e-4, 'depth must matter before zeroing');
    for (const b of [2, 3]) zeroWhere(sn, `s1.b${b}.main.project.filter`, () => true);
    const d2 = subLoss(sn, base, x, y);
    const d4z = subLoss(sn, d4, x, y);
    assert.ok(Math.abs(d2 - d4z) < 1e-5, `d2 ${d2} vs d4 ${d4z}`);
  } finally {
    sn.dispose();
    tf.dispose([x, y]);
  }
});

test('a training step on a sub-network changes exactly the shared weights it uses', async () => {
  await initBackend('wasm');
  const sn = createMbv3Supernet(MBV3_MINI_MACRO, 14);
  const { x, y } = input();
  const opt = tf.train.sgd(0.1);
  try {
    const small = mini(uniformArch(3, 2, 3, 3));
    const before = supernetWeights(sn).map((w) => Float32Array.from(w));
    opt.minimize(() => mbv3Loss(sn.subnet(small).params, x, y), false, sn.params as tf.Variable[]);
    const after = supernetWeights(sn);
    const changed = (name: string, pick: (i: number) => boolean = () => true) => {
      const i = sn.names.indexOf(name);
      return before[i]!.some((v, k) => pick(k) && v !== after[i]![k]);
    };
    assert.ok(changed('s1.b0.main.dw.filter'), 'a used depthwise filter must change');
    assert.ok(!changed('s1.b2.main.dw.filter'), 'block 3 of a depth-2 stage must not change');
    assert.ok(!changed('s1.b0.par.dw.filter'), 'the parallel branch of a one-branch network must not change');
    assert.ok(!changed('s0.exit.linear.weight'), 'an exit head the network lacks must not change');
    // Depthwise filter [7, 7, 144, 1] of stage 2, second block (input 24 channels, expansion 3 -> 72 channels):
    // a tap outside the centre 3x3, or a channel past 48, is not part of the sub-network.
    const C = 24 * 6;
    assert.ok(!changed('s1.b1.main.dw.filter', (k) => Math.floor(k / C) === 0), 'a corner tap of the 7x7 filter must not change');
    assert.ok(!changed('s1.b1.main.dw.filter', (k) => k % C >= 72), 'channels past the sub-network\'s width must not change');
    assert.ok(changed('s1.b1.main.dw.filter', (k) => Math.floor(k / C) === 24 && k % C < 72), 'the centre tap of used channels must change');
  } finally {
    opt.dispose();
    sn.dispose();
    tf.dispose([x, y]);
  }
});

test('a checkpoint round-trips every weight bit for bit', async () => {
  await initBackend('wasm');
  const a = createMbv3Supernet(MBV3_MINI_MACRO, 15);
  const b = createMbv3Supernet(MBV3_MINI_MACRO, 16);
  try {
    const w = supernetWeights(a);
    const bytes = encodeCheckpoint({ step: 7 }, a.params.map((v, i) => ({ name: a.names[i]!, shape: v.shape, data: w[i]! })));
    const { meta, arrays } = decodeCheckpoint<{ step: number }>(bytes);
    assert.equal(meta.step, 7);
    assert.deepEqual(arrays.map((x) => x.name), [...a.names]);
    loadSupernetWeights(b, arrays.map((x) => x.data));
    const wb = supernetWeights(b);
    assert.ok(w.every((x, i) => x.length === wb[i]!.length && x.every((v, k) => Object.is(v, wb[i]![k]))), 'loaded weights must equal saved ones');
    assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4)), /truncated/);
    assert.throws(() => decodeCheckpoint(new Uint8Array(20)), /not a blocknas checkpoint/);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('layer names are the same place in every config', () => {
  const names = (c: Mbv3Config) => {
    const seen: string[] = [];
    const rec = { convBn: (n: string) => (seen.push(n), null), depthwiseBn: (n: string) => (seen.push(n), null), linear: (n: string) => (seen.push(n), null) };
    buildMbv3Params(c, rec as never);
    return seen;
  };
  const small = names(mini(uniformArch(3, 2, 3, 3)));
  const big = names(mini(uniformArch(3, 4, 7, 6)));
  assert.ok(small.every((n) => big.includes(n)), 'every layer of a smaller config has its place in a larger one');
  assert.ok(small.includes('s1.b1.main.dw') && big.includes('s1.b3.main.dw'));
});
