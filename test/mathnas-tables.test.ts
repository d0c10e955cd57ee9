import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataConstant, readMathnasTables } from '../src/benchmarks/mathnas-data.js';
import { hatDecoderLayerShare } from '../src/benchmarks/mathnas-hat-layer.js';
import { mathnasTable, MBV3_DEVICES } from '../src/benchmarks/mathnas-tables.js';
import { UserError } from '../src/errors.js';
import { checkTableFits, predict, predictMetric } from '../src/predict/predict.js';
import { solveExhaustive } from '../src/search/exhaustive.js';
import { problemFromTable } from '../src/search/from-table.js';
import { solveIlp } from '../src/search/ilp.js';
import { createRng } from '../src/random.js';
import { ABSENT, decoderNode } from '../src/spaces/supertransformer/space.js';
import { SUPERVIT_GROUPS, SUPERVIT_RESOLUTIONS } from '../src/spaces/supervit/choices.js';
import { supervitGenome } from '../src/spaces/supervit/space.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const TABLES = 'mathnas/mathnas_tables.json';
const HAT = 'hat/hat_latency_dataset.csv';

test('MobileNetV3: the ILP optimum equals the exhaustive optimum under several latency limits', { skip: needsData(TABLES) }, async () => {
  for (const device of MBV3_DEVICES) {
    const { space, table } = mathnasTable(DATA_DIR, 'mobilenetv3', device);
    checkTableFits(table, space);
    const lat = `latency:${device}`;
    const base = predict(table, space, table.base);
    assertClose(base['accuracy:imagenet']!, dataConstant(readMathnasTables(DATA_DIR), '79.23'), 1e-9, `${device}: the largest net scores the base accuracy`);
    // Limits from just above the smallest net to the largest, so both tight and loose problems are compared.
    const smallest = predictMetric(table.metrics[1]!, space, [0, 0, 0, 0, 0]);
    for (const f of [1.05, 1.3, 1.6, 2.0, 3.0]) {
      const problem = problemFromTable(table, space, 'accuracy:imagenet', [{ metric: lat, max: smallest * f }]);
      const ilp = await solveIlp(problem);
      const ex = solveExhaustive(problem);
      assert.equal(ilp.status, ex.status, `${device} x${f}: same status`);
      assertClose(ilp.objective, ex.objective, 1e-9, `${device} x${f}: ILP vs exhaustive optimum`);
    }
  }
});

test('SuperTransformer: the stop scores and absent-layer latencies follow the documented model', { skip: needsData(TABLES, HAT) }, () => {
  const tables = readMathnasTables(DATA_DIR);
  const acc = tables.tables['data/supertransformer/blockacc.pt'].values;
  const { space, table } = mathnasTable(DATA_DIR, 'supertransformer');
  checkTableFits(table, space);
  assert.deepEqual(table.metrics.map((m) => m.metric), ['accuracy:wmt14-en-de', 'latency:raspberrypi', 'latency:xeon', 'latency:titanxp']);
  const largest = table.base;
  const bleu = dataConstant(tables, '26.61');
  for (let depth = 1; depth <= 6; depth++) {
    const g = largest.map((b, i) => (i >= decoderNode(depth) ? ABSENT : b));
    const p = predict(table, space, g);
    // The largest layers and a stop after `depth` layers: 26.61 − (row depth's largest score − stop score).
    const expected = depth === 6 ? bleu : bleu - (acc[36 + depth * 36 + 35]! - acc[252 + depth - 1]!);
    assertClose(p['accuracy:wmt14-en-de']!, expected, 1e-9, `BLEU at depth ${depth}`);
    for (const device of ['raspberrypi', 'xeon', 'titanxp'] as const) {
      const full = predictMetric(table.metrics.find((m) => m.metric === `latency:${device}`)!, space, largest);
      const share = hatDecoderLayerShare(DATA_DIR, device).share;
      assertClose(p[`latency:${device}`]!, full * (1 - (6 - depth) * share), 1e-6, `${device} latency at depth ${depth}`);
    }
  }
  assert.throws(() => mathnasTable(DATA_DIR, 'supertransformer', 'raspberry pi'), UserError);
});

test('HAT decoder-layer fit explains most of the measured latency', { skip: needsData(HAT) }, () => {
  for (const device of ['raspberrypi', 'xeon', 'titanxp'] as const) {
    const fit = hatDecoderLayerShare(DATA_DIR, device);
    assert.ok(fit.r2 > 0.8, `${device}: R² ${fit.r2} of the per-layer latency fit`);
    assert.ok(fit.share > 0 && fit.share < 1 / 6, `${device}: a decoder layer's share ${fit.share} lies in (0, 1/6)`);
  }
});

test('SuperViT: the lifted table predicts acc(r) = A_r[0] + sum_g (A_r[g,c] - A_r[g,0]) for every resolution', { skip: needsData(TABLES) }, () => {
  const tables = readMathnasTables(DATA_DIR);
  const { space, table } = mathnasTable(DATA_DIR, 'supervit');
  checkTableFits(table, space);
  const width = SUPERVIT_GROUPS.reduce((s, n) => s + n, 0);
  const starts = SUPERVIT_GROUPS.map((_, g) => SUPERVIT_GROUPS.slice(0, g).reduce((s, n) => s + n, 0));
  const direct = (values: readonly number[], r: number, code: readonly number[]) => {
    const a = values.slice(r * width, (r + 1) * width);
    return code.reduce((s, c, g) => s + a[starts[g]! + c]! - a[starts[g]!]!, a[0]!);
  };
  const rand = createRng(3);
  for (let k = 0; k < 200; k++) {
    const r = rand.int(SUPERVIT_RESOLUTIONS.length);
    const code = SUPERVIT_GROUPS.map((n) => rand.int(n));
    const p = predict(table, space, supervitGenome(SUPERVIT_RESOLUTIONS[r]!, code));
    assertClose(p['accuracy:imagenet']!, direct(tables.tables['data/supervit/blockacc.pt'].values, r, code), 1e-9, 'top-1');
    assertClose(p['flops:imagenet']!, direct(tables.tables['data/supervit/blockflops.pt'].values, r, code), 1e-9, 'MFLOPs');
  }
  assert.throws(() => mathnasTable(DATA_DIR, 'supervit', 'tx2gpu'), UserError);
});
