import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOfaMbv3, OFA_ACCURACY, OFA_MBV3_FILES } from '../src/benchmarks/ofa-mbv3/index.js';
import { mathnasStages } from '../src/benchmarks/ofa-mbv3/mathnas-stages.js';
import { checkOnSample, ofaTestSet } from '../src/benchmarks/ofa-mbv3/validate.js';
import { MATHNAS_TABLES } from '../src/benchmarks/mathnas-nb201.js';
import { mathnasEstimator } from '../src/predict/estimators/mathnas.js';
import { additive } from '../src/core/additive.js';
import { predictMetric } from '../src/predict/predict.js';
import { allGenomes, radices } from '../src/space/space.js';
import { spearman } from '../src/stats/rank.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const skip = needsData(...Object.values(OFA_MBV3_FILES), MATHNAS_TABLES);
const COSTS = ['latency:note10', 'latency:i7-8700k'];

/*
 * Thresholds are the figures measured by `npm run bench -- --only ofa` (docs/ofa-mbv3.md) minus a margin: mathnas
 * Algorithm 1 is deterministic, and the test set is fixed by its seed.
 */
test('mathnas on OFA MobileNetV3 at 224 px: 171 networks, accuracy Spearman ~0.73, latency exact', { skip }, async () => {
  const ofa = loadOfaMbv3(DATA_DIR, { resolutions: [224] });
  const evaluator = ofa.evaluator([OFA_ACCURACY, ...COSTS]);
  const table = await mathnasEstimator.estimate({ space: ofa.space, evaluator, accuracy: OFA_ACCURACY, costs: COSTS, seed: 0 });
  assert.equal(table.evaluated, 1 + 10 * 8 + 10 * 9); // m(n-1) + 1
  assert.equal(evaluator.evaluated, 166); // switches of the base that compute the same network count once
  const test = ofaTestSet(ofa, 1000, 1, 'ofa');
  const [acc, note10, i7] = checkOnSample(table, ofa, test, await ofa.evaluator().evaluate(test));
  assert.ok(acc!.spearman > 0.7 && acc!.spearman < 0.76, `accuracy Spearman ${acc!.spearman} (measured 0.729)`);
  // At a fixed resolution a LUT sum is exactly additive over the slots: the switch differences are exact.
  for (const lat of [note10!, i7!]) assert.ok(lat.mape < 1e-9 && lat.spearman > 0.9999, `${lat.metric}: ${lat.mape} %`);
});

test('mathnas on OFA MobileNetV3 with the resolution node: accuracy Spearman ~0.92', { skip }, async () => {
  const ofa = loadOfaMbv3(DATA_DIR);
  const table = await mathnasEstimator.estimate({ space: ofa.space, evaluator: ofa.evaluator(), accuracy: OFA_ACCURACY, costs: COSTS, seed: 0 });
  assert.equal(table.evaluated, 187);
  const test = ofaTestSet(ofa, 1000, 1, 'ofa');
  const [acc, note10] = checkOnSample(table, ofa, test, await ofa.evaluator().evaluate(test));
  assert.ok(acc!.spearman > 0.9, `accuracy Spearman ${acc!.spearman} (measured 0.922)`);
  assert.ok(note10!.spearman > 0.98 && note10!.mape > 1, `Note10: resolution x layer interactions leave ${note10!.mape} %`);
});

test("mathnas at MathNAS's granularity (5 stage candidates, 224 px): accuracy Spearman ~0.98 over all 3,125", { skip }, async () => {
  const ofa = loadOfaMbv3(DATA_DIR, { resolutions: [224] });
  const mb = mathnasStages(DATA_DIR, ofa, 'gpu');
  const all = [...allGenomes(radices(mb.space))];
  const flops = await mb.evaluator(['flops']).evaluate(all);
  all.forEach((g, i) => assert.ok(Math.abs(additive(mb.flops, g) - flops[i]!['flops']!) < 1e-9, 'FLOPs are additive over stages'));
  const ids = [OFA_ACCURACY];
  const table = await mathnasEstimator.estimate({ space: mb.space, evaluator: mb.evaluator(ids), accuracy: OFA_ACCURACY, costs: [], seed: 0 });
  assert.equal(table.evaluated, 21);
  const truth = await mb.evaluator(ids).evaluate(all);
  const rho = spearman(all.map((g) => predictMetric(table.metrics[0]!, mb.space, g)), truth.map((m) => m[OFA_ACCURACY]!));
  assert.ok(rho > 0.96, `accuracy Spearman ${rho} (measured 0.978)`);
});
