import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpace } from '../src/analysis/analyze.js';
import { archDiversity, archDiversityWeighted, LAYER_TYPES, totalVarianceStandardError, type LayerType } from '../src/analysis/features.js';
import {
  ARCH_SAMPLE,
  distinctNetworks,
  mobilenetV3Active,
  mobilenetV3Layers,
  NO_PROXY_REASON,
  sampleByRejection,
  sampleSupervit,
  superTransformerLayers,
  superTransformerMixes,
  supervitLayers,
  supervitMixes,
} from '../src/analysis/mathnas.js';
import { HAT_LATENCY_CSV } from '../src/benchmarks/mathnas-hat-layer.js';
import { MATHNAS_TABLES } from '../src/benchmarks/mathnas-nb201.js';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';
import { createRng } from '../src/random.js';
import { countGenomes } from '../src/space/count.js';
import { isValidGenome } from '../src/space/space.js';
import { createMobilenetV3Space, type StageCandidate } from '../src/spaces/mobilenetv3/space.js';
import { createSuperTransformerSpace, decoderDepth } from '../src/spaces/supertransformer/space.js';
import { createSupervitSpace, supervitGenome } from '../src/spaces/supervit/space.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skipTables = needsData(MATHNAS_TABLES);
const skipAll = needsData(MATHNAS_TABLES, HAT_LATENCY_CSV);

const countOf = (layers: readonly LayerType[]) =>
  Object.fromEntries(LAYER_TYPES.map((t) => [t, layers.filter((x) => x === t).length]).filter(([, n]) => n));

const cand = (d: number, ks: number[], e: number[] = [3, 3, 3, 3]): StageCandidate => ({ d, ks, e });

test('the new layer types are appended, so the earlier types keep their positions', () => {
  assert.deepEqual(LAYER_TYPES.slice(0, 10), ['none', 'skip', 'conv1x1', 'conv3x3', 'sep_conv3x3', 'sep_conv5x5', 'dil_conv3x3', 'dil_conv5x5', 'max_pool3x3', 'avg_pool3x3']);
  assert.deepEqual(LAYER_TYPES.slice(10), ['mbconv3x3', 'mbconv5x5', 'mbconv7x7', 'self_attention', 'ende_attention', 'feed_forward']);
});

test('weighted diversity equals the diversity of the list with each entry repeated, and its standard error by hand', () => {
  const a: LayerType[] = ['conv3x3', 'conv3x3'];
  const b: LayerType[] = ['skip', 'conv3x3'];
  const w = archDiversityWeighted([
    { layers: a, weight: 1 },
    { layers: b, weight: 3 },
  ]);
  const plain = archDiversity([a, b, b, b]);
  assert.equal(w.archs, 4);
  // Fractions conv3x3 1, .5, .5, .5 (mean .625, variance .046875), skip the complement: total 0.09375.
  assertClose(w.totalVariance, 0.09375, 1e-15, 'weighted total variance');
  assertClose(plain.totalVariance, 0.09375, 1e-15, 'plain total variance');
  // (1,0), (0,1), (0,1): squared distances to the mean 8/9, 2/9, 2/9; their SD is √12/9, over √3 gives 2/9.
  assertClose(totalVarianceStandardError([['conv3x3'], ['skip'], ['skip']]), 2 / 9, 1e-15, 'standard error');
});

test('MobileNetV3: a stage runs its first d layers, typed by kernel; unused slots do not make networks distinct', () => {
  const stages = [
    [cand(2, [3, 7, 5, 5]), cand(2, [3, 7, 3, 3]), cand(4, [5, 5, 7, 3])],
    [cand(1, [7, 3, 3, 3]), cand(3, [3, 5, 7, 7])],
    [cand(2, [5, 5, 5, 5])],
    [cand(3, [3, 3, 3, 3])],
    [cand(1, [3, 3, 3, 3]), cand(1, [3, 3, 3, 3], [6, 3, 3, 3])],
  ];
  const space = createMobilenetV3Space('cpu', stages);
  // Stage 1 cand 0: k3 k7 | stage 2 cand 1: k3 k5 k7 | stage 3: k5 k5 | stage 4: k3 k3 k3 | stage 5 cand 1: k3.
  assert.deepEqual(mobilenetV3Layers(space, [0, 1, 0, 0, 1]), [
    'mbconv3x3',
    'mbconv7x7',
    'mbconv3x3',
    'mbconv5x5',
    'mbconv7x7',
    'mbconv5x5',
    'mbconv5x5',
    'mbconv3x3',
    'mbconv3x3',
    'mbconv3x3',
    'mbconv3x3',
  ]);
  // Stage 1: candidates 0 and 1 differ only in slots 3-4, which a depth-2 stage never runs. Stage 5 differs in the
  // expansion of its one active layer, which is a different network.
  assert.equal(mobilenetV3Active(space, 0, 0), mobilenetV3Active(space, 0, 1));
  const d = distinctNetworks(space, (i, b) => mobilenetV3Active(space, i, b));
  assert.deepEqual(d.perNode, [2, 2, 1, 1, 2]);
  assert.equal(d.unique, 8n);
  assert.equal(countGenomes(space), 12n);
});

