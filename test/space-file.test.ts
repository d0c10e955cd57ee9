import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import { isValidGenome, productSize } from '../src/space/space.js';
import { parseSpaceFile, readSpaceFile, spaceFromDefinition } from '../src/spaces/space-file/space.js';
import { assertClose } from './helpers/assert.js';

const EXAMPLE = fileURLToPath(new URL('../examples/own-space/space.json', import.meta.url));

test('the example space file: nodes, blocks, rule, metrics and which metrics are computed', () => {
  const sf = readSpaceFile(EXAMPLE);
  const { space } = sf;
  assert.equal(space.name, 'tiny-convnet');
  assert.deepEqual(space.nodes.map((n) => n.id), ['stem', 'stage1', 'stage2', 'stage3', 'head']);
  assert.deepEqual(space.nodes.map((n) => n.blocks.length), [3, 4, 4, 4, 3]);
  assert.equal(productSize(space), 576n);
  assert.equal(space.nodes[1]!.label, 'stage 1 (28x28)');
  assert.deepEqual(space.nodes[2]!.blocks[1], { id: 'mb5', label: 'inverted bottleneck, 5x5 depthwise', attrs: { flops: 35.2, params: 0.1792 } });
  // "at most one stage skipped": skip is block 3 of nodes 1, 2, 3
  assert.deepEqual(space.rules, [
    { name: 'at most one stage skipped', op: '<=', rhs: 1, terms: [1, 2, 3].map((node) => ({ node, block: 3, coef: 1 })) },
  ]);
  assert.ok(isValidGenome(space, space.parse('c16:skip:mb3:mb3:fc')));
  assert.ok(!isValidGenome(space, space.parse('c16:skip:skip:mb3:fc')), 'two skipped stages break the rule');
  assert.equal(space.format([1, 1, 2, 0, 1]), 'c24:mb5:fused:mb3:mlp');

  assert.deepEqual(
    sf.metrics.map((m) => [m.id, m.kind, m.unit, m.source]),
    [
      ['accuracy:val', 'accuracy', '%', 'measured'],
      ['latency:cpu', 'latency', 'ms', 'measured'],
      ['flops', 'flops', 'M', 'computed'],
      ['params', 'params', 'M', 'computed'],
    ],
  );
  assert.equal(sf.accuracy, 'accuracy:val');
  assert.deepEqual(sf.measured, ['accuracy:val', 'latency:cpu']);
  assert.deepEqual(sf.computed, ['flops', 'params']);
  assert.equal(sf.flops, sf.costs.flops);
  assert.match(sf.fingerprint, /^[0-9a-f]{14}$/);
});

test('per-block costs sum over the chosen blocks (hand-computed)', async () => {
  const sf = readSpaceFile(EXAMPLE);
  const archs = ['c24:mb5:fused:mb3:mlp', 'c16:skip:mb3:mb3:fc', 'c32:fused:fused:fused:attn'].map((a) => sf.space.parse(a));
  const rows = await sf.analytic!.evaluate(archs);
  assert.deepEqual(sf.analytic!.provides.map((m) => m.id), ['flops', 'params']);
  // stem c24 8.1 + stage1 mb5 22 + stage2 fused 48 + stage3 mb3 33.6 + head mlp 1.2
  assertClose(rows[0]!.flops!, 112.9, 1e-9, 'flops 0');
  assertClose(rows[0]!.params!, 0.0007 + 0.07 + 0.3072 + 0.288 + 0.085, 1e-12, 'params 0');
  // c16 5.4 + skip 0 + mb3 22.4 + mb3 33.6 + fc 0.6
  assertClose(rows[1]!.flops!, 62, 1e-9, 'flops 1');
  assertClose(rows[1]!.params!, 0.0005 + 0 + 0.128 + 0.288 + 0.013, 1e-12, 'params 1');
  // c32 10.8 + fused 30 + 48 + 72 + attn 3
  assertClose(rows[2]!.flops!, 163.8, 1e-9, 'flops 2');
  assert.deepEqual(Object.keys(rows[2]!), ['flops', 'params']);
});

