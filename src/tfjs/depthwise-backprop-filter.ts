import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type KernelArgs, unpack, withScratch } from './wasm-kernel-utils.js';

/**
 * dW[ty,tx,c,q] = sum_{n,oy,ox} x[n, oy*s+ty*d-pt, ox*s+tx*d-pl, c] * dy[n,oy,ox,c*m+q].
 * XNNPACK has no operator shaped like this per-channel reduction (a depthwise convolution with dy as a
 * Ho x Wo filter works but runs ~8x slower than the forward pass), so it is a plain loop over the wasm heap.
 * With stride 1 and m = 1 the innermost loop walks one contiguous row of both x and dy.
 */
function depthwiseBackpropFilter(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = unpack<DepthwiseConv2dNativeBackpropFilterAttrs>(args, 'x', 'dy');
  const [x, dy] = inputs as [TensorInfo, TensorInfo];
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filterShape;
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const cm = c * m;

  const g: TapGeometry = { n, h, w, ho, wo, sh, sw, c, m, top, left };
  return withScratch(backend, (s) => {
    const out = s.alloc([kh, kw, c, m]);
    const xv = s.view(x);
    const dv = s.view(dy);
    const ov = s.view(out);
    const contiguous = sw === 1 && m === 1;
    // One accumulator per (ox, channel) keeps the inner loop free of index arithmetic; folded over ox at the end.
    const acc = new Float64Array(contiguous ? wo * c : cm);
    for (let ty = 0; ty < kh; ty++) {
      for (let tx = 0; tx < kw; tx++) {
        accumulateTap(acc, xv, dv, g, ty * dh - top, tx * dw - left);
        const base = (ty * kw + tx) * cm;
        if (contiguous) {
          for (let ci = 0; ci < c; ci++) {
            let sum = 0;
            for (let ox = 0; ox < wo; ox++) sum += acc[ox * c + ci]!;
            ov[base + ci] = sum;
          }
        } else {
          for (let j = 0; j < cm; j++) ov[base + j] = acc[j]!;
        }
      }
    }
    return out;
  });
}

interface TapGeometry {
  n: number;
  h: number;
  w: number;
  ho: number;
  wo: number;
  sh: number;
  sw: number;
  c: number;
  m: number;
  top: number;
  left: number;
}

/** acc = sum over images and output rows of x (shifted by the tap offset dy, dx) times dy, per (ox, c) or (c, q). */
function accumulateTap(acc: Float64Array, xv: Float32Array, dv: Float32Array, g: TapGeometry, offY: number, offX: number): void {
  const { n, h, w, ho, wo, sh, sw, c, m } = g;
  acc.fill(0);
  // Output columns whose input column ox*sw + offX lies inside the image.
  const ox0 = Math.max(0, Math.ceil(-offX / sw));
  const ox1 = Math.min(wo, Math.floor((w - 1 - offX) / sw) + 1);
  if (ox1 <= ox0) return;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      const iy = oy * sh + offY;
      if (iy < 0 || iy >= h) continue;
      const xRow = (b * h + iy) * w;
      const dRow = (b * ho + oy) * wo;
      if (sw === 1 && m === 1) macRow(acc, ox0 * c, xv, (xRow + ox0 + offX) * c, dv, (dRow + ox0) * c, (ox1 - ox0) * c);
      else macStrided(acc, xv, dv, { xRow, dRow, ox0, ox1, sw, dx: offX, c, m });
    }
  }
}

// The loops live in small top-level functions: V8 compiles these far better than loops nested in the kernel
// closure (3x on the contiguous case).
function macRow(acc: Float64Array, a0: number, x: Float32Array, x0: number, d: Float32Array, d0: number, len: number): void {
  for (let j = 0; j < len; j++) acc[a0 + j]! += x[x0 + j]! * d[d0 + j]!;
}

function macStrided(
  acc: Float64Array,
  x: Float32Array,
  d: Float32Array,
  r: { xRow: number; dRow: number; ox0: number; ox1: number; sw: number; dx: number; c: number; m: number },
): void {
  const { xRow, dRow, ox0, ox1, sw, dx, c, m } = r;
  const cm = c * m;
  for (let ox = ox0; ox < ox1; ox++) {
    const xo = (xRow + ox * sw + dx) * c;
    const d0 = (dRow + ox) * cm;
    for (let ci = 0; ci < c; ci++) {
      const xval = x[xo + ci]!;
      for (let q = 0; q < m; q++) acc[ci * m + q]! += xval * d[d0 + ci * m + q]!;
    }
  }
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};
