import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countGenomes, enumerateGenomes } from '../src/space/count.js';
import { createDartsSpace, DARTS_NODES, DARTS_OPS } from '../src/analysis/darts.js';
import { createNb101EncodingSpace, NB101_MAX_EDGES, NB101_VERTICES } from '../src/analysis/nb101.js';
import { createTnbMacroSpace, createTnbMicroSpace, formatTnbMacro, parseTnbMacro } from '../src/analysis/tnb101.js';
import { createSpace, productSize } from '../src/space/space.js';
import type { CouplingRule } from '../src/space/types.js';
import { createNb201Space, effectiveNb201, NB201_EFFECTIVE_RULES } from '../src/spaces/nb201/space.js';

const blocks = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `b${i}`, label: `b${i}`, attrs: {} }));
/** Three nodes with 3, 2 and 3 blocks: 18 genomes before any rule. */
const tiny = (rules: CouplingRule[] = []) =>
  createSpace({
    name: 'tiny',
    nodes: [3, 2, 3].map((k, i) => ({ id: `n${i}`, label: `n${i}`, blocks: blocks(k) })),
    rules,
  });

/** "n0 = 1 forbids n2 = 0": [n0=1] + [n2=0] ≤ 1. */
const implication: CouplingRule = {
  name: 'n0=1 => n2!=0',
  terms: [
    { node: 0, block: 1, coef: 1 },
    { node: 2, block: 0, coef: 1 },
  ],
  op: '<=',
  rhs: 1,
};
/** At least one of n0 = 0, n1 = 1, n2 = 2. */
const atLeastOne: CouplingRule = {
  name: 'cover',
  terms: [
    { node: 0, block: 0, coef: 1 },
    { node: 1, block: 1, coef: 1 },
    { node: 2, block: 2, coef: 1 },
  ],
  op: '>=',
  rhs: 1,
};

const brute = (s: ReturnType<typeof tiny>) => BigInt([...enumerateGenomes(s)].length);

test('counting with rules on a hand-made space matches the inclusion-exclusion count', () => {
  assert.equal(countGenomes(tiny()), 18n);
  // A = {n0=1, n2=0}: 2 genomes (n1 free).
  assert.equal(countGenomes(tiny([implication])), 18n - 2n);
  // B = {n0≠0, n1≠1, n2≠2}: 2·1·2 = 4 genomes.
  assert.equal(countGenomes(tiny([atLeastOne])), 18n - 4n);
  // A∩B = {n0=1, n1=0, n2=0}: 1 genome, so 18 − 2 − 4 + 1.
  const both = tiny([implication, atLeastOne]);
  assert.equal(countGenomes(both), 13n);
  assert.equal(brute(both), 13n);
});

test('equality rules with fractional coefficients, repeated terms and constant rules', () => {
  // 0.1·[n0=2] + 0.2·[n2=1] = 0.3 only when both hold (0.1 + 0.2 is not 0.3 in binary: the tolerance must apply).
  const eq: CouplingRule = {
    name: 'eq',
    terms: [
      { node: 0, block: 2, coef: 0.1 },
      { node: 2, block: 1, coef: 0.2 },
    ],
    op: '=',
    rhs: 0.3,
  };
  assert.equal(countGenomes(tiny([eq])), 2n);
  // The same choice named twice counts twice: 2·[n1=1] ≥ 2 pins n1.
  const twice: CouplingRule = { name: 'twice', terms: [{ node: 1, block: 1, coef: 1 }, { node: 1, block: 1, coef: 1 }], op: '>=', rhs: 2 };
  assert.equal(countGenomes(tiny([twice])), 9n);
  assert.equal(countGenomes(tiny([{ name: 'never', terms: [], op: '>=', rhs: 1 }])), 0n);
  assert.equal(countGenomes(tiny([{ name: 'always', terms: [], op: '<=', rhs: 1 }])), 18n);
});

test('counting agrees with enumeration on random rule sets', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 40; trial++) {
    const rules: CouplingRule[] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, r) => ({
      name: `r${r}`,
      terms: Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
        const node = Math.floor(rnd() * 3);
        return { node, block: Math.floor(rnd() * 3), coef: Math.floor(rnd() * 5) - 2 };
      }),
      op: (['<=', '>=', '='] as const)[Math.floor(rnd() * 3)]!,
      rhs: Math.floor(rnd() * 5) - 2,
    }));
    const s = tiny(rules);
    assert.equal(countGenomes(s), brute(s), JSON.stringify(rules));
  }
});

test('NB201 effective rules: the DP count equals the cells that are their own effective form', () => {
  const space = createNb201Space();
  let effective = 0n;
  for (const g of enumerateGenomes(space)) {
    const e = effectiveNb201(g);
    if (e && e.every((op, i) => op === g[i])) effective++;
  }
  assert.equal(countGenomes(space, NB201_EFFECTIVE_RULES), effective);
});

test('NB101 encodings: sum over k ≤ 9 of C(21, k) edge sets times 3^5 op labellings', () => {
  const pairs = (NB101_VERTICES * (NB101_VERTICES - 1)) / 2;
  const choose = (n: number, k: number): bigint => (k === 0 ? 1n : (choose(n, k - 1) * BigInt(n - k + 1)) / BigInt(k));
  let edgeSets = 0n;
  for (let k = 0; k <= NB101_MAX_EDGES; k++) edgeSets += choose(pairs, k);
  assert.equal(countGenomes(createNb101EncodingSpace()), edgeSets * 3n ** BigInt(NB101_VERTICES - 2));
});

test('DARTS: (Π_k C(k+2, 2) · 7²)² and about 10^18 as NB301 states', () => {
  let cell = 1n;
  for (let k = 0; k < DARTS_NODES; k++) cell *= (BigInt((k + 2) * (k + 1)) / 2n) * BigInt(DARTS_OPS.length) ** 2n;
  const total = productSize(createDartsSpace());
  assert.equal(total, cell * cell);
  assert.equal(Math.round(Math.log10(Number(total))), 18);
});

test('TNB101: micro 4^6, macro 3,256 under its rules, together the paper\'s 7,352 backbones', () => {
  const micro = productSize(createTnbMicroSpace());
  assert.equal(micro, 4n ** 6n);
  const macro = createTnbMacroSpace();
  const n = countGenomes(macro);
  assert.equal(BigInt([...enumerateGenomes(macro)].length), n);
  // Duan et al., CVPR 2021, abstract: "7,352 backbones evaluated on seven tasks".
  assert.equal(micro + n, 7352n);
  assert.equal(formatTnbMacro(parseTnbMacro('64-1242-basic')), '64-1242-basic');
  assert.deepEqual(parseTnbMacro('64-121113-basic'), [1, 2, 1, 1, 1, 3]);
});