test('MobileNetV3 from the data: hand-counted layers of the smallest and largest nets, 3,125 distinct networks', { skip: skipTables }, () => {
  const { space } = mathnasTable(DATA_DIR, 'mobilenetv3');
  // CPU candidates 0: d2 k33, d3 k533, d3 k553, d3 k333, d2 k33.
  assert.deepEqual(countOf(mobilenetV3Layers(space, [0, 0, 0, 0, 0])), { mbconv3x3: 10, mbconv5x5: 3 });
  // Candidates 4: k3335, k7577, k7777, k7557, k5357 (all d4).
  assert.deepEqual(countOf(mobilenetV3Layers(space, [4, 4, 4, 4, 4])), { mbconv3x3: 4, mbconv5x5: 6, mbconv7x7: 10 });
  assert.equal(countGenomes(space), 3125n);
  for (const device of ['raspberrypi', 'tx2gpu']) {
    const s = mathnasTable(DATA_DIR, 'mobilenetv3', device).space;
    assert.deepEqual(distinctNetworks(s, (i, b) => mobilenetV3Active(s, i, b)), { unique: 3125n, perNode: [5, 5, 5, 5, 5] }, device);
  }
});

test('SuperTransformer: layers of a 2-layer decoder, the exact count under the depth rules, unique = total', () => {
  const space = createSuperTransformerSpace();
  const g = space.parse('f3072h8,f1024h4,f2048h8,f2048h4,f3072h4,f1024h8|f1024s4e8a-1,f2048s8e4a2');
  const layers = superTransformerLayers(space, g);
  assert.equal(layers.length, 6 * 2 + 2 * 3);
  assert.deepEqual(countOf(layers), { self_attention: 8, ende_attention: 2, feed_forward: 8 });
  assert.deepEqual(layers.slice(12, 15), ['self_attention', 'ende_attention', 'feed_forward']);
  const expected = 6n ** 6n * [1n, 2n, 3n, 4n, 5n, 6n].reduce((s, d) => s + 36n ** d, 0n);
  assert.equal(expected, 104_461_669_668_096n);
  assert.equal(countGenomes(space), expected);
  const d = distinctNetworks(space, (i, b) => JSON.stringify(space.nodes[i]!.blocks[b]!.attrs));
  assert.equal(d.unique, expected);
});

test('SuperTransformer: the rejection sample is valid and its depths follow 36^d; exact variance by hand', () => {
  const space = createSuperTransformerSpace();
  const { genomes, draws } = sampleByRejection(space, 4000, createRng(7));
  assert.ok(genomes.every((g) => isValidGenome(space, g)), 'every sampled genome satisfies the depth rules');
  const weights = [1, 2, 3, 4, 5, 6].map((d) => 36 ** d);
  const z = weights.reduce((a, b) => a + b, 0);
  // P(accept) = Σ_d 36^d / (36 · 37^5) = 0.8973.
  assertClose(genomes.length / draws, z / (36 * 37 ** 5), 0.02, 'acceptance rate');
  const depth6 = genomes.filter((g) => decoderDepth(g) === 6).length / genomes.length;
  assertClose(depth6, weights[5]! / z, 0.01, 'share of 6-layer decoders');

  // Fractions at decoder depth d: self-attention and FFN (6 + d)/(12 + 3d) each, en-de attention d/(12 + 3d).
  const frac = (d: number) => [(6 + d) / (12 + 3 * d), d / (12 + 3 * d), (6 + d) / (12 + 3 * d)];
  let total = 0;
  for (let j = 0; j < 3; j++) {
    const m = weights.reduce((s, w, k) => s + w * frac(k + 1)[j]!, 0) / z;
    total += weights.reduce((s, w, k) => s + w * (frac(k + 1)[j]! - m) ** 2, 0) / z;
  }
  const mixes = superTransformerMixes(space);
  const exact = archDiversityWeighted(mixes);
  assert.equal(BigInt(exact.archs), countGenomes(space));
  assertClose(exact.totalVariance, total, 1e-15, 'exact total variance');
  assertClose(exact.totalVariance, 9.978e-6, 1e-9, 'exact total variance, figure');
});

