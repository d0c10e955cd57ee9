import { type KernelConfig, type KernelFunc, Mean, Sum, type SumAttrs, util } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * The stock wasm Sum/Mean transpose the reduced axes innermost before reducing; for a per-channel reduction of an
 * NHWC activation (BatchNorm statistics and gradients, global average pooling) that transpose costs ~10x the
 * reduction. A contiguous block of non-innermost axes is instead summed in place as [outer, reduced, inner].
 * Anything else (innermost axes, scattered axes, non-float32) goes to the stock kernel.
 */
export function makeFastReduceConfig(stock: KernelConfig): KernelConfig {
  const isMean = stock.kernelName === Mean;
  if (!isMean && stock.kernelName !== Sum) throw new Error(`not a reduction kernel: ${stock.kernelName}`);
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error(`${stock.kernelName} needs x`);
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const rank = x.shape.length;
    const contiguous = first !== undefined && last !== undefined && last - first + 1 === axes.length;
    if (x.dtype !== 'float32' || !contiguous || last === rank - 1 || util.sizeFromShape(x.shape) === 0) {
      return stock.kernelFunc(args);
    }
    const outer = util.sizeFromShape(x.shape.slice(0, first));
    const reduced = util.sizeFromShape(x.shape.slice(first, last + 1));
    const inner = util.sizeFromShape(x.shape.slice(last + 1));
    const outShape = keepDims
      ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d))
      : x.shape.filter((_, i) => i < first || i > last);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(outShape, 'float32');
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    const acc = new Float64Array(inner);
    const scale = isMean ? 1 / reduced : 1;
    for (let o = 0; o < outer; o++) {
      sumRows(src, o * reduced * inner, reduced, inner, acc);
      for (let i = 0; i < inner; i++) dst[o * inner + i] = acc[i]! * scale;
    }
    return out;
  };
  return { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}

/** acc[i] = sum over r < rows of src[start + r*inner + i], accumulated in float64 like the cpu backend. */
function sumRows(src: Float32Array, start: number, rows: number, inner: number, acc: Float64Array): void {
  acc.fill(0);
  let base = start;
  let r = 0;
  // Four rows per pass more than halves the time: one accumulator load/store per four loads.
  for (; r + 4 <= rows; r += 4, base += 4 * inner) {
    for (let i = 0; i < inner; i++) {
      const j = base + i;
      acc[i]! += src[j]! + src[j + inner]! + (src[j + 2 * inner]! + src[j + 3 * inner]!);
    }
  }
  for (; r < rows; r++, base += inner) {
    for (let i = 0; i < inner; i++) acc[i]! += src[base + i]!;
  }
}
