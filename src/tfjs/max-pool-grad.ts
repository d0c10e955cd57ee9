import {
  backend_util,
  type KernelConfig,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type KernelArgs, unpack, withScratch } from './wasm-kernel-utils.js';

/**
 * Replaces the stock wasm MaxPoolGrad, which is wrong whenever a pooling window holds only negative values (its
 * running maximum starts at 0, so such windows route no gradient at all): e.g. a 2x2/2 max pool of signed data got
 * a ~100% error against the cpu backend. Each window sends dy to its first maximum in row-major order, as the cpu
 * backend does; channels are the innermost loop so x is read in memory order.
 */
function maxPoolGrad(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = unpack<MaxPoolGradAttrs>(args, 'dy', 'input');
  const [dy, input] = inputs as [TensorInfo, TensorInfo];
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;

  return withScratch(backend, (s) => {
    const dx = s.alloc(input.shape);
    const xv = s.view(input);
    const dv = s.view(dy);
    const out = s.view(dx);
    out.fill(0);
    const best = new Float32Array(c);
    const at = new Int32Array(c);
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < ho; oy++) {
        const y0 = oy * sh - top;
        const y1 = Math.min(h, y0 + kh);
        for (let ox = 0; ox < wo; ox++) {
          const x0 = ox * sw - left;
          const x1 = Math.min(w, x0 + kw);
          best.fill(-Infinity);
          at.fill(-1);
          for (let y = Math.max(0, y0); y < y1; y++) {
            for (let x = Math.max(0, x0); x < x1; x++) scanPixel(xv, ((b * h + y) * w + x) * c, c, best, at);
          }
          route(out, dv, ((b * ho + oy) * wo + ox) * c, c, at);
        }
      }
    }
    return dx;
  });
}

// Per-pixel helpers: V8 optimises these small loops far better than the same loops inlined in the closure.
function scanPixel(x: Float32Array, base: number, c: number, best: Float32Array, at: Int32Array): void {
  for (let ci = 0; ci < c; ci++) {
    const v = x[base + ci]!;
    if (v > best[ci]!) {
      best[ci] = v;
      at[ci] = base + ci;
    }
  }
}

function route(dx: Float32Array, dy: Float32Array, d0: number, c: number, at: Int32Array): void {
  for (let ci = 0; ci < c; ci++) {
    const i = at[ci]!;
    if (i >= 0) dx[i]! += dy[d0 + ci]!;
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
