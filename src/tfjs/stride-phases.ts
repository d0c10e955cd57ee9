/**
 * One axis of a transposed (backprop-input) convolution, split by output phase.
 *
 * Forward: y[o] = sum_t x[o*s + t - p] w[t]. Then dx[q*s + r] only ever meets the taps t = ((r+p) mod s) + j*s,
 * and is a stride-1 correlation of dy with those taps reversed: dx[q*s + r] = sum_u dy[q + u - before] w[taps[u]].
 * Running each phase as its own small convolution does exactly the forward pass's multiply count, where the
 * usual dilated-dy formulation multiplies s^2 times as many zeros.
 */
export interface AxisPhase {
  /** Forward taps in correlation order (descending); empty when no tap reaches this phase. */
  taps: number[];
  /** Padding in front of dy; negative only for explicit pads wider than the kernel. */
  before: number;
  /** Number of dx positions in this phase: q = 0 .. count-1. */
  count: number;
}

export function axisPhases(kernel: number, stride: number, padBefore: number, inSize: number): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let r = 0; r < stride; r++) {
    const first = (r + padBefore) % stride;
    const base = Math.floor((r + padBefore) / stride);
    const taps: number[] = [];
    for (let t = first; t < kernel; t += stride) taps.unshift(t);
    phases.push({ taps, before: taps.length - 1 - base, count: Math.max(0, Math.ceil((inSize - r) / stride)) });
  }
  return phases;
}
