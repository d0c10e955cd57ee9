import { type KernelConfig, type KernelFunc, Tile, type TileAttrs, util } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Heap = Float32Array | Int32Array | Uint8Array;

/**
 * The stock wasm Tile walks every output element through index arithmetic; the BatchNorm gradient tiles a
 * per-channel vector to the full activation shape, which cost ~0.1 s per layer at batch 64. Tiling is block
 * replication, so this writes each source row once and grows the repeats with copyWithin (memmove).
 */
export function makeFastTileConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error('Tile needs x');
    if (x.dtype === 'string' || x.shape.length === 0) return stock.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const { reps } = args.attrs as unknown as TileAttrs;
    const outShape = x.shape.map((d, i) => d * (reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    if (util.sizeFromShape(outShape) === 0) return out;
    const src = backend.typedArrayFromHeap(x) as Heap;
    const dst = backend.typedArrayFromHeap(out) as Heap;
    tileInto(src, dst, x.shape, reps);
    return out;
  };
  return { kernelName: Tile, backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}

function tileInto(src: Heap, dst: Heap, shape: number[], reps: number[]): void {
  const rank = shape.length;
  const inStride = util.computeStrides(shape);
  const outShape = shape.map((d, i) => d * (reps[i] ?? 1));
  const outStride = util.computeStrides(outShape);
  const fill = (dim: number, from: number, to: number): void => {
    const d = shape[dim]!;
    const r = reps[dim]!;
    if (dim === rank - 1) {
      dst.set(src.subarray(from, from + d), to);
    } else {
      for (let i = 0; i < d; i++) fill(dim + 1, from + i * inStride[dim]!, to + i * outStride[dim]!);
    }
    const block = dim === rank - 1 ? d : d * outStride[dim]!;
    // Doubling: each copyWithin replicates everything written so far.
    let done = 1;
    while (done < r) {
      const n = Math.min(done, r - done);
      dst.copyWithin(to + done * block, to, to + n * block);
      done += n;
    }
  };
  fill(0, 0, 0);
}
