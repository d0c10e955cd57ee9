import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import { createExternalEvaluator, type ExternalEvaluatorOptions } from '../src/eval/external.js';
import { createMbv3MiniSpace } from '../src/spaces/mbv3-mini/space.js';
import { assertClose } from './helpers/assert.js';

const space = createMbv3MiniSpace();
const EXAMPLE = fileURLToPath(new URL('../examples/external-evaluator/evaluate.mjs', import.meta.url));
const node = JSON.stringify(process.execPath);
const ARCHS = ['k3e3d2|k3e3d2|k3e3d2|exit-none', 'k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1'];
const genomes = ARCHS.map((a) => space.parse(a));

const external = (command: string | string[], extra: Partial<ExternalEvaluatorOptions> = {}) =>
  createExternalEvaluator({ space, command, metrics: ['accuracy:toy', 'latency:toy'], ...extra });

test('the example evaluator round-trips in per-arch and batch mode', async () => {
  const perArch = await external([process.execPath, EXAMPLE]).evaluate(genomes);
  const batch = await external(`${node} ${JSON.stringify(EXAMPLE)}`, { mode: 'batch' }).evaluate(genomes);
  assert.deepEqual(batch, perArch);
  // The first network's block ids carry the numbers 3, 3, 2 in each of its 3 stages: toy size 24.
  assertClose(perArch[0]!['latency:toy']!, 0.5 + 0.05 * 24, 1e-9, 'latency:toy');
  assertClose(perArch[0]!['accuracy:toy']!, Number((90 + 8 * (1 - Math.exp(-24 / 40))).toFixed(3)), 1e-9, 'accuracy:toy');
  assert.ok(perArch[1]!['latency:toy']! > perArch[0]!['latency:toy']!, 'the bigger network is slower');
});

test('the command receives space, canonical arch string, genome and block ids on stdin', async () => {
  // Echoes what it was sent, as numbers: 1 where the field is as expected.
  const script = [
    'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const r=JSON.parse(t);',
    'console.log(JSON.stringify({"accuracy:space":r.space==="mbv3-mini"?1:0,"accuracy:arch":r.arch===process.argv[1]?1:0,',
    'params:r.genome.reduce((a,b)=>a+b,0),flops:r.blocks.length,"latency:first":r.blocks[0]==="k5e4"?1:0}))})',
  ].join('');
  const ev = createExternalEvaluator({ space, command: [process.execPath, '-e', script, ARCHS[1]!], metrics: ['accuracy:space', 'accuracy:arch', 'params', 'flops', 'latency:first'] });
  const [m] = await ev.evaluate([genomes[1]!]);
  assert.deepEqual(m, { 'accuracy:space': 1, 'accuracy:arch': 1, params: genomes[1]!.reduce((a, b) => a + b, 0), flops: 12, 'latency:first': 1 });
});

test('failures are one-line UserErrors naming the command', async () => {
  const cases: [string | string[], Partial<ExternalEvaluatorOptions>, RegExp][] = [
    [`${node} -e "console.error('boom'); process.exit(3)"`, {}, /exited with code 3: boom \(arch k3e3d2\|/],
    ['echo notjson', {}, /"echo notjson" printed invalid JSON: "notjson"/],
    [`echo '{"accuracy:toy": 1}'`, {}, /reported no metric "latency:toy" \(got: accuracy:toy\)/],
    [`echo '{"accuracy:toy": 1, "latency:toy": "fast"}'`, {}, /reported "latency:toy": "fast", not a finite number/],
    ['sleep 5', { timeoutMs: 300 }, /"sleep 5" timed out after 0\.3 s/],
    // One good answer for two architectures: the second is charged with the missing line.
    [`echo '{"accuracy:toy": 1, "latency:toy": 2}'`, { mode: 'batch' }, /printed 1 line\(s\) for 2 architectures \(arch k5e4d3\|.*, in a batch of 2\)/],
    [['/no/such/program'], {}, /"\/no\/such\/program" could not start/],
  ];
  for (const [command, extra, re] of cases) {
    await assert.rejects(external(command, extra).evaluate(genomes), (e) => {
      assert.ok(e instanceof UserError, `${String(command)}: ${String(e)}`);
      assert.ok(re.test(e.message) && !e.message.includes('\n'), `${String(command)}: message "${e.message}"`);
      return true;
    });
  }
  assert.throws(() => createExternalEvaluator({ space, command: 'true', metrics: ['speed'] }), (e) => e instanceof UserError && e.field === 'metrics' && /^metrics: speed: expected an id starting with/.test(e.message));
});
