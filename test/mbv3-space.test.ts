import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/errors.js';
import { createRng } from '../src/random.js';
import { countGenomes } from '../src/space/count.js';
import { isValidGenome, productSize, radices } from '../src/space/space.js';
import { mbv3MiniCost } from '../src/spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace, EXIT_NODE, mbv3MiniConfig, stageNodes } from '../src/spaces/mbv3-mini/space.js';

const space = createMbv3MiniSpace();

function randomValid(seed: number): number[] {
  const rng = createRng(seed);
  for (;;) {
    const g = radices(space).map((r) => rng.int(r));
    if (isValidGenome(space, g)) return g;
  }
}

test('mbv3-mini has 12 nodes and 55 blocks', () => {
  assert.equal(space.nodes.length, 12);
  assert.equal(radices(space).reduce((a, b) => a + b, 0), 55);
  assert.deepEqual(space.nodes.map((n) => n.id), [
    's1-ke', 's1-depth', 's1-par',
    's2-ke', 's2-depth', 's2-par', 's2-dense',
    's3-ke', 's3-depth', 's3-par', 's3-dense',
    'exit',
  ]);
});

test('format and parse round-trip, and the string spells out each stage', () => {
  for (let seed = 0; seed < 50; seed++) {
    const g = randomValid(seed);
    assert.deepEqual(space.parse(space.format(g)), g, `seed ${seed}: ${space.format(g)}`);
  }
  const g = space.parse('k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1');
  const c = mbv3MiniConfig(g);
  assert.deepEqual(c.stages.map((s) => [s.kernel, s.expand, s.depth, s.parallelKernel, s.dense, s.exit]), [
    [5, 4, 3, null, false, true],
    [3, 6, 2, 5, true, false],
    [7, 4, 4, null, true, false],
  ]);
  assert.equal(g[EXIT_NODE], 1);
});

test('rules forbid a parallel branch with the stage kernel, and nothing else', () => {
  const same = space.parse('k5e4d3|k3e6d2-p3|k7e4d4|exit-none');
  assert.equal(isValidGenome(space, same), false);
  const other = space.parse('k5e4d3|k3e6d2-p7|k7e4d4|exit-none');
  assert.equal(isValidGenome(space, other), true);
  // Per stage, 9 k/e blocks x 4 parallel choices minus the 9 same-kernel pairs.
  let valid = 0;
  const n = stageNodes(1);
  for (let ke = 0; ke < 9; ke++) {
    for (let par = 0; par < 4; par++) {
      const g = [...other];
      g[n.ke] = ke;
      g[n.par] = par;
      if (isValidGenome(space, g)) valid++;
    }
  }
  assert.equal(valid, 27);
  // 27 (k/e, parallel) pairs x 3 depths per stage, 2 dense choices for stages 2 and 3, 3 exits.
  assert.equal(countGenomes(space), BigInt(81 * 162 * 162 * 3));
  assert.equal(productSize(space), BigInt(108 * 216 * 216 * 3));
});

test('malformed strings are UserErrors that say what is wrong', () => {
  const bad: [string, RegExp][] = [
    ['k5e4d3|k3e6d2|exit-none', /3 stages and an exit/],
    ['k5e4d3-dense|k3e6d2|k7e4d4|exit-none', /stage 1 cannot have a dense skip/],
    ['k4e4d3|k3e6d2|k7e4d4|exit-none', /kernel x expansion "k4e4"/],
    ['k5e4d5|k3e6d2|k7e4d4|exit-none', /depth "d5"/],
    ['k5e4d3|k3e6d2|k7e4d4|exit-s3', /exit "exit-s3"/],
    ['k5e4d3|k3e6x2|k7e4d4|exit-none', /stage 2 "k3e6x2"/],
  ];
  for (const [text, re] of bad) assert.throws(() => space.parse(text), (e) => e instanceof UserError && re.test(e.message), text);
});

test('each OFAv2 node changes the analytic cost in the intended direction', () => {
  const base = space.parse('k3e3d2|k3e3d2|k3e3d2|exit-none');
  const cost = (text: string) => mbv3MiniCost(space.parse(text));
  const c0 = mbv3MiniCost(base);
  for (const text of ['k3e3d2-p5|k3e3d2|k3e3d2|exit-none', 'k3e3d2|k3e3d2-dense|k3e3d2|exit-none', 'k3e3d2|k3e3d2|k3e3d2|exit-s2']) {
    const c = cost(text);
    assert.ok(c.params > c0.params && c.macs > c0.macs, `${text}: params ${c.params} vs ${c0.params}, MACs ${c.macs} vs ${c0.macs}`);
  }
  const exit = cost('k3e3d2|k3e3d2|k3e3d2|exit-s1');
  assert.equal(exit.exits?.length, 1);
  assert.ok(exit.exits![0]!.macs < c0.macs, `exit-s1 sub-network ${exit.exits![0]!.macs} MMACs vs ${c0.macs}`);
});
