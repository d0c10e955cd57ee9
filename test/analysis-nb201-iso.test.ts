import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionalForm, graphForm, natsUniqueString, nb201Classes, networkForm } from '../src/analysis/nb201-iso.js';
import { enumerateGenomes } from '../src/space/count.js';
import { createNb201Space, parseNb201 } from '../src/spaces/nb201/space.js';

const cell = (s: string) => parseNb201(s);

test('NATS unique string of hand-worked cells', () => {
  // node1 = (0)@conv; node2 = zero + node1's conv; node3 = zero + zero + node2, whose string is one sorted term.
  assert.equal(
    natsUniqueString(cell('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|')),
    '#+#+#+(0)@nor_conv_3x3',
  );
  assert.equal(natsUniqueString(cell('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')), '#+#+#');
  // A skip from the input and a skip through node 1 both feed x into node 2: the same class.
  const viaNode1 = cell('|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_3x3~2|');
  const direct = cell('|none~0|+|skip_connect~0|none~1|+|none~0|none~1|nor_conv_3x3~2|');
  assert.equal(natsUniqueString(viaNode1), '#+#+(#+0)@nor_conv_3x3');
  assert.equal(natsUniqueString(direct), natsUniqueString(viaNode1));
});

test('swapping nodes 1 and 2 gives an isomorphic cell that the NATS rule still separates', () => {
  // conv1x1 into node 1 and conv3x3 into node 2, or the other way round; both nodes skip into the output.
  const a = cell('|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|skip_connect~2|');
  const b = cell('|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|skip_connect~1|skip_connect~2|');
  assert.equal(graphForm(a), graphForm(b));
  assert.equal(functionalForm(a), functionalForm(b));
  // Node 2's string "#+(0)@op" sorts as one term, so the two output strings order their terms differently.
  assert.notEqual(natsUniqueString(a), natsUniqueString(b));
});

test('graph form keeps skip as a label; functional form merges it; dead edges vanish in both', () => {
  const skipThenConv = cell('|skip_connect~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|');
  const convThenSkip = cell('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|');
  assert.equal(functionalForm(skipThenConv), 'nor_conv_3x3(x)');
  assert.equal(functionalForm(convThenSkip), 'nor_conv_3x3(x)');
  assert.notEqual(graphForm(skipThenConv), graphForm(convThenSkip));
  // e0 feeds node 1, which reaches nothing: the conv is dead and the cell is just a conv on 0→3.
  const dead = cell('|nor_conv_1x1~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
  const alone = cell('|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
  assert.equal(graphForm(dead), graphForm(alone));
  assert.equal(functionalForm(dead), functionalForm(alone));
  assert.equal(graphForm(cell('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')), 'disconnected');
  assert.equal(functionalForm(cell('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|')), '');
});

test('over the whole space: every NATS class lies inside one functional class', () => {
  const c = nb201Classes();
  assert.equal(c.cells, 15625n);
  const functionalOf = new Map<string, string>();
  for (const g of enumerateGenomes(createNb201Space())) {
    const nats = natsUniqueString(g);
    const f = functionalForm(g);
    const seen = functionalOf.get(nats);
    if (seen !== undefined) assert.equal(f, seen, `NATS class ${nats} spans two functional classes`);
    functionalOf.set(nats, f);
  }
  assert.equal(functionalOf.size, c.nats);
  assert.ok(c.functional < c.nats, `functional ${c.functional} should merge NATS classes (${c.nats})`);
});

test('network form: skip routes merge, reused outputs and dead ops do not', () => {
  // The four single-path identity cells: 0→3, 0→1→3, 0→2→3, 0→1→2→3, all skips.
  const identities = [
    '|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|',
    '|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|',
    '|none~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|',
    '|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|',
  ].map((s) => networkForm(cell(s)));
  assert.deepEqual(new Set(identities), new Set(['x|0,0,0']));
  // One conv whose output reaches the output twice, against two convs: the same function, not the same network.
  const reused = cell('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|skip_connect~1|skip_connect~2|');
  const twoConvs = cell('|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|');
  assert.equal(functionalForm(reused), functionalForm(twoConvs));
  assert.equal(networkForm(reused), 'nor_conv_3x3(x)+nor_conv_3x3(x)|0,1,0');
  assert.equal(networkForm(twoConvs), 'nor_conv_3x3(x)+nor_conv_3x3(x)|0,2,0');
  // A dead conv still runs: the cell with it is another network than the one without.
  const dead = cell('|nor_conv_1x1~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
  const alone = cell('|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
  assert.notEqual(networkForm(dead), networkForm(alone));
});
