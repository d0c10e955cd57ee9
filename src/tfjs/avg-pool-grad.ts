import { AvgPoolGrad, type AvgPoolGradAttrs, backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { transposedDepthwise } from './depthwise-backprop-input.js';
import { type KernelArgs, unpack, withScratch } from './wasm-kernel-utils.js';

/**
 * The stock wasm AvgPoolGrad is a scalar loop, many times slower than the forward pass (docs/notes/2026-12-08-evaluation.md).
 * Spreading dy back over each window is a transposed depthwise convolution with a constant filter, which
 * XNNPACK runs. The constant is 1/(kh*kw) at every position, as in the tfjs cpu and stock wasm kernels, although
 * the forward SAME pool divides border windows by their in-image count.
 */
function avgPoolGrad(args: KernelArgs): TensorInfo {
  const { backend, inputs, attrs } = unpack<AvgPoolGradAttrs>(args, 'dy', 'input');
  const [dy, input] = inputs as [TensorInfo, TensorInfo];
  const { filterSize, strides, pad } = attrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
  return withScratch(backend, (s) => {
    const { filterHeight: kh, filterWidth: kw, inChannels: c } = info;
    const filter = s.alloc([kh, kw, c, 1]);
    s.view(filter).fill(1 / (kh * kw));
    return transposedDepthwise(s, dy, filter, info);
  });
}

export const avgPoolGradConfig: KernelConfig = {
  kernelName: AvgPoolGrad,
  backendName: 'wasm',
  kernelFunc: avgPoolGrad,
};
