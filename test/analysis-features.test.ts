import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enumerateGenomes } from '../src/space/count.js';
import { dartsLayers } from '../src/analysis/darts.js';
import { archDiversity, layerFractions, LAYER_TYPES, type LayerType } from '../src/analysis/features.js';
import { nb101Layers } from '../src/analysis/nb101.js';
import { nb201LayersOf } from '../src/analysis/nb201-layers.js';
import { tnbMacroLayers, tnbMicroLayers } from '../src/analysis/tnb101.js';
import { createSpace } from '../src/space/space.js';
import { assertClose } from './helpers/assert.js';

const countOf = (layers: readonly LayerType[]) =>
  Object.fromEntries(LAYER_TYPES.map((t) => [t, layers.filter((x) => x === t).length]).filter(([, n]) => n));

test('total variance of two hand-made architectures', () => {
  // Fractions: conv3x3 1 and 0.5, skip 0 and 0.5: each has population variance 0.25² = 0.0625.
  const d = archDiversity([
    ['conv3x3', 'conv3x3'],
    ['skip', 'conv3x3'],
  ]);
  assert.equal(d.archs, 2);
  assertClose(d.totalVariance, 0.125, 1e-15, 'total variance');
  assertClose(d.perType.conv3x3!.mean, 0.75, 1e-15, 'conv3x3 mean');
  assert.equal(d.perType.none, undefined);
  assert.equal(archDiversity([['conv3x3'], ['conv3x3']]).totalVariance, 0);
  assert.deepEqual([...layerFractions([])], LAYER_TYPES.map(() => 0));
});

test('a full product space of S slots and K ops has total variance (1 − 1/K) / S', () => {
  // Each fraction is Binomial(S, 1/K)/S: variance (1/K)(1 − 1/K)/S, summed over K types.
  const ops: LayerType[] = ['skip', 'conv1x1', 'max_pool3x3'];
  const slots = 4;
  const space = createSpace({
    name: 'grid',
    nodes: Array.from({ length: slots }, (_, i) => ({ id: `s${i}`, label: `s${i}`, blocks: ops.map((id) => ({ id, label: id, attrs: {} })) })),
  });
  const archs = [...enumerateGenomes(space)].map((g) => g.map((b) => ops[b]!));
  assertClose(archDiversity(archs).totalVariance, (1 - 1 / ops.length) / slots, 1e-12, 'total variance');
});

test('NB201 arch string to layers', () => {
  assert.deepEqual(nb201LayersOf('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|'), [
    'conv3x3',
    'none',
    'skip',
    'avg_pool3x3',
    'conv1x1',
    'none',
  ]);
});

test('NB101 cell to layers: vertices off every input-output path are pruned as NB101 does', () => {
  // 0→1→4(out), 0→2→4, vertex 3 reads 1 but feeds nothing: dead.
  const cell = JSON.stringify({
    matrix: [
      [0, 1, 1, 0, 0],
      [0, 0, 0, 1, 1],
      [0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ],
    ops: ['input', 'conv3x3-bn-relu', 'maxpool3x3', 'conv1x1-bn-relu', 'output'],
  });
  assert.deepEqual(nb101Layers(cell), ['conv3x3', 'max_pool3x3']);
  assert.throws(() => nb101Layers('{"matrix":[[0]],"ops":["input"]}'), /expected \{matrix: n×n/);
  assert.throws(() => nb101Layers(cell.replace('maxpool3x3', 'conv5x5')), /unknown op "conv5x5"/);
});

test('NB301 genotype to layers, and genotypes outside the space are rejected', () => {
  const pairs = (op: string) => [[op, 0], ['skip_connect', 1], [op, 2], ['max_pool_3x3', 0], [op, 3], ['dil_conv_5x5', 1], [op, 4], ['avg_pool_3x3', 0]];
  const g = { normal: pairs('sep_conv_3x3'), reduce: pairs('dil_conv_3x3') };
  const layers = dartsLayers(JSON.stringify(g));
  assert.equal(layers.length, 16);
  assert.deepEqual(countOf(layers), { skip: 2, sep_conv3x3: 4, dil_conv3x3: 4, dil_conv5x5: 2, max_pool3x3: 2, avg_pool3x3: 2 });
  const twice = { ...g, normal: [['sep_conv_3x3', 1], ['skip_connect', 1], ...g.normal.slice(2)] };
  assert.throws(() => dartsLayers(JSON.stringify(twice)), /normal node 0 reads input 1 twice/);
  const future = { ...g, reduce: [['sep_conv_3x3', 2], ...g.reduce.slice(1)] };
  assert.throws(() => dartsLayers(JSON.stringify(future)), /reduce pair 0 is not \[op, input < 2\]/);
  assert.throws(() => dartsLayers(JSON.stringify({ ...g, normal: pairs('conv_7x1') })), /unknown op "conv_7x1"/);
});

test('TNB101 strings to layers', () => {
  assert.deepEqual(tnbMicroLayers('64-41414-1_00_210'), ['skip', 'none', 'none', 'conv1x1', 'skip', 'none']);
  assert.throws(() => tnbMicroLayers('64-41414-4_00_210'), /expected a string like/);
  // Four modules: 8 basic blocks, 16 3×3 convs; modules 2, 4, 2 change shape (1×1 projection), module 1 does not.
  assert.deepEqual(countOf(tnbMacroLayers('64-1242-basic')), { skip: 5, conv1x1: 3, conv3x3: 16 });
});
