/**
 * Ridge regression on binary features given as the list of active feature indices per row:
 * w = argmin |Xw - y|² + Σ_k penalty[k]·w_k². Block encodings are one-hot, so rows are sparse (NB201 with pair
 * terms: 22 active of 406) and the normal equations are built in O(rows · active²), then solved by Cholesky.
 */
export function ridgeBinary(rows: readonly Int32Array[], y: ArrayLike<number>, penalty: ArrayLike<number>): Float64Array {
  const p = penalty.length;
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