test('the fingerprint ignores labels and descriptions, not costs or rules', () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const base = parseSpaceFile(text, 'a.json').fingerprint;
  assert.equal(parseSpaceFile(text.replace('"label": "stem"', '"label": "the stem"').replace(/"description": "[^"]*"/, '"description": "x"'), 'b.json').fingerprint, base);
  assert.notEqual(parseSpaceFile(text.replace('"flops": 22.0', '"flops": 23.0'), 'c.json').fingerprint, base);
  assert.notEqual(parseSpaceFile(text.replace('"rhs": 1', '"rhs": 2'), 'd.json').fingerprint, base);
});

// A small valid definition to break one field at a time.
const good = () => ({
  name: 'mini',
  metrics: [{ id: 'accuracy:val', unit: '%' }, { id: 'latency:cpu' }, { id: 'flops', unit: 'M' }],
  nodes: [
    { id: 'a', blocks: [{ id: 'x', costs: { flops: 1 } }, { id: 'y', costs: { flops: 2 } }] },
    { id: 'b', blocks: [{ id: 'x', costs: { flops: 3 } }, { id: 'z', costs: { flops: 0 } }] },
    { id: 'c', blocks: [{ id: 'p', costs: { flops: 5 } }, { id: 'q', costs: { flops: 7.5 } }] },
  ],
  rules: [{ terms: [{ node: 'a', block: 'y' }, { node: 'b', block: 'z' }], op: '<=', rhs: 1 }],
});
type Def = ReturnType<typeof good> & Record<string, unknown>;

const rejects = (def: unknown, re: RegExp, file = 'my.json') =>
  assert.throws(
    () => spaceFromDefinition(def, file),
    (e) => {
      assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
      assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
      assert.match(e.message, re);
      return true;
    },
  );
const edit = (f: (d: Def) => void): Def => {
  const d = good() as Def;
  f(d);
  return d;
};

test('a good definition passes, with the default rule name and coefficient', () => {
  const sf = spaceFromDefinition(good(), 'my.json');
  assert.deepEqual(sf.space.rules, [{ name: 'rules[0]', op: '<=', rhs: 1, terms: [{ node: 0, block: 1, coef: 1 }, { node: 1, block: 1, coef: 1 }] }]);
  assert.deepEqual(sf.costs.flops!.values, [[1, 2], [3, 0], [5, 7.5]]);
});

test('bad fields: one-line UserErrors naming the file and the field path', () => {
  const cases: [Def | unknown, RegExp][] = [
    [edit((d) => (d.nodes[2]!.blocks[0]!.id = '')), /^space file my\.json: nodes\[2\]\.blocks\[0\]\.id: expected a non-empty string$/],
    [edit((d) => (d.nodes[1]!.blocks[1]!.id = 'has:colon')), /^space file my\.json: nodes\[1\]\.blocks\[1\]\.id: expected an id without spaces or ':'$/],
    [edit((d) => delete (d as Partial<Def>).name), /^space file my\.json: name: missing$/],
    [edit((d) => ((d.nodes[0] as Record<string, unknown>).blcoks = d.nodes[0]!.blocks)), /^space file my\.json: nodes\[0\]: unknown field "blcoks"$/],
    [edit((d) => delete (d.nodes[0] as Partial<Def['nodes'][0]>).blocks), /^space file my\.json: nodes\[0\]\.blocks: missing$/],
    [edit((d) => (d.nodes[0]!.blocks = [])), /nodes\[0\]\.blocks: expected at least one block$/],
    [edit((d) => (d.nodes = [])), /: nodes: expected at least one node$/],
    [edit((d) => (d.nodes[1]!.id = 'a')), /nodes\[1\]\.id: "a" is used by two nodes \(also nodes\[0\]\)$/],
    [edit((d) => (d.nodes[2]!.blocks[1]!.id = 'p')), /nodes\[2\]\.blocks\[1\]\.id: "p" is used twice in node c \(also blocks\[0\]\)$/],
    [edit((d) => ((d.nodes[0]!.blocks[1]!.costs as Record<string, unknown>).flops = 'two')), /nodes\[0\]\.blocks\[1\]\.costs\.flops: expected a finite number, got string$/],
    [edit((d) => (d.nodes[0]!.blocks[1]!.costs.flops = Number.NaN)), /nodes\[0\]\.blocks\[1\]\.costs\.flops: expected a finite number, got NaN$/],
    [edit((d) => (d.nodes[0]!.blocks[1]!.costs.flops = Number.POSITIVE_INFINITY)), /costs\.flops: expected a finite number, got Infinity$/],
    [edit((d) => ((d.nodes[1]!.blocks[0]!.costs as Record<string, number>).flop = 1)), /nodes\[1\]\.blocks\[0\]\.costs\.flop: no metric "flop" in metrics \(declared: accuracy:val, latency:cpu, flops\)$/],
    [edit((d) => ((d.nodes[1]!.blocks[0]!.costs as Record<string, number>)['latency:cpu'] = 1)), /nodes\[0\]\.blocks\[0\]\.costs: no cost for "latency:cpu" \(once a block gives a metric's cost, every block must\)$/],
    [edit((d) => ((d.nodes[0]!.blocks[0]!.costs as Record<string, number>)['accuracy:val'] = 1)), /nodes\[0\]\.blocks\[0\]\.costs\["accuracy:val"\]: accuracy:val is an accuracy/],
    [edit((d) => (d.metrics[1]!.id = 'speed')), /metrics\[1\]\.id: "speed" does not start with a metric kind \(accuracy, latency, energy, flops or params\)/],
    [edit((d) => (d.metrics[2]!.id = 'latency:cpu')), /metrics\[2\]\.id: "latency:cpu" is declared twice \(also metrics\[1\]\)$/],
    [edit((d) => (d.metrics = [{ id: 'latency:cpu' }])), /: metrics: expected an accuracy metric to maximise/],
    [edit((d) => ((d.metrics[1] as Record<string, unknown>).better = 'higher')), /metrics\[1\]\.better: "higher" for latency:cpu, but latency is a cost, minimised \("lower"\)$/],
    [edit((d) => ((d.metrics[1] as Record<string, unknown>).better = 'up')), /metrics\[1\]\.better: expected "higher" or "lower"$/],
    [edit((d) => (d.rules[0]!.terms[1]!.node = 'nope')), /rules\[0\]\.terms\[1\]\.node: no node "nope" \(nodes: a, b, c\)$/],
    [edit((d) => (d.rules[0]!.terms[0]!.block = 'z')), /rules\[0\]\.terms\[0\]\.block: node a has no block "z" \(one of x, y\)$/],
    [edit((d) => (d.rules[0]!.op = '<')), /rules\[0\]\.op: expected "<=", ">=" or "="$/],
    [edit((d) => (d.rules[0]!.rhs = -1)), /rules\[0\]: "rules\[0\]" can never hold: its left side lies between 0 and 2, never <= -1$/],
    [
      edit((d) => d.rules.push({ terms: [{ node: 'a', block: 'y' }, { node: 'b', block: 'z' }], op: '>=', rhs: 2 } as never, { terms: [{ node: 'a', block: 'x' }], op: '=', rhs: 1 } as never)),
      /: rules: no architecture satisfies every rule at once$/,
    ],
    [[1, 2], /^space file my\.json: expected an object, got array$/],
    [edit((d) => ((d.nodes as unknown[])[1] = 'b')), /^space file my\.json: nodes\[1\]: expected an object, got string$/],
    [edit((d) => ((d as Record<string, unknown>).rules = { a: 1 })), /^space file my\.json: rules: expected an array of rules, got object$/],
    [edit((d) => ((d.nodes[0]!.blocks[0] as Record<string, unknown>).attrs = { k: [3] })), /nodes\[0\]\.blocks\[0\]\.attrs\.k: expected a string or a finite number, got array$/],
  ];
  for (const [def, re] of cases) rejects(def, re);
});

test('file-level mistakes: invalid JSON with its line, YAML, a missing file', () => {
  const bad = '{\n  "name": "mini",\n  "nodes": [] "metrics"\n}';
  assert.throws(() => parseSpaceFile(bad, 'bad.json'), (e) => e instanceof UserError && /^space file bad\.json: not valid JSON: .*line 3/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => parseSpaceFile('name: mini', 'space.yaml'), (e) => e instanceof UserError && /space file space\.yaml: YAML is not read .*write the space as JSON/.test(e.message));
  assert.throws(() => readSpaceFile('/no/such/space.json'), (e) => e instanceof UserError && e.message === 'space file /no/such/space.json: no such file');
  // 1e999 is valid JSON for Infinity: not a finite cost
  const inf = JSON.stringify(good()).replace('"flops":7.5', '"flops":1e999');
  assert.throws(() => parseSpaceFile(inf, 'inf.json'), (e) => e instanceof UserError && /nodes\[2\]\.blocks\[1\]\.costs\.flops: expected a finite number, got Infinity/.test(e.message));
});
