import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../src/errors.js';
import { createTrainEvaluator, DEFAULT_TRAIN_SETTINGS, learningRate, TRAIN_SECONDS, type TrainSettings } from '../src/eval/train.js';
import { buildMbv3Mini } from '../src/spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace } from '../src/spaces/mbv3-mini/space.js';
import { assertClose } from './helpers/assert.js';

const space = createMbv3MiniSpace();
const trainer = (settings: Partial<TrainSettings>) => createTrainEvaluator({ build: buildMbv3Mini, settings });

test('train evaluator learns MNIST well above chance from 1,000 images in one epoch', async () => {
  const ev = trainer({ dataset: 'mnist', epochs: 1, trainSize: 1000, valSize: 1000, testSize: 500 });
  assert.deepEqual(ev.provides.map((m) => [m.id, m.source]), [
    ['accuracy:mnist-val', 'measured'],
    ['accuracy:mnist-test', 'measured'],
    [TRAIN_SECONDS, 'measured'],
  ]);
  const [m] = await ev.evaluate([space.parse('k3e3d2|k3e3d2|k3e3d2|exit-none')]);
  // Ten classes: chance is 10%. One epoch here is 31 Adam steps of 32 images.
  assert.ok(m!['accuracy:mnist-val']! > 25, `validation accuracy ${m!['accuracy:mnist-val']}%`);
  assert.ok(m!['accuracy:mnist-test']! > 25, `test accuracy ${m!['accuracy:mnist-test']}%`);
  assert.ok(m![TRAIN_SECONDS]! > 0, `train-seconds ${m![TRAIN_SECONDS]}`);
});

test('same seed, same accuracies (wasm, single-threaded); another seed, other accuracies; exits get their own', async () => {
  const settings = { dataset: 'mnist', epochs: 1, trainSize: 256, valSize: 300, testSize: 200 } as const;
  const arch = space.parse('k3e3d2|k5e3d2-p3|k3e3d2-dense|exit-s1');
  const [a] = await trainer({ ...settings, seed: 1 }).evaluate([arch]);
  const tensors = tf.memory().numTensors;
  const [b] = await trainer({ ...settings, seed: 1 }).evaluate([arch]);
  const [c] = await trainer({ ...settings, seed: 2 }).evaluate([arch]);
  assert.equal(tf.memory().numTensors, tensors, 'training frees every tensor it makes');
  const ids = ['accuracy:mnist-val', 'accuracy:mnist-test', 'accuracy:mnist-val-exit1', 'accuracy:mnist-test-exit1'];
  for (const id of ids) assert.equal(typeof a![id], 'number', `${id} reported`);
  assert.deepEqual(ids.map((id) => b![id]), ids.map((id) => a![id]));
  assert.notDeepEqual(ids.map((id) => c![id]), ids.map((id) => a![id]));
});

test('learning-rate schedules: cosine from the peak to zero, step by gamma every k epochs', () => {
  const s = { ...DEFAULT_TRAIN_SETTINGS, lr: 0.2 };
  assertClose(learningRate(s, 0, 100, 0), 0.2, 1e-12, 'cosine start');
  assertClose(learningRate(s, 50, 100, 0), 0.1, 1e-12, 'cosine middle');
  assertClose(learningRate(s, 99, 100, 0), 0.2 * (1 + Math.cos((Math.PI * 99) / 100)) / 2, 1e-12, 'cosine end');
  const step = { ...s, schedule: { kind: 'step', everyEpochs: 2, gamma: 0.5 } as const };
  assert.deepEqual([0, 1, 2, 3, 4].map((e) => learningRate(step, 0, 100, e)), [0.2, 0.2, 0.1, 0.1, 0.05]);
});

test('bad settings are one-line UserErrors naming the field (the CLI shows its flag)', async () => {
  const bad: [Partial<TrainSettings>, string, RegExp][] = [
    [{ epochs: 0 }, 'epochs', /^epochs: expected a positive integer, got 0$/],
    [{ batchSize: 2.5 }, 'batchSize', /^batchSize: expected a positive integer/],
    [{ lr: -1 }, 'lr', /^lr: expected a positive number/],
    [{ optimizer: 'rmsprop' as 'sgd' }, 'optimizer', /^optimizer: expected sgd or adam/],
    [{ trainSize: -3 }, 'trainSize', /^trainSize: expected a positive integer/],
    [{ schedule: { kind: 'step', everyEpochs: 0, gamma: 0.1 } }, 'lrSchedule', /^lrSchedule: step/],
  ];
  for (const [settings, field, re] of bad) {
    assert.throws(() => trainer(settings), (e) => e instanceof UserError && e.field === field && re.test(e.message) && !e.message.includes('\n'), JSON.stringify(settings));
  }
  const tooFew = trainer({ trainSize: 10, batchSize: 32 });
  await assert.rejects(tooFew.evaluate([space.parse('k3e3d2|k3e3d2|k3e3d2|exit-none')]), (e) => e instanceof UserError && e.field === 'batchSize' && /^batchSize: 32 is larger than the 10 training images/.test(e.message));
});
