import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type AxisPhase, axisPhases } from './stride-phases.js';
import { cropNHWC, type WasmScratch, unpack, withScratch } from './wasm-kernel-utils.js';

/**
 * The stock wasm Conv2DBackpropInput is a scalar loop, ~7x slower than the XNNPACK forward convolution it
 * mirrors. Here each stride phase of dx is one XNNPACK convolution of dy with the phase's taps of the filter,
 * flipped and with in/out channels swapped; the phases are then interleaved into dx. Cases it does not cover
 * (NCHW, explicit pads wider than the kernel) go to the stock kernel.
 */
export function makeConv2dBackpropInputConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { backend, inputs, attrs } = unpack<Conv2DBackpropInputAttrs>(args, 'dy', 'filter');
    const [dy, filter] = inputs as [TensorInfo, TensorInfo];
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    if (info.dataFormat !== 'channelsLast') return stock.kernelFunc(args);
    const py = axisPhases(info.filterHeight, info.strideHeight, info.padInfo.top, info.inHeight);
    const px = axisPhases(info.filterWidth, info.strideWidth, info.padInfo.left, info.inWidth);
    if ([...py, ...px].some((p) => p.before < 0)) return stock.kernelFunc(args);
    const geometry: Geometry = { ...info, phasesY: py, phasesX: px };
    return withScratch(backend, (s) => backpropInput(s, dy, filter, geometry));
  };
  return { kernelName: Conv2DBackpropInput, backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}

interface Geometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  phasesY: AxisPhase[];
  phasesX: AxisPhase[];
}

function backpropInput(s: WasmScratch, dy: TensorInfo, filter: TensorInfo, g: Geometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, strideHeight: sh, strideWidth: sw } = g;
  const single = sh === 1 && sw === 1;
  // Without stride there is one phase and its convolution output is dx itself.
  const dx = single ? undefined : s.alloc([n, h, w, c]);
  if (dx !== undefined && [...g.phasesY, ...g.phasesX].some((p) => p.taps.length === 0)) s.view(dx).fill(0);
  for (let ry = 0; ry < sh; ry++) {
    for (let rx = 0; rx < sw; rx++) {
      const py = g.phasesY[ry]!;
      const px = g.phasesX[rx]!;
      if (py.taps.length === 0 || px.taps.length === 0 || py.count === 0 || px.count === 0) continue;
      const phase = phaseConv(s, dy, filter, g, py, px);
      if (dx === undefined) return cropNHWC(s, phase, 0, 0, h, w);
      interleave(s.view(phase), s.view(dx), { n, h, w, c, ry, rx, sh, sw, ph: phase.shape[1]!, pw: phase.shape[2]! });
      s.free(phase);
    }
  }
  if (dx === undefined) throw new Error('Conv2DBackpropInput: the filter reaches no input position');
  return dx;
}

/** Correlates dy with the taps of one phase, filter flipped and transposed to [ty, tx, outC, inC]. */
function phaseConv(s: WasmScratch, dy: TensorInfo, filter: TensorInfo, g: Geometry, py: AxisPhase, px: AxisPhase): TensorInfo {
  const { inChannels: c, outChannels: k, filterWidth: kw } = g;
  const f = s.alloc([py.taps.length, px.taps.length, k, c]);
  const fv = s.view(f);
  const wv = s.view(filter);
  let o = 0;
  for (const ty of py.taps) {
    for (const tx of px.taps) {
      const src = (ty * kw + tx) * c * k;
      for (let ki = 0; ki < k; ki++) {
        for (let ci = 0; ci < c; ci++) fv[o++] = wv[src + ci * k + ki]!;
      }
    }
  }
  const after = (p: AxisPhase, dyLen: number) => Math.max(0, p.count - dyLen - p.before + p.taps.length - 1);
  const out = s.run(
    'Conv2D',
    { x: dy, filter: f },
    {
      strides: 1,
      dilations: 1,
      pad: [[0, 0], [py.before, after(py, g.outHeight)], [px.before, after(px, g.outWidth)], [0, 0]],
      dataFormat: 'NHWC',
    },
  );
  s.free(f);
  return out;
}

/** dx[b, qy*sh+ry, qx*sw+rx, :] = phase[b, qy, qx, :] for every position of the phase that lies in dx. */
function interleave(
  src: Float32Array,
  dst: Float32Array,
  p: { n: number; h: number; w: number; c: number; ry: number; rx: number; sh: number; sw: number; ph: number; pw: number },
): void {
  const { n, h, w, c, ry, rx, sh, sw, ph, pw } = p;
  for (let b = 0; b < n; b++) {
    for (let qy = 0, y = ry; qy < ph && y < h; qy++, y += sh) {
      let from = ((b * ph + qy) * pw) * c;
      let to = ((b * h + y) * w + rx) * c;
      for (let qx = 0, x = rx; qx < pw && x < w; qx++, x += sw, from += c, to += sw * c) {
        for (let ci = 0; ci < c; ci++) dst[to + ci] = src[from + ci]!;
      }
    }
  }
}
