import {
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type KernelArgs = Parameters<KernelFunc>[0];

/** The pieces of a kernel call, typed: the wasm backend, the named inputs (all required) and the attrs. */
export function unpack<A>(args: KernelArgs, ...names: string[]): { backend: BackendWasm; inputs: TensorInfo[]; attrs: A } {
  const inputs = names.map((n) => {
    const t = args.inputs[n];
    if (t === undefined) throw new Error(`kernel input '${n}' is missing`);
    return t;
  });
  return { backend: args.backend as BackendWasm, inputs, attrs: (args.attrs ?? {}) as unknown as A };
}

/** Calls a registered wasm kernel directly on TensorInfos, bypassing the engine (no tape, no tracking). */
export function callWasmKernel(
  backend: BackendWasm,
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm kernel '${name}' is not registered`);
  const out = config.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`wasm kernel '${name}' returned several outputs`);
  return out;
}

/**
 * Owns the intermediates of one composite kernel, so every exit path frees them.
 * Views from `view()` alias the wasm heap and go stale when it grows: take them after the last allocation.
 */
export class WasmScratch {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    return this.track(callWasmKernel(this.backend, name, inputs, attrs));
  }

  alloc(shape: number[]): TensorInfo {
    return this.track(this.backend.makeOutput(shape, 'float32'));
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  view(t: TensorInfo): Float32Array {
    if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  /** Hands `t` to the caller as a kernel output: it survives dispose(). */
  keep(t: TensorInfo): TensorInfo {
    const i = this.temps.lastIndexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    // An input passed straight through needs its own reference, as the engine will dispose the output separately.
    else this.backend.incRef(t.dataId);
    return t;
  }

  /** Frees an intermediate early, to bound peak heap use inside loops. */
  free(t: TensorInfo): void {
    const i = this.temps.lastIndexOf(t);
    if (i < 0) throw new Error('free() of a tensor this scratch does not own');
    this.temps.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  private track(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }
}

/** Runs `body` with a scratch scope and returns the TensorInfo it keeps; everything else is freed. */
export function withScratch(backend: BackendWasm, body: (s: WasmScratch) => TensorInfo): TensorInfo {
  const scratch = new WasmScratch(backend);
  try {
    return scratch.keep(body(scratch));
  } finally {
    scratch.dispose();
  }
}

/** Copies the [top, top+h) x [left, left+w) window of an NHWC tensor into a new tensor. */
export function cropNHWC(s: WasmScratch, x: TensorInfo, top: number, left: number, h: number, w: number): TensorInfo {
  const [n, hIn, wIn, c] = x.shape as [number, number, number, number];
  if (top === 0 && left === 0 && h === hIn && w === wIn) return x;
  const out = s.alloc([n, h, w, c]);
  const src = s.view(x);
  const dst = s.view(out);
  const rowLen = w * c;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      const from = ((b * hIn + top + r) * wIn + left) * c;
      dst.set(src.subarray(from, from + rowLen), (b * h + r) * rowLen);
    }
  }
  return out;
}

export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}
