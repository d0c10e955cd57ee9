/**
 * Ridge regression on binary features given as the list of active feature indices per row:
 * w = argmin |Xw - y|² + Σ_k penalty[k]·w_k². Block encodings are one-hot, so rows are sparse (NB201 with pair
 * terms: 22 active of 406) and the normal equations are built in O(rows · active²), then solved by Cholesky.
 */
export function ridgeBinary(rows: readonly Int32Array[], y: ArrayLike<number>, penalty: ArrayLike<number>): Float64Array {
  const p = penalty.length;
  // With far more features than rows (pair terms of a 12-node space: ~1,500 features for 100 networks) the
  // p x p normal equations cost O(p³) per fit, a minute of cross-validation; the n x n dual system gives the same
  // weights. It needs every feature but the intercept (feature 0, in every row) penalised.
  if (p > 2 * rows.length && rows.every((x) => x.includes(0)) && Array.from(penalty).every((v, k) => k === 0 || v >= 1e-6)) {
    return ridgeBinaryDual(rows, y, penalty);
  }
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  rows.forEach((x, r) => {
    const yr = y[r]!;
    for (let u = 0; u < x.length; u++) {
      const i = x[u]!;
      b[i]! += yr;
      for (let v = 0; v < x.length; v++) a[i * p + x[v]!]! += 1;
    }
  });
  // The tiny ridge keeps never-seen features (a block no evaluated network used) at zero instead of singular.
  for (let i = 0; i < p; i++) a[i * p + i]! += penalty[i]! + 1e-9;
  return choleskySolve(a, b, p);
}

/**
 * The same fit through the dual, with the intercept (feature 0) unpenalised: centre y and the other features,
 * then w = Λ⁻¹ Zcᵀ (Zc Λ⁻¹ Zcᵀ + I)⁻¹ yc over the n x n kernel matrix, and intercept = ȳ − z̄ᵀw. With binary sparse
 * rows, K_rs = Σ_{k in r∩s} 1/λ_k − u_r − u_s + c where u_r = Σ_{k in r} z̄_k/λ_k and c = Σ_k z̄_k²/λ_k.
 */
export function ridgeBinaryDual(rows: readonly Int32Array[], y: ArrayLike<number>, penalty: ArrayLike<number>): Float64Array {
  const n = rows.length;
  const p = penalty.length;
  const inv = Float64Array.from(penalty, (v, k) => (k === 0 ? 0 : 1 / v));
  const mean = new Float64Array(p);
  for (const x of rows) for (const k of x) if (k !== 0) mean[k]! += 1 / n;
  let ybar = 0;
  for (let r = 0; r < n; r++) ybar += y[r]! / n;
  let c = 0;
  for (let k = 1; k < p; k++) c += mean[k]! ** 2 * inv[k]!;
  const u = rows.map((x) => x.reduce((s, k) => s + mean[k]! * inv[k]!, 0));
  const kmat = new Float64Array(n * n);
  const mark = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (const k of rows[r]!) mark[k] = inv[k]!;
    for (let t = 0; t <= r; t++) {
      let a = 0;
      for (const k of rows[t]!) a += mark[k]!;
      const v = a - u[r]! - u[t]! + c + (t === r ? 1 : 0);
      kmat[r * n + t] = v;
      kmat[t * n + r] = v;
    }
    for (const k of rows[r]!) mark[k] = 0;
  }
  const alpha = choleskySolve(kmat, Float64Array.from({ length: n }, (_, r) => y[r]! - ybar), n);
  let alphaSum = 0;
  for (let r = 0; r < n; r++) alphaSum += alpha[r]!;
  const w = new Float64Array(p);
  rows.forEach((x, r) => {
    for (const k of x) if (k !== 0) w[k]! += alpha[r]!;
  });
  let intercept = ybar;
  for (let k = 1; k < p; k++) {
    w[k] = inv[k]! * (w[k]! - mean[k]! * alphaSum);
    intercept -= mean[k]! * w[k]!;
  }
  w[0] = intercept;
  return w;
}

/** Solves A w = b for symmetric positive-definite A (row-major, overwritten). */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! ** 2;
    if (!(d > 0)) throw new Error('ridge: matrix not positive definite');
    const l = Math.sqrt(d);
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * z[k]!;
    z[i] = s / a[i * p + i]!;
  }
  const w = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * w[k]!;
    w[i] = s / a[i * p + i]!;
  }
  return w;
}
