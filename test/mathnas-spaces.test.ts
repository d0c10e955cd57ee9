import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countGenomes } from '../src/space/count.js';
import { readMathnasTables, stageCandidateLists } from '../src/benchmarks/mathnas-data.js';
import { createRng } from '../src/random.js';
import { allGenomes, createSpace, isValidGenome, productSize, radices, satisfiesRules } from '../src/space/space.js';
import type { Genome, SearchSpace } from '../src/space/types.js';
import { createMobilenetV3Space, genomeFromOfaConfig, ofaConfig } from '../src/spaces/mobilenetv3/space.js';
import { genomeFromHatConfig, hatConfigFromGenome } from '../src/spaces/supertransformer/hat-config.js';
import { ABSENT, createSuperTransformerSpace, decoderDepth, decoderNode } from '../src/spaces/supertransformer/space.js';
import { decodeChoice, SUPERVIT_GROUPS, SUPERVIT_RESOLUTIONS, supervitCode, supervitConfig } from '../src/spaces/supervit/choices.js';
import { createSupervitSpace, supervitChoices, supervitGenome } from '../src/spaces/supervit/space.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const TABLES = 'mathnas/mathnas_tables.json';

/** A random genome that obeys the rules, built by the space's own structure. */
function randomSuperTransformer(rand: () => number): number[] {
  const space = createSuperTransformerSpace();
  const depth = 1 + Math.floor(rand() * 6);
  return space.nodes.map((n, i) => (i >= decoderNode(depth) ? ABSENT : Math.floor(rand() * (i >= decoderNode(1) ? n.blocks.length - 1 : n.blocks.length))));
}

function roundTrips(space: SearchSpace, g: Genome): void {
  const text = space.format(g);
  assert.deepEqual(space.parse(text), [...g], `${space.name}: "${text}" does not parse back`);
}

test('rule-aware count equals enumeration on a toy space with suffix-absent rules', () => {
  const block = (id: string) => ({ id, label: id, attrs: {} });
  const nodes = Array.from({ length: 5 }, (_, i) => ({ id: `n${i}`, label: `n${i}`, blocks: [block('a'), block('b'), block('absent')] }));
  const rules = [1, 2, 3].map((k) => ({
    name: `${k} absent => ${k + 1} absent`,
    terms: [{ node: k + 1, block: 2, coef: 1 }, { node: k, block: 2, coef: -1 }],
    op: '>=' as const,
    rhs: 0,
  }));
  const space = createSpace({ name: 'toy', nodes, rules });
  let enumerated = 0n;
  for (const g of allGenomes(radices(space))) if (satisfiesRules(rules, g)) enumerated++;
  assert.equal(countGenomes(space), enumerated);
});

test('SuperTransformer: 6 encoder x 6 options, 6 decoder layers x 36 options, depth 1-6 by suffix rules', () => {
  const space = createSuperTransformerSpace();
  assert.deepEqual(radices(space), [6, 6, 6, 6, 6, 6, 36, 37, 37, 37, 37, 37]);
  let decoders = 0n;
  for (let d = 1; d <= 6; d++) decoders += 36n ** BigInt(d);
  assert.equal(countGenomes(space), 6n ** 6n * decoders);
  // Over the absent flags of layers 2-6, exactly the 6 suffixes obey the rules, and depth reads them back.
  const base = space.nodes.map(() => 0);
  let valid = 0;
  for (let mask = 0; mask < 32; mask++) {
    const g = base.map((b, i) => (i > decoderNode(0) && (mask >> (i - decoderNode(1))) & 1 ? ABSENT : b));
    if (!satisfiesRules(space.rules, g)) continue;
    valid++;
    const depth = decoderDepth(g);
    assert.ok(g.slice(decoderNode(depth)).every((b) => b === ABSENT), `depth ${depth}: absent layers are a suffix`);
  }
  assert.equal(valid, 6);
});

test('SuperTransformer strings and HAT configs round-trip', () => {
  const space = createSuperTransformerSpace();
  const rand = createRng(7).next;
  for (let k = 0; k < 300; k++) {
    const g = randomSuperTransformer(rand);
    assert.ok(isValidGenome(space, g), `random genome ${g.join(',')} obeys the rules`);
    roundTrips(space, g);
    assert.deepEqual(genomeFromHatConfig(hatConfigFromGenome(g)), g);
  }
  const gap = space.parse('f1024h4,f1024h4,f1024h4,f1024h4,f1024h4,f3072h8|f3072s8e8a2,-,f1024s4e4a-1');
  assert.equal(satisfiesRules(space.rules, gap), false);
  roundTrips(space, gap);
  assert.throws(() => space.parse('f1024h4|f3072s8e8a2'), /6 encoder layers/);
  assert.throws(() => space.parse('f1024h4,f1024h4,f1024h4,f1024h4,f1024h4,f9h8|f3072s8e8a2'), /no option "f9h8"/);
});

test('SuperViT: lifted space holds 4 x prod(groups) architectures, decodes like utils.supervit_decode', () => {
  const space = createSupervitSpace();
  assert.deepEqual(radices(space), [4, ...SUPERVIT_GROUPS.map((n) => 4 * n)]);
  const perResolution = SUPERVIT_GROUPS.reduce((p, n) => p * BigInt(n), 1n);
  assert.equal(countGenomes(space), BigInt(SUPERVIT_RESOLUTIONS.length) * perResolution);
  assert.ok(productSize(space) > countGenomes(space), 'the lifting rules cut the product space');
  // Every choice decodes to a distinct setting of its group, and configs map back to the same codes.
  SUPERVIT_GROUPS.forEach((n, g) => {
    const seen = new Set(Array.from({ length: n }, (_, c) => JSON.stringify(decodeChoice(g, c))));
    assert.equal(seen.size, n, `group ${g} choices are distinct`);
  });
  const rand = createRng(11).next;
  for (let k = 0; k < 300; k++) {
    const res = SUPERVIT_RESOLUTIONS[Math.floor(rand() * 4)]!;
    const code = SUPERVIT_GROUPS.map((n) => Math.floor(rand() * n));
    assert.deepEqual(supervitCode(supervitConfig(res, code)), code);
    const g = supervitGenome(res, code);
    assert.ok(isValidGenome(space, g), 'a genome from a code obeys the lifting rules');
    assert.deepEqual(supervitChoices(g), { resolution: res, code });
    roundTrips(space, g);
  }
  const mixed = space.parse('r224|0,1,0,15@288,1,3,12,0,0');
  assert.equal(satisfiesRules(space.rules, mixed), false);
  roundTrips(space, mixed);
  assert.throws(() => space.parse('r200|0,0,0,0,0,0,0,0,0'), /resolution 200/);
});

test('MobileNetV3: both candidate sets give 5 x 5 spaces whose strings and OFA configs round-trip', { skip: needsData(TABLES) }, () => {
  const tables = readMathnasTables(DATA_DIR);
  for (const set of ['cpu', 'gpu'] as const) {
    const space = createMobilenetV3Space(set, stageCandidateLists(tables, set));
    assert.deepEqual(radices(space), [5, 5, 5, 5, 5]);
    assert.equal(countGenomes(space), 3125n);
    for (const g of allGenomes(radices(space))) {
      roundTrips(space, g);
      assert.deepEqual(genomeFromOfaConfig(space, ofaConfig(space, g)), g);
    }
  }
});
