import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/random.js';
import { symmetricEigenvalues } from '../src/zc/jacobi-eigen.js';
import { correlationMatrix, JACOB_COV_K, jacobCovFromEigenvalues, jacobCovOfJacobians } from '../src/zc/jacob-cov.js';
import { assertClose } from './helpers/assert.js';

function assertAllClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assertClose(actual[i]!, e, tol, `${what}[${i}]`));
}

test('Jacobi eigenvalues of hand-worked matrices', () => {
  assertAllClose(symmetricEigenvalues([3, 0, 0, 0, -1, 0, 0, 0, 2], 3), [-1, 2, 3], 0, 'diagonal');
  assertAllClose(symmetricEigenvalues([2, 1, 1, 2], 2), [1, 3], 1e-15, '[[2,1],[1,2]]');
  // The 1-D Laplacian: eigenvalues 2 − 2cos(kπ/4), k = 1..3.
  assertAllClose(symmetricEigenvalues([2, -1, 0, -1, 2, -1, 0, -1, 2], 3), [2 - Math.SQRT2, 2, 2 + Math.SQRT2], 1e-14, 'tridiagonal');
  // All-ones 4x4: rank one, eigenvalues 0 (three times) and 4.
  assertAllClose(symmetricEigenvalues(new Array(16).fill(1), 4), [0, 0, 0, 4], 1e-14, 'ones');
  assertAllClose(symmetricEigenvalues([7], 1), [7], 0, '1x1');
});

test('Jacobi recovers the spectrum of Q·diag·Qᵀ, tiny eigenvalues to high relative accuracy', () => {
  const n = 12;
  const rng = createRng(5);
  const v = Array.from({ length: n }, () => rng.next() - 0.5);
  const vv = v.reduce((s, x) => s + x * x, 0);
  // Householder reflection Q = I − 2vvᵀ/vᵀv is orthogonal and symmetric.
  const q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
  const spectrum = Array.from({ length: n }, (_, i) => (i === 0 ? 1e-9 : i === 1 ? 1e-6 : i - 3.5));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q(i, k) * spectrum[k]! * q(j, k);
      a[i * n + j] = s;
    }
  }
  const got = symmetricEigenvalues(a, n);
  const want = [...spectrum].sort((x, y) => x - y);
  want.forEach((e, i) => assertClose(got[i]!, e, 1e-13, `eigenvalue ${i}`));
});

test('Jacobi on a random symmetric matrix preserves trace and Frobenius norm', () => {
  const n = 40;
  const rng = createRng(9);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.next() * 2 - 1;
  const ev = symmetricEigenvalues(a, n);
  let trace = 0;
  let frob = 0;
  for (let i = 0; i < n; i++) {
    trace += a[i * n + i]!;
    for (let j = 0; j < n; j++) frob += a[i * n + j]! ** 2;
  }
  assertClose(ev.reduce((s, x) => s + x, 0), trace, 1e-12, 'sum of eigenvalues vs trace');
  assertClose(ev.reduce((s, x) => s + x * x, 0), frob, 1e-10, 'sum of squared eigenvalues vs Frobenius²');
  for (let i = 1; i < n; i++) assert.ok(ev[i - 1]! <= ev[i]!, `eigenvalues ascending at ${i}`);
});

test('correlationMatrix matches np.corrcoef on hand rows; constant rows are rejected', () => {
  // np.corrcoef([[1,2,3],[2,4,7],[3,2,1]]) = [[1, 0.99339927, -1], [0.99339927, 1, -0.99339927], [-1, -0.99339927, 1]]
  const c = correlationMatrix([1, 2, 3, 2, 4, 7, 3, 2, 1], 3, 3);
  assert.ok(c !== null, 'correlation of non-constant rows exists');
  const r = 0.9933992677987828;
  assertAllClose(c, [1, r, -1, r, 1, -r, -1, -r, 1], 1e-15, 'corrcoef');
  assert.equal(correlationMatrix([1, 2, 3, 5, 5, 5], 2, 3), null, 'a constant row has no correlation');
});

test('jacob_cov score formula: identity correlation gives the maximum −n(log(1+k) + 1/(1+k))', () => {
  const k = JACOB_COV_K;
  assertClose(jacobCovFromEigenvalues([1, 1, 1, 1]), -4 * (Math.log(1 + k) + 1 / (1 + k)), 1e-12, 'identity');
  assertClose(jacobCovFromEigenvalues([0.5, 1.5]), -(Math.log(0.5 + k) + 1 / (0.5 + k) + Math.log(1.5 + k) + 1 / (1.5 + k)), 1e-12, 'two');
  assert.ok(Number.isNaN(jacobCovFromEigenvalues([-1e-3, 2])), 'λ + k ≤ 0 gives NaN, as log does in numpy');
  // Identical Jacobian rows: corr = all ones, eigenvalues {n, 0 × (n−1)}.
  const n = 5;
  const rows = Array.from({ length: n }, () => [0.3, -1, 2, 0.5]).flat();
  const expected = -(Math.log(n + k) + 1 / (n + k)) - (n - 1) * (Math.log(k) + 1 / k);
  assertClose(jacobCovOfJacobians(rows, n), expected, 1e-6 * Math.abs(expected), 'identical rows');
});
