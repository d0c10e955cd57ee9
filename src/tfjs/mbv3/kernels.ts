import {
  engine,
  getKernel,
  type GradConfig,
  type KernelFunc,
  registerGradient,
  registerKernel,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/*
 * Single-pass kernels for the element-wise work of an MBConv network, on the wasm and cpu backends. Built from
 * stock ops, h-swish is ~8 passes over the activation forward and backward and a training-mode BN ~12; on small
 * feature maps these passes, not the convolutions, dominated a training step. Each kernel is a plain loop over the
 * backend's own memory, channels innermost (NHWC).
 */

const HSWISH = 'BlocknasHardSwish';
const HSWISH_GRAD = 'BlocknasHardSwishGrad';
const MOMENTS = 'BlocknasChannelMoments';
const AFFINE = 'BlocknasChannelAffine';

type Body = (inputs: Float32Array[], out: Float32Array) => void;

/** Runs `body` on the inputs' values and a fresh float32 output of `shape`, on either backend. */
function compute(backend: unknown, inputs: TensorInfo[], shape: number[], body: Body): TensorInfo {
  if (inputs.some((t) => t.dtype !== 'float32')) throw new Error('mbv3 kernels take float32 tensors only');
  if (typeof (backend as BackendWasm).typedArrayFromHeap === 'function') {
    const wasm = backend as BackendWasm;
    // Allocate first: growing the heap would invalidate views taken before.
    const out = wasm.makeOutput(shape, 'float32');
    body(inputs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array), wasm.typedArrayFromHeap(out) as Float32Array);
    return out;
  }
  const cpu = backend as MathBackendCPU;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  body(inputs.map((t) => cpu.data.get(t.dataId).values as Float32Array), values);
  return cpu.makeTensorInfo(shape, 'float32', values);
}

function kernel(name: string, inputNames: string[], shapeOf: (inputs: TensorInfo[]) => number[], body: Body): KernelFunc {
  return ({ inputs, backend }) => {
    const ins = inputNames.map((n) => {
      const t = inputs[n];
      if (t === undefined) throw new Error(`${name}: input ${n} is missing`);
      return t;
    });
    return compute(backend, ins, shapeOf(ins), body);
  };
}

const sameShape = (ins: TensorInfo[]) => ins[0]!.shape;
const channels = (t: TensorInfo) => t.shape[t.shape.length - 1]!;

/** y = x·relu6(x + 3)/6 */
const hswishBody: Body = ([x], y) => {
  for (let i = 0; i < y.length; i++) {
    const v = x![i]!;
    y[i] = v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
  }
};

/** dx = dy·(0 below −3, 1 above 3, (2x + 3)/6 between) */
const hswishGradBody: Body = ([dy, x], dx) => {
  for (let i = 0; i < dx.length; i++) {
    const v = x![i]!;
    dx[i] = v <= -3 ? 0 : v >= 3 ? dy![i]! : (dy![i]! * (2 * v + 3)) / 6;
  }
};

/**
 * [2, C] for inputs (x) or (x, w): per channel, the mean over all other axes of x and of x·w (x·x when w is absent),
 * accumulated in float64.
 */
const momentsBody: Body = ([x, w], out) => {
  const c = out.length / 2;
  const s = new Float64Array(c);
  const q = new Float64Array(c);
  const other = w ?? x!;
  for (let base = 0; base < x!.length; base += c) {
    for (let j = 0; j < c; j++) {
      const v = x![base + j]!;
      s[j]! += v;
      q[j]! += v * other[base + j]!;
    }
  }
  const rows = x!.length / c;
  for (let j = 0; j < c; j++) {
    out[j] = s[j]! / rows;
    out[c + j] = q[j]! / rows;
  }
};

/** y = x·a + b per channel, or with (x, a, b, w, k): y = x·a + w·k + b. */
const affineBody: Body = ([x, a, b, w, k], y) => {
  const c = a!.length;
  for (let base = 0; base < y.length; base += c) {
    if (w === undefined) {
      for (let j = 0; j < c; j++) y[base + j] = x![base + j]! * a![j]! + b![j]!;
    } else {
      for (let j = 0; j < c; j++) y[base + j] = x![base + j]! * a![j]! + w[base + j]! * k![j]! + b![j]!;
    }
  }
};

const hswishGrad: GradConfig = {
  kernelName: HSWISH,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => engine().runKernel(HSWISH_GRAD, { dy: dy as Tensor, x: saved[0]! }) as Tensor }),
};

let registered = false;

/** Registers the kernels on both backends and h-swish's gradient. Idempotent. */
export function registerMbv3Kernels(): void {
  if (registered) return;
  const funcs: [string, KernelFunc][] = [
    [HSWISH, kernel(HSWISH, ['x'], sameShape, hswishBody)],
    [HSWISH_GRAD, kernel(HSWISH_GRAD, ['dy', 'x'], sameShape, hswishGradBody)],
    [MOMENTS, kernel(MOMENTS, ['x'], (ins) => [2, channels(ins[0]!)], momentsBody)],
    [`${MOMENTS}2`, kernel(`${MOMENTS}2`, ['x', 'w'], (ins) => [2, channels(ins[0]!)], momentsBody)],
    [AFFINE, kernel(AFFINE, ['x', 'a', 'b'], sameShape, affineBody)],
    [`${AFFINE}2`, kernel(`${AFFINE}2`, ['x', 'a', 'b', 'w', 'k'], sameShape, affineBody)],
  ];
  for (const backendName of ['wasm', 'cpu']) {
    for (const [kernelName, kernelFunc] of funcs) {
      if (getKernel(kernelName, backendName) === undefined) registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
  registerGradient(hswishGrad);
  registered = true;
}

/** h-swish, one pass forward and one backward. */
export function hardSwish<T extends Tensor>(x: T): T {
  return engine().runKernel(HSWISH, { x }) as T;
}

/** [2, C]: per-channel mean of x and of x² (or of x·w). Not differentiable: for use inside tf.customGrad. */
export function channelMoments(x: Tensor, w?: Tensor): Tensor {
  return (w === undefined ? engine().runKernel(MOMENTS, { x }) : engine().runKernel(`${MOMENTS}2`, { x, w })) as Tensor;
}

/** x·a + b (+ w·k) with per-channel a, b (, k). Not differentiable: for use inside tf.customGrad. */
export function channelAffine<T extends Tensor>(x: T, a: Tensor, b: Tensor, w?: Tensor, k?: Tensor): T {
  if (w === undefined || k === undefined) return engine().runKernel(AFFINE, { x, a, b }) as T;
  return engine().runKernel(`${AFFINE}2`, { x, a, b, w, k }) as T;
}
