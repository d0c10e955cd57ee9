import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STAGES } from '../src/benchmarks/ofa-mbv3/arch.js';
import { sampleOfaGenome } from '../src/benchmarks/ofa-mbv3/sample.js';
import { createOfaMbv3Space, genomeOf, layerNode, OFA_RESOLUTIONS, SKIP, subnetOf } from '../src/benchmarks/ofa-mbv3/space.js';
import { UserError } from '../src/errors.js';
import { sampleGenome } from '../src/predict/estimators/design.js';
import { createRng } from '../src/random.js';
import { countGenomes } from '../src/space/count.js';
import { isValidGenome, radices } from '../src/space/space.js';

const space = createOfaMbv3Space();
const TUTORIAL = 'r192|k5e3,k3e3|k5e4,k3e4|k7e6,k7e3,k3e4|k5e4,k5e4,k7e4,k3e3|k3e6,k3e6,k5e6';

test('ofa-mbv3 space: resolution node, 20 layer slots, skip only on slots 3 and 4', () => {
  assert.deepEqual(OFA_RESOLUTIONS, [160, 164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224]);
  assert.deepEqual(radices(space), [17, ...Array.from({ length: STAGES }, () => [9, 9, 10, 10]).flat()]);
  // Per stage 9^2 (depth 2) + 9^3 (depth 3) + 9^4 (depth 4) networks: the rules leave exactly these.
  assert.equal(countGenomes(space), 17n * (81n + 729n + 6561n) ** 5n);
  const fixed = createOfaMbv3Space({ resolutions: [224] });
  assert.equal(fixed.name, 'ofa-mbv3-r224');
  assert.equal(countGenomes(fixed), 7371n ** 5n);
  assert.throws(() => createOfaMbv3Space({ resolutions: [240] }), UserError);
  assert.throws(() => createOfaMbv3Space({ resolutions: [] }), UserError);
});

test('ofa-mbv3 space: depths 2-4 are valid, slot 4 without slot 3 is not', () => {
  const g = space.parse(TUTORIAL);
  assert.ok(isValidGenome(space, g));
  for (const depth of [2, 3, 4]) {
    const h = g.slice();
    for (let j = 2; j < 4; j++) h[layerNode(1, j)] = j < depth ? 0 : SKIP;
    assert.ok(isValidGenome(space, h), `depth ${depth}`);
    assert.equal(subnetOf(space, h).d[1], depth);
  }
  const gap = g.slice();
  gap[layerNode(3, 2)] = SKIP; // stage 4 has depth 4: its slot 4 is used
  assert.ok(!isValidGenome(space, gap));
  assert.equal(space.format(gap), 'r192|k5e3,k3e3|k5e4,k3e4|k7e6,k7e3,k3e4|k5e4,k5e4,skip,k3e3|k3e6,k3e6,k5e6');
  // Outside the rules the skip is an identity: the stage runs its other three layers, in order.
  const net = subnetOf(space, gap);
  assert.equal(net.d[3], 3);
  assert.deepEqual(net.ks.slice(12, 15), [5, 5, 3]);
  assert.deepEqual(net.e.slice(12, 15), [4, 4, 3]);
});

test('ofa-mbv3 space: format and parse round-trip, OFA configs too', () => {
  assert.equal(space.format(space.parse(TUTORIAL)), TUTORIAL);
  const rng = createRng(7);
  for (let k = 0; k < 200; k++) {
    const g = k % 2 ? sampleGenome(space, rng) : sampleOfaGenome(space, rng);
    assert.deepEqual(space.parse(space.format(g)), g);
    assert.deepEqual(genomeOf(space, subnetOf(space, g)), g);
    const raw = space.nodes.map((n) => rng.int(n.blocks.length)); // rules ignored: still round-trips
    assert.deepEqual(space.parse(space.format(raw)), raw);
  }
  assert.deepEqual(space.parse('r160|k3e3,k3e3|k3e3,k3e3,skip,skip|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3'), space.parse('r160|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3'));
});

test('ofa-mbv3 space: malformed strings and configs are user errors', () => {
  const bad = [
    'r228|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // resolution outside the space
    'r224|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // 4 stages
    'r224|k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // depth 1
    'r224|k3e3,k3e3,k3e3,k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // depth 5
    'r224|k3e3,skip|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // skip on slot 2
    'r224|k9e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3', // no such kernel
  ];
  for (const text of bad) assert.throws(() => space.parse(text), UserError, text);
  const ok = subnetOf(space, space.parse(TUTORIAL));
  assert.throws(() => genomeOf(space, { ...ok, r: 228 }), UserError);
  assert.throws(() => genomeOf(space, { ...ok, d: [1, 2, 3, 4, 4] }), UserError);
  assert.throws(() => genomeOf(space, { ...ok, ks: [...ok.ks.slice(0, 16), 9, ...ok.ks.slice(17)] }), UserError);
  // A slot past the stage's depth is ignored, as in OFA.
  assert.deepEqual(genomeOf(space, { ...ok, ks: [...ok.ks.slice(0, 19), 9] }), space.parse(TUTORIAL));
});
