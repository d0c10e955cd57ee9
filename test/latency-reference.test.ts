import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { blobScale, memoryScale, timeAgainstReference } from '../src/eval/latency-reference.js';
import { roundsOf, type TimedNet } from '../src/eval/latency-timing.js';
import { createMemoryStore } from '../src/store/memory.js';
import { initBackend } from '../src/tfjs/backend.js';

/** A "network" whose every run busy-waits base · speed() ms: a machine whose speed the test controls. */
function fakeNet(baseMs: number, speed: () => number): TimedNet {
  const run = () => {
    const until = performance.now() + baseMs * speed();
    while (performance.now() < until);
    return [tf.zeros([1, 1]) as tf.Tensor2D];
  };
  return { inference: () => ({ run, dispose: () => {} }), dispose: () => {} };
}

const settings = { warmup: 0, warmupMs: 0, repeats: 12, rounds: 4, inputShape: [1, 1, 1] as const };

test('roundsOf splits repeats as evenly as the rounds allow, the first rounds one more', () => {
  assert.deepEqual(roundsOf({ repeats: 10, rounds: 4 }), [[0, 3], [3, 6], [6, 8], [8, 10]]);
  assert.deepEqual(roundsOf({ repeats: 3, rounds: 6 }), [[0, 1], [1, 2], [2, 3]]);
  assert.deepEqual(roundsOf({ repeats: 5 }), [[0, 5]]);
});

test('timing against a reference divides out a machine that runs twice as slow in a later batch', async () => {
  await initBackend('cpu');
  let slow = 1;
  const speed = () => slow;
  const scale = memoryScale();
  const a = timeAgainstReference([fakeNet(1, speed), fakeNet(3, speed)], fakeNet(2, speed), 'cpu', scale, settings);
  slow = 2;
  const b = timeAgainstReference([fakeNet(1, speed), fakeNet(3, speed)], fakeNet(2, speed), 'cpu', scale, settings);
  // Raw medians follow the machine; referenced ones stay in the first batch's scale.
  assert.ok(b[0]!.raw / a[0]!.raw > 1.7, `raw ${a[0]!.raw} then ${b[0]!.raw}`);
  for (const i of [0, 1]) {
    const ratio = b[i]!.median / a[i]!.median;
    assert.ok(Math.abs(ratio - 1) < 0.15, `network ${i}: referenced ${a[i]!.median} then ${b[i]!.median}`);
    assert.ok(b[i]!.p10 <= b[i]!.median && b[i]!.median <= b[i]!.p90, `p10 ${b[i]!.p10} median ${b[i]!.median} p90 ${b[i]!.p90}`);
  }
  // In the reference's first-measured milliseconds: the 1 ms and 3 ms networks read about 1 and 3.
  assert.ok(Math.abs(a[0]!.median - 1) < 0.2 && Math.abs(a[1]!.median - 3) < 0.5, `${a[0]!.median}, ${a[1]!.median}`);
});

test('a store keeps the reference scale, so a later run shares it', () => {
  const store = createMemoryStore();
  const one = blobScale(store, 'latency-scale:test');
  assert.equal(one.get('wasm'), undefined);
  one.set('wasm', 2.375);
  const two = blobScale(store, 'latency-scale:test');
  assert.equal(two.get('wasm'), 2.375);
  assert.equal(two.get('cpu'), undefined);
  assert.equal(blobScale(store, 'latency-scale:other').get('wasm'), undefined);
});
