import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { cropNHWC, type KernelArgs, unpack, type WasmScratch, withScratch } from './wasm-kernel-utils.js';

/**
 * dx is a stride-1 depthwise correlation of dy (zero-stuffed when the forward stride is > 1) with the spatially
 * flipped filter, run by XNNPACK. A channel multiplier m > 1 is handled by correlating each of the C*m dy channels
 * on its own and summing the m that share an input channel.
 */
function depthwiseBackpropInput(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = unpack<DepthwiseConv2dNativeBackpropInputAttrs>(args, 'dy', 'filter');
  const [dy, filter] = inputs as [TensorInfo, TensorInfo];
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  const { batchSize: n, inHeight: h, inWidth: w } = info;

  return withScratch(backend, (s) => {
    const flipped = s.alloc([kh, kw, c * m, 1]);
    const fv = s.view(flipped);
    const wv = s.view(filter);
    const taps = kh * kw;
    const cm = c * m;
    for (let t = 0; t < taps; t++) fv.set(wv.subarray(t * cm, (t + 1) * cm), (taps - 1 - t) * cm);
    const corr = transposedDepthwise(s, dy, flipped, info);
    if (m === 1) return corr;
    return s.run('Sum', { x: s.reshape(corr, [n, h, w, c, m]) }, { axis: [4], keepDims: false });
  });
}

/**
 * The transpose of a depthwise convolution (or of a pooling window sum) with geometry `g`, given the filter
 * already flipped as [kh, kw, channels, 1]: one stride-1 XNNPACK depthwise correlation over dy, zero-stuffed when
 * the forward stride is > 1. Returns [N, inHeight, inWidth, channels].
 */
export function transposedDepthwise(s: WasmScratch, dy: TensorInfo, flipped: TensorInfo, g: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) throw new Error('transposed depthwise: strides and dilations both > 1');
  const [kh, kw] = flipped.shape as [number, number, number, number];
  const extentH = (kh - 1) * dh + 1;
  const extentW = (kw - 1) * dw + 1;
  const beforeY = extentH - 1 - g.padInfo.top;
  const beforeX = extentW - 1 - g.padInfo.left;
  if (beforeY < 0 || beforeX < 0) throw new Error('transposed depthwise: padding wider than the filter');
  const stuffed = sh === 1 && sw === 1 ? dy : zeroStuff(s, dy, sh, sw);
  const [, sH, sW] = stuffed.shape as [number, number, number, number];
  const afterY = Math.max(0, g.inHeight - sH - beforeY + extentH - 1);
  const afterX = Math.max(0, g.inWidth - sW - beforeX + extentW - 1);
  const corr = s.run(
    'DepthwiseConv2dNative',
    { x: stuffed, filter: flipped },
    { strides: 1, dilations: [dh, dw], pad: [[0, 0], [beforeY, afterY], [beforeX, afterX], [0, 0]] },
  );
  return cropNHWC(s, corr, 0, 0, g.inHeight, g.inWidth);
}

/** [N,H,W,C] -> [N,H*sh,W*sw,C] with each value at (y*sh, x*sw) and zeros elsewhere. */
function zeroStuff(s: WasmScratch, x: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = s.alloc([n, h * sh, w * sw, c]);
  const dst = s.view(out);
  const src = s.view(x);
  dst.fill(0);
  const outRow = w * sw * c;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const rowBase = (b * h * sh + y * sh) * outRow;
      spreadRow(src, ((b * h + y) * w) * c, dst, rowBase, w, c, sw * c);
    }
  }
  return out;
}

/** Copies w pixels of c values, packed in src, to dst at a pitch of `pitch` values. */
function spreadRow(src: Float32Array, from: number, dst: Float32Array, to: number, w: number, c: number, pitch: number): void {
  for (let xi = 0; xi < w; xi++, from += c, to += pitch) {
    for (let ci = 0; ci < c; ci++) dst[to + ci] = src[from + ci]!;
  }
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
