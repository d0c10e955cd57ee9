/**
 * Eigenvalues of a real symmetric matrix by the cyclic Jacobi method (Golub & Van Loan §8.5; Numerical Recipes
 * §11.1). Jacobi is slower than tridiagonal QR but determines small eigenvalues to high relative accuracy, and the
 * jacob_cov score is dominated by the smallest eigenvalues of a correlation matrix (through 1/(λ+1e-5)).
 */
export interface JacobiOptions {
  /** Stop once the off-diagonal Frobenius norm is at most tol times the matrix's Frobenius norm. */
  tol?: number;
  maxSweeps?: number;
}

/** Eigenvalues, ascending, of the symmetric n×n row-major `matrix` (only its upper triangle is read). */
export function symmetricEigenvalues(matrix: ArrayLike<number>, n: number, options: JacobiOptions = {}): Float64Array {
  if (matrix.length !== n * n) throw new Error(`symmetricEigenvalues: expected ${n * n} entries, got ${matrix.length}`);
  const tol = options.tol ?? 1e-14;
  const maxSweeps = options.maxSweeps ?? 100;
  const a = new Float64Array(n * n);
  let norm2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = matrix[i * n + j]!;
      if (!Number.isFinite(v)) throw new Error(`symmetricEigenvalues: entry (${i}, ${j}) is ${v}`);
      a[i * n + j] = v;
      a[j * n + i] = v;
      norm2 += i === j ? v * v : 2 * v * v;
    }
  }
  const threshold2 = tol * tol * norm2;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (2 * offDiagonal2(a, n) <= threshold2) return sortedDiagonal(a, n);
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, n, p, q);
    }
  }
  throw new Error(`symmetricEigenvalues: no convergence in ${maxSweeps} sweeps`);
}

/** Σ_{p<q} a_pq². */
function offDiagonal2(a: Float64Array, n: number): number {
  let s = 0;
  for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) s += a[p * n + q]! ** 2;
  return s;
}

/** One Jacobi rotation J(p, q, θ) chosen to annihilate a_pq: A ← JᵀAJ, both triangles kept in step. */
function rotate(a: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const app = a[p * n + p]!;
  const aqq = a[q * n + q]!;
  const theta = (aqq - app) / (2 * apq);
  // The smaller root of t² + 2θt − 1 = 0 (|rotation angle| ≤ π/4), written to avoid overflow of θ².
  const t = Number.isFinite(theta * theta)
    ? Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
    : 1 / (2 * theta);
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  a[p * n + p] = app - t * apq;
  a[q * n + q] = aqq + t * apq;
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k === p || k === q) continue;
    const akp = a[k * n + p]!;
    const akq = a[k * n + q]!;
    const np = c * akp - s * akq;
    const nq = s * akp + c * akq;
    a[k * n + p] = np;
    a[p * n + k] = np;
    a[k * n + q] = nq;
    a[q * n + k] = nq;
  }
}

function sortedDiagonal(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]!;
  return d.sort();
}
