import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { gaussianProcess } from '../src/surrogate/gp.js';
import { assertClose } from './helpers/assert.js';

/** Posterior of a two-point GP from the explicit 2×2 inverse: K = [[a, b], [b, a]], K⁻¹ = [[a, −b], [−b, a]] / (a² − b²). */
function twoPoint(a: number, b: number, r: [number, number], k: [number, number], prior: number, signal: number) {
  const det = a * a - b * b;
  const inv = [a / det, -b / det, -b / det, a / det] as const;
  const alpha = [inv[0] * r[0] + inv[1] * r[1], inv[2] * r[0] + inv[3] * r[1]] as const;
  const kInvK = k[0] * (inv[0] * k[0] + inv[1] * k[1]) + k[1] * (inv[2] * k[0] + inv[3] * k[1]);
  return {
    mean: prior + k[0] * alpha[0] + k[1] * alpha[1],
    variance: signal - kInvK,
    lml: -0.5 * (r[0] * alpha[0] + r[1] * alpha[1]) - 0.5 * Math.log(det) - Math.log(2 * Math.PI),
  };
}

test('gp: 1-D squared-exponential posterior mean, variance and likelihood match the closed form', () => {
  // Ordinal encoding of one node with 5 blocks: block b sits at b/4.
  const hyper = { lengthscale: 0.7, signalVariance: 2, noiseVariance: 0.1 };
  const gp = gaussianProcess({ radix: [5], encoding: 'ordinal', kernel: 'rbf', hyper });
  gp.fit([[0], [4]], [1, 3]);
  const se = (d: number) => 2 * Math.exp(-(d * d) / (2 * 0.49));
  // Prior mean is the training mean 2, so residuals are ∓1.
  const want = twoPoint(2 + 0.1, se(1), [-1, 1], [se(0.25), se(0.75)], 2, 2);
  const got = gp.predictWithVariance([[1]]);
  assertClose(got.mean[0]!, want.mean, 1e-12, 'posterior mean at x = 0.25');
  assertClose(got.variance[0]!, want.variance, 1e-12, 'posterior variance at x = 0.25');
  assertClose(gp.predict([[1]])[0]!, want.mean, 1e-12, 'predict agrees with predictWithVariance');
  assertClose(gp.logMarginalLikelihood, want.lml, 1e-12, 'log marginal likelihood');
});

test('gp: 2-D one-hot Matérn 5/2 posterior matches the closed form', () => {
  const matern = (r: number, l: number) => {
    const s = (Math.sqrt(5) * r) / l;
    return 1.5 * (1 + s + (s * s) / 3) * Math.exp(-s);
  };
  const hyper = { lengthscale: 1.3, signalVariance: 1.5, noiseVariance: 0.01 };
  const gp = gaussianProcess({ radix: [3, 3], kernel: 'matern52', hyper });
  // One-hot: [0,0] and [1,2] differ at both nodes (squared distance 4); [0,2] differs from each at one node (2).
  gp.fit([[0, 0], [1, 2]], [10, 4]);
  const want = twoPoint(1.51, matern(2, 1.3), [3, -3], [matern(Math.SQRT2, 1.3), matern(Math.SQRT2, 1.3)], 7, 1.5);
  const got = gp.predictWithVariance([[0, 2]]);
  assertClose(got.mean[0]!, want.mean, 1e-12, 'posterior mean at [0,2]');
  assertClose(got.variance[0]!, want.variance, 1e-12, 'posterior variance at [0,2]');
  // Equidistant from two points with opposite residuals: the posterior mean is the prior mean.
  assertClose(got.mean[0]!, 7, 1e-12, 'symmetry');
});

test('gp: the grid search maximises the likelihood and profiles the signal variance exactly', () => {
  const x = [[0, 1], [1, 2], [2, 0], [3, 3], [4, 1], [0, 4], [2, 2], [1, 0]];
  const y = x.map(([a, b]) => Math.sin(a!) + 0.3 * b!);
  const grid = gaussianProcess({ radix: [5, 5], encoding: 'ordinal' });
  grid.fit(x, y);
  const h = grid.hyper;
  assert.ok(h, 'hyperparameters after fit');
  const at = (signalScale: number) => {
    const gp = gaussianProcess({
      radix: [5, 5],
      encoding: 'ordinal',
      hyper: { lengthscale: h.lengthscale, signalVariance: h.signalVariance * signalScale, noiseVariance: h.noiseVariance },
    });
    gp.fit(x, y);
    return gp.logMarginalLikelihood;
  };
  assertClose(at(1), grid.logMarginalLikelihood, 1e-9, 'profiled likelihood equals the directly computed one');
  // With the noise ratio held fixed, scaling both variances away from the profiled optimum must lower the likelihood.
  const scaled = (c: number) => {
    const gp = gaussianProcess({
      radix: [5, 5],
      encoding: 'ordinal',
      hyper: { lengthscale: h.lengthscale, signalVariance: h.signalVariance * c, noiseVariance: h.noiseVariance * c },
    });
    gp.fit(x, y);
    return gp.logMarginalLikelihood;
  };
  assert.ok(scaled(1.2) < at(1) && scaled(0.8) < at(1), `profiled σf² is a maximum: ${scaled(0.8)}, ${at(1)}, ${scaled(1.2)}`);
  const pv = grid.predictWithVariance([x[0]!, [4, 4]]);
  assert.ok(pv.variance[0]! < pv.variance[1]!, `variance grows away from the data: ${pv.variance[0]} vs ${pv.variance[1]}`);
});

test('gp: past hyperRows the grid runs on a subset, and the chosen setting is fitted exactly on every row', () => {
  const rng = createRng(7);
  const x = Array.from({ length: 90 }, () => [rng.int(5), rng.int(5), rng.int(5)]);
  // front weighting repeats rows: the subset grid may choose a noise ratio that is singular on all of them
  const rows = [...x, ...x.slice(0, 20), ...x.slice(0, 20)];
  const y = rows.map(([a, b, c]) => Math.sin(a!) + 0.3 * b! - 0.2 * a! * c!);
  const sub = gaussianProcess({ radix: [5, 5, 5], hyperRows: 30 });
  sub.fit(rows, y);
  const h = sub.hyper!;
  const exact = gaussianProcess({ radix: [5, 5, 5], hyper: h });
  exact.fit(rows, y);
  const probe = [[0, 0, 0], [4, 4, 4], [2, 1, 3], x[0]!];
  const a = sub.predict(probe);
  const b = exact.predict(probe);
  probe.forEach((_, i) => assertClose(a[i]!, b[i]!, 1e-9, `prediction ${i} is the exact GP's at the chosen setting`));
  assertClose(sub.logMarginalLikelihood, exact.logMarginalLikelihood, 1e-9, 'likelihood on every row');
});
