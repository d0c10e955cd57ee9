import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNb201 } from '../src/benchmarks/nb201.js';
import { runCli } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv');

test('search nb201 on raspi4: the answer is verified by its measured latency, or held at the 95 % bound with --no-verify', { skip }, () => {
  const bench = loadNb201(DATA_DIR);
  const lat = bench.values('latency:raspi4');
  const args = ['search', 'nb201', '--dataset', 'cifar100', '--device', 'raspi4', '--max-latency', '12', '--json'];
  const v = runCli(args);
  assert.equal(v.code, 0, v.err);
  const out = JSON.parse(v.out);
  const truth = lat[out.chosen.index]!;
  assert.ok(truth <= 12, `verified answer runs in ${truth} ms`);
  assert.equal(out.verified.measured['latency:raspi4'], truth, 'the measurement is the benchmark value');
  assert.equal(out.held[0].heldAt, 12, 'with measurements the limit is held on the prediction');
  assert.ok(out.verified.newMeasurements >= 1 && out.verified.checked === out.verified.cutOff.length + 1);
  for (const c of out.verified.cutOff) assert.ok(c.measured['latency:raspi4'] > 12, 'only networks over the limit were cut off');
  const cost = out.costs.find((c: { metric: string }) => c.metric === 'latency:raspi4');
  assert.ok(cost.interval.upper > 0.5 && cost.interval.lower < -0.5, 'raspi4 latency is not additive: a real interval');

  const p = runCli([...args, '--no-verify']);
  assert.equal(p.code, 0, p.err);
  const pred = JSON.parse(p.out);
  assert.equal(pred.verified, null);
  assert.ok(Math.abs(pred.held[0].heldAt - (12 - pred.held[0].interval.upper)) < 1e-9, 'held at the upper bound');
  assert.equal(pred.held[0].interval.confidence, 0.95);
  assert.ok(pred.chosen.predicted['latency:raspi4'] <= pred.held[0].heldAt + 1e-9);

  const text = runCli(args.filter((a) => a !== '--json'));
  assert.match(text.out, /limits: latency:raspi4 <= 12 ms \(held on the prediction; the answer measured\)/);
  assert.match(text.out, /verified: {2}measured latency:raspi4 [\d.]+ ms on the chosen network; \d+ new measurements?/);
  assert.match(text.out, /latency:raspi4 +[\d.]+ +-[\d.]+ \/ \+[\d.]+ /, 'the cost printed with its interval');
});

test('search nb201: bad limits and confidences give one line, exit 2, no answer', { skip }, () => {
  const cases: [string[], RegExp][] = [
    [['--max-latency', '0.5'], /no architecture satisfies latency:fpga <= 0.5 ms \(smallest achievable: latency:fpga 1.13/],
    [['--max-latency', '0.5', '--no-verify'], /limit latency:fpga <= 0.5 ms lies below every network the table was fitted on \(lowest measured 1.13/],
    [['--max-latency', '3', '--confidence', '-0.1'], /--confidence: expected a probability between 0 and 1/],
    [['--max-latency', '3', '--confidence', 'NaN'], /--confidence: expected a probability between 0 and 1/],
    [['--limit', 'latency:pixel3=20'], /limit on latency:pixel3: the block table has no such metric/],
    [['--max-latency', '3', '--no-verify', '--confidence', '0.999'], /confidence 0.999: the latency:fpga model rests on \d+ cross-validated residuals, too few for it \(needs 999\)/],
  ];
  for (const [extra, message] of cases) {
    const r = runCli(['search', 'nb201', '--budget', '60', ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    const lines = r.err.trim().split('\n').filter((l) => !/^estimate nb201/.test(l));
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0]!, message);
    assert.equal(r.out, '', 'nothing printed as an answer');
  }
});

test('predict prints each cost with its interval and floors a cost below every measured network', { skip }, () => {
  const arch = '|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|';
  const r = runCli(['predict', 'nb201', arch, '--device', 'raspi4', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const lat = out.costs.find((c: { metric: string }) => c.metric === 'latency:raspi4');
  assert.equal(lat.predicted, Math.max(out.predicted['latency:raspi4'], lat.below ?? -Infinity));
  assert.equal(lat.interval.confidence, 0.95);
  assert.ok(lat.interval.lower < 0 && lat.interval.upper > 0);
  const text = runCli(['predict', 'nb201', arch, '--device', 'raspi4']);
  assert.match(text.out, /interval \(95 %\)/);
  assert.match(text.out, /latency:raspi4 +[\d.]+ +-[\d.]+ \/ \+[\d.]+ +[\d.]+/);
});
