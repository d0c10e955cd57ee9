import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { blobScale, memoryScale, timeAgainstReference } from '../src/eval/latency-reference.js';
import { roundsOf, type TimedNet } from '../src/eval/latency-timing.js';
import { createMemoryStore } from '../src/store/memory.js';
import { initBackend } from '../src/tfjs/backend.js';

/**
 * A "machine" on a virtual clock: every run of a "network" takes base · speed() ms, with a deterministic jitter of
 * up to ±10 % so medians have something to do. Wall-clock busy waits made this test fail whenever the suite's
 * parallel tests preempted it (a scheduler slice lands on a few-ms run); the virtual clock tests the same arithmetic.
 */
function virtualMachine() {
  let now = 0;
  let calls = 0;
  const clock = () => now;
  const net = (baseMs: number, speed: () => number): TimedNet => {
    const run = () => {
      calls++;
      now += baseMs * speed() * (1 + 0.1 * Math.sin(calls * 12.9898));
      return [tf.zeros([1, 1]) as tf.Tensor2D];
    };
    return { inference: () => ({ run, dispose: () => {} }), dispose: () => {} };
  };
  return { clock, net };
}

const settings = { warmup: 0, warmupMs: 0, repeats: 12, rounds: 4, inputShape: [1, 1, 1] as const };
const machine = virtualMachine();
const fakeNet = machine.net;
const timing = { ...settings, clock: machine.clock };

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
  const a = timeAgainstReference([fakeNet(1, speed), fakeNet(3, speed)], fakeNet(2, speed), 'cpu', scale, timing);
  slow = 2;
  const b = timeAgainstReference([fakeNet(1, speed), fakeNet(3, speed)], fakeNet(2, speed), 'cpu', scale, timing);
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
