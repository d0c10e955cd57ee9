import * as tf from '@tensorflow/tfjs-core';
import { type ChainBlock, chainInputGrad, wholeInputGrad } from '../tfjs/chain-grad.js';
import type { BnMode } from '../tfjs/nb201-ops.js';
import { symmetricEigenvalues } from './jacobi-eigen.js';

/**
 * jacob_cov, the score of "Neural Architecture Search without Training" v1 (Mellor et al., arXiv:2006.04647v1;
 * BayesWatch/nas-without-training search.py at the v1 commits, `get_batch_jacobian` and `eval_score`), which
 * zero-cost-nas (Abdelfattah et al. 2021, foresight/pruners/measures/jacob_cov.py) and NASLib (`jacov`) reuse:
 *
 *   y = net(x) (the logits; NASWOT v1 builds the net with num_classes = 1), y.backward(ones_like(y)), J = x.grad
 *   flattened per sample; C = np.corrcoef(J) (rows = samples); λ = eigenvalues of C;
 *   score = −Σ (log(λ + 1e-5) + 1/(λ + 1e-5)).
 *
 * Higher is better; the maximum, −B(log(1+1e-5) + 1/(1+1e-5)) ≈ −B, is reached when C is the identity, i.e. when
 * the input gradients of different images are uncorrelated.
 *
 * BN mode. NASWOT v1's search.py calls network.eval() (BN uses its running statistics, 0 and 1 at init, and images
 * are independent); its plot_histograms.py and zero-cost-nas leave the net in training mode (batch statistics, and
 * the backward pass carries the coupling between images). The published NB201 table (arch_score_acc.pd, the
 * data's `jacob_cov_cifar10`) ranks like training mode: on bench/zc-jacov.ts's 200 cells (MNIST, batch 32) ours
 * has Spearman 0.901 with it in train mode and 0.785 in eval mode. Train mode is the default; both are available.
 */
export const JACOB_COV_K = 1e-5;

/** What the score needs of a network: its forward pass as a chain of blocks, and whether x reaches the output. */
export interface JacobianNet {
  readonly dependsOnInput: boolean;
  blocks(bn: BnMode): ChainBlock[];
}

/** −Σ (log(λ+k) + 1/(λ+k)); NaN when some λ+k ≤ 0 (numpy gives NaN or −inf there). */
export function jacobCovFromEigenvalues(eigenvalues: ArrayLike<number>, k = JACOB_COV_K): number {
  let s = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i]! + k;
    if (!(v > 0)) return Number.NaN;
    s += Math.log(v) + 1 / v;
  }
  return -s;
}

/**
 * np.corrcoef of n row vectors of length d (row-major), in float64 as numpy computes it from float32 data; entries
 * clipped to [−1, 1] as numpy does. Null when a row is constant (numpy's NaN row, on which eig fails).
 */
export function correlationMatrix(rows: ArrayLike<number>, n: number, d: number): Float64Array | null {
  if (rows.length !== n * d) throw new Error(`correlationMatrix: expected ${n * d} values, got ${rows.length}`);
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += rows[i * d + j]!;
    mean /= d;
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const v = rows[i * d + j]! - mean;
      centred[i * d + j] = v;
      ss += v * v;
    }
    if (!(ss > 0) || !Number.isFinite(ss)) return null;
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < d; j++) centred[i * d + j]! *= inv;
  }
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    c[i * n + i] = 1;
    for (let k = i + 1; k < n; k++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += centred[i * d + j]! * centred[k * d + j]!;
      const v = Math.max(-1, Math.min(1, dot));
      c[i * n + k] = v;
      c[k * n + i] = v;
    }
  }
  return c;
}

/**
 * Row i = the gradient of the summed output with respect to image i, flattened (NHWC order; the score ignores it).
 * One tf.grad holds every activation and intermediate gradient of the network at once: ~20 MB per image with BN in
 * eval mode, ~40 MB in train mode, against a 4 GB wasm heap. In eval mode images do not interact, so the batch is
 * split into chunks of EVAL_CHUNK, each with one plain backward pass. In train mode BN couples the whole batch:
 * up to TRAIN_WHOLE_BATCH images get one plain pass; larger batches recompute block by block during the backward
 * pass, which bounds memory at the price of a second forward pass.
 */
export async function inputJacobians(net: JacobianNet, x: tf.Tensor4D, bn: BnMode): Promise<Float32Array> {
  const blocks = net.blocks(bn);
  const n = x.shape[0];
  if (bn === 'train') return readAndDispose(n <= TRAIN_WHOLE_BATCH ? wholeInputGrad(blocks, x) : chainInputGrad(blocks, x));
  const out = new Float32Array(x.size);
  const rowSize = x.size / n;
  for (let start = 0; start < n; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, n - start);
    const part = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
    try {
      out.set(await readAndDispose(wholeInputGrad(blocks, part)), start * rowSize);
    } finally {
      part.dispose();
    }
  }
  return out;
}

export const EVAL_CHUNK = 32;
export const TRAIN_WHOLE_BATCH = 32;

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** The score of the rows of a Jacobian: NaN where numpy's pipeline gives NaN (a constant row, λ+k ≤ 0). */
export function jacobCovOfJacobians(rows: ArrayLike<number>, n: number): number {
  const c = correlationMatrix(rows, n, rows.length / n);
  return c === null ? Number.NaN : jacobCovFromEigenvalues(symmetricEigenvalues(c, n));
}

export interface JacobCovOptions {
  /** BN mode of the forward pass (default 'train': see the module comment). */
  bn?: BnMode;
}

/** jacob_cov of `net` on the batch `x`; NaN when the output does not depend on the input (all-zero Jacobian). */
export async function jacobCov(net: JacobianNet, x: tf.Tensor4D, options: JacobCovOptions = {}): Promise<number> {
  if (!net.dependsOnInput) return Number.NaN;
  const rows = await inputJacobians(net, x, options.bn ?? 'train');
  return jacobCovOfJacobians(rows, x.shape[0]);
}