test('SuperViT: hand-counted layers of the minimal and maximal nets, size and unique', () => {
  const space = createSupervitSpace();
  // Minimal: stem; MBConv-1 depth 1; MBConv-2, -3 depth 3; stages 4-7 depth 3 = 1 MBConv + 2 transformer layers; head.
  const min = supervitLayers(space, supervitGenome(224, [0, 0, 0, 0, 0, 0, 0, 0, 0]));
  const vit: LayerType[] = ['self_attention', 'feed_forward', 'feed_forward'];
  const stage: LayerType[] = ['mbconv3x3', ...vit, ...vit];
  assert.deepEqual(min, [
    'conv3x3',
    'mbconv3x3',
    ...new Array<LayerType>(6).fill('mbconv3x3'),
    ...stage,
    ...stage,
    ...stage,
    ...stage,
    'conv1x1',
    'conv1x1',
  ]);
  assert.deepEqual(countOf(min), { conv1x1: 2, conv3x3: 1, mbconv3x3: 11, self_attention: 8, feed_forward: 16 });
  // Maximal: MBConv-1 depth 2 k5; MBConv-2 depth 5 k5; MBConv-3 depth 6 k3; stages 4-7 depths 6, 9, 8, 6.
  const max = supervitLayers(space, supervitGenome(288, [1, 7, 35, 23, 23, 62, 23, 11, 1]));
  assert.deepEqual(countOf(max), { conv1x1: 2, conv3x3: 1, mbconv3x3: 10, mbconv5x5: 7, self_attention: 25, feed_forward: 50 });
  assert.equal(countGenomes(space), 4n * 2n * 8n * 36n * 24n * 24n * 63n * 24n * 12n * 2n);
  const d = distinctNetworks(space, (i, b) => {
    const { choice: _code, ...build } = space.nodes[i]!.blocks[b]!.attrs;
    return JSON.stringify(build);
  });
  assert.equal(d.unique, 48_157_949_952n);
});

test('SuperViT: the sample is valid and close to the exact variance of the weighted layer mixes', () => {
  const space = createSupervitSpace();
  const genomes = sampleSupervit(3000, createRng(3));
  assert.ok(genomes.every((g) => isValidGenome(space, g)), 'every sampled genome satisfies the lifting rules');
  const sample = genomes.map((g) => supervitLayers(space, g));
  const mixes = supervitMixes(space);
  // 1 · 4 · 6 · 4 · 4 · 7 · 6 · 4 · 1 distinct (depth, kernel) mixes per group.
  assert.equal(mixes.length, 64_512);
  const exact = archDiversityWeighted(mixes);
  assert.equal(BigInt(exact.archs), countGenomes(space));
  const se = totalVarianceStandardError(sample);
  assertClose(archDiversity(sample).totalVariance, exact.totalVariance, 4 * se, 'sampled vs exact total variance');
  assertClose(exact.totalVariance, 0.004195, 5e-7, 'exact total variance, figure');
});

test('MathNAS spaces in the analysis: no PDS or Kendall (with the reason), one named task, checks pass', { skip: skipAll }, () => {
  const mb = analyzeSpace('mobilenetv3', DATA_DIR);
  assert.equal(mb.size.total, '3125');
  assert.equal(mb.size.unique, '3125');
  assert.equal(mb.architectureDiversity.population, 'full');
  assert.equal(mb.architectureDiversity.archs, 3125);
  assertClose(mb.architectureDiversity.totalVariance, 0.04179912035102173, 1e-12, 'mobilenetv3 arch var');
  const st = analyzeSpace('supertransformer', DATA_DIR);
  assert.equal(st.size.total, '104461669668096');
  assert.equal(st.architectureDiversity.population, 'sample');
  assert.equal(st.architectureDiversity.archs, ARCH_SAMPLE);
  const vit = analyzeSpace('supervit', DATA_DIR);
  assert.equal(vit.size.total, '48157949952');
  assert.deepEqual(vit.size.alternatives, { networksIgnoringResolution: 12_039_487_488 });
  assert.equal(vit.architectureDiversity.archs, ARCH_SAMPLE);
  for (const [s, task] of [
    [mb, 'imagenet'],
    [st, 'wmt14-en-de'],
    [vit, 'imagenet'],
  ] as const) {
    assert.equal(s.performanceDiversity, null, `${s.name}: PDS`);
    assert.deepEqual(s.notAvailable, [{ property: 'performanceDiversity', reason: NO_PROXY_REASON }], s.name);
    assert.deepEqual(s.multiTask.tasks, [task], s.name);
    assert.equal(s.multiTask.count, 1, s.name);
    assert.match(s.multiTask.source ?? '', new RegExp(`accuracy:${task}`), s.name);
    assert.ok(s.checks.every((c) => c.ok), `${s.name}: ${JSON.stringify(s.checks)}`);
  }
  // The seeded samples reproduce.
  assertClose(st.architectureDiversity.totalVariance, 1.0016007964401552e-5, 1e-15, 'supertransformer arch var');
  assertClose(vit.architectureDiversity.totalVariance, 0.004196795549581105, 1e-12, 'supervit arch var');
});
