import {
  Conv2DBackpropInput,
  getKernel,
  type KernelConfig,
  Mean,
  registerKernel,
  Sum,
  Tile,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { avgPoolGradConfig } from './avg-pool-grad.js';
import { makeConv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { makeFastReduceConfig } from './fast-reduce.js';
import { makeFastTileConfig } from './fast-tile.js';
import { maxPoolGradConfig } from './max-pool-grad.js';

function stock(kernelName: string): KernelConfig {
  const config = getKernel(kernelName, 'wasm');
  if (config === undefined) throw new Error(`tfjs-backend-wasm is not loaded (no ${kernelName})`);
  return config;
}

let registered = false;

/**
 * Registers, for the 'wasm' backend, the convolution gradient kernels that tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput/Filter); replaces its MaxPoolGrad, which is wrong for
 * negative inputs; and replaces stock kernels that exist but dominate a training step (Conv2DBackpropInput,
 * AvgPoolGrad, Tile, Sum, Mean), each delegating the cases it does not speed up to the stock kernel. Idempotent.
 */
export function registerWasmGradKernels(): void {
  if (registered) return;
  // Wrapped stock kernels are captured before anything is replaced, so a second call could never wrap a wrapper.
  const configs: KernelConfig[] = [
    conv2dBackpropFilterConfig,
    makeConv2dBackpropInputConfig(stock(Conv2DBackpropInput)),
    depthwiseBackpropInputConfig,
    depthwiseBackpropFilterConfig,
    maxPoolGradConfig,
    avgPoolGradConfig,
    makeFastTileConfig(stock(Tile)),
    makeFastReduceConfig(stock(Sum)),
    makeFastReduceConfig(stock(Mean)),
  ];
  for (const config of configs) {
    // Unregistering first keeps tfjs from warning about the override of the stock kernel.
    if (getKernel(config.kernelName, 'wasm') !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  registered = true;
}
