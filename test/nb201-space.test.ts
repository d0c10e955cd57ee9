import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allGenomes, radices, satisfiesRules } from '../src/space/space.js';
import { createNb201Space, effectiveNb201, formatNb201, NB201_EFFECTIVE_RULES, parseNb201 } from '../src/spaces/nb201/space.js';
import { UserError } from '../src/errors.js';

const space = createNb201Space();

test('NB201 arch strings round-trip and follow the e0..e5 edge order', () => {
  const s = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
  assert.deepEqual(parseNb201(s), [4, 2, 1, 2, 1, 1]); // NB201 index 0 in the data: e0..e5 = 4,2,1,2,1,1
  assert.equal(formatNb201(parseNb201(s)), s);
  for (const g of allGenomes(radices(space))) assert.deepEqual(space.parse(space.format(g)), g);
});

test('malformed arch strings are user errors naming the problem', () => {
  assert.throws(() => parseNb201('|conv~0|'), (e: unknown) => e instanceof UserError && /expected an NB201 string/.test(e.message));
  assert.throws(
    () => parseNb201('|nor_conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|'),
    (e: unknown) => e instanceof UserError && /unknown op "nor_conv_5x5"/.test(e.message),
  );
});

test('effective form: dead edges become none, a cell with no path is disconnected', () => {
  // only e0 (0→1) and e4 (1→3) carry convs; e2 (1→2) feeds node 2, which reaches nothing: dead
  assert.deepEqual(effectiveNb201([3, 0, 3, 0, 3, 0]), [3, 0, 0, 0, 3, 0]);
  // e1 (0→2) with e5 none: node 2 is a dead end; e3 skip keeps the cell connected
  assert.deepEqual(effectiveNb201([0, 3, 0, 1, 0, 0]), [0, 0, 0, 1, 0, 0]);
  assert.equal(effectiveNb201([3, 3, 3, 0, 0, 0]), null);
  assert.equal(effectiveNb201([0, 0, 0, 0, 0, 0]), null);
});

test('effective-form rules hold exactly for the connected cells that are their own effective form', () => {
  let fixed = 0;
  for (const g of allGenomes(radices(space))) {
    const eff = effectiveNb201(g);
    const isFixedPoint = eff !== null && eff.every((op, e) => op === g[e]);
    assert.equal(satisfiesRules(NB201_EFFECTIVE_RULES, g), isFixedPoint, formatNb201(g));
    if (isFixedPoint) fixed++;
    // the effective form is itself a fixed point
    if (eff) assert.deepEqual(effectiveNb201(eff), eff);
  }
  assert.equal(fixed, 9444); // distinct effective forms of connected cells, counted by enumeration
});
