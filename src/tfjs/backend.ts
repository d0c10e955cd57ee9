import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle defines no gradients; tfjs-layers registers all of core's on import, and tf.grad needs them.
import '@tensorflow/tfjs-layers';
import { registerWasmGradKernels } from './wasm-grad-kernels.js';

export type BackendName = 'wasm' | 'cpu';

let wasmPathsSet = false;

/**
 * The directory holding the .wasm binaries. Node 20 loads the plain and SIMD builds (the SIMD one is picked);
 * tfjs disables the threaded build under Node because its pthread workers are spawned from blob: URLs, which
 * Node's Worker rejects.
 */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/**
 * Makes `name` the active tfjs backend; for 'wasm' also registers the training kernels it lacks.
 * Safe to call repeatedly and to switch back and forth.
 */
export async function initBackend(name: BackendName): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    // Must precede the first wasm initialisation; setWasmPaths throws once init has been attempted.
    setWasmPaths(wasmBinaryDir());
    wasmPathsSet = true;
  }
  if (name === 'wasm') registerWasmGradKernels();
  // Cheap when the backend already exists; avoid tf.getBackend() here, which would initialise the
  // highest-priority backend (wasm) before its paths are set.
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise`);
}
