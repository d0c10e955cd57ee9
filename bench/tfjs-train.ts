import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend } from '../src/tfjs/backend.js';
import { BENCH_CNN, createSmallCnn, fixedBatch, type SmallCnnSpec } from '../src/tfjs/small-cnn.js';

export interface BenchTrainingOptions {
  /** Images per training step on both backends (default 64). */
  batch?: number;
  spec?: SmallCnnSpec;
  /** Untimed steps before timing on wasm (default 2): the first steps pay for XNNPACK setup and JIT warm-up. */
  wasmWarmupSteps?: number;
  /** Timed wasm steps (default 10). */
  wasmSteps?: number;
  /** Timed cpu steps (default 1; 0 skips the cpu run). A cpu step at batch 64 takes on the order of a minute. */
  cpuSteps?: number;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

export interface TrainingThroughput {
  backend: BackendName;
  steps: number;
  msPerStep: number;
  imagesPerSec: number;
  /** Loss of the very first step: the same weights and batch on both backends, so it should agree to ~1e-6. */
  firstLoss: number;
  lastLoss: number;
}

export interface BenchTrainingResult {
  batch: number;
  spec: SmallCnnSpec;
  wasm: TrainingThroughput;
  cpu: TrainingThroughput | null;
  /** wasm images/s over cpu images/s; null when the cpu run was skipped. */
  speedup: number | null;
}

/**
 * Training throughput (SGD steps on one fixed batch: forward, backward, update) of the same small CNN on the wasm
 * backend with blocknas's kernels and on the plain cpu backend, in one process.
 */
export async function benchTraining(options: BenchTrainingOptions = {}): Promise<BenchTrainingResult> {
  const batch = options.batch ?? 64;
  const spec = options.spec ?? BENCH_CNN;
  const log = options.log ?? (() => {});
  const wasm = await measure('wasm', spec, batch, options.wasmWarmupSteps ?? 2, options.wasmSteps ?? 10, log);
  const cpuSteps = options.cpuSteps ?? 1;
  // The cpu backend has no setup worth excluding next to a step of tens of seconds, so it gets no warm-up.
  const cpu = cpuSteps > 0 ? await measure('cpu', spec, batch, 0, cpuSteps, log) : null;
  return { batch, spec, wasm, cpu, speedup: cpu === null ? null : wasm.imagesPerSec / cpu.imagesPerSec };
}

async function measure(
  backend: BackendName,
  spec: SmallCnnSpec,
  batch: number,
  warmup: number,
  steps: number,
  log: (line: string) => void,
): Promise<TrainingThroughput> {
  await initBackend(backend);
  const net = createSmallCnn(spec, 1);
  const { x, y } = fixedBatch(spec, batch, 2);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = (): number => {
    const loss = optimizer.minimize(() => net.loss(x, y), true, net.params);
    if (loss === null) throw new Error('optimizer returned no loss');
    const value = loss.dataSync()[0] ?? Number.NaN;
    loss.dispose();
    return value;
  };
  try {
    let firstLoss = Number.NaN;
    for (let i = 0; i < warmup; i++) {
      const loss = step();
      if (i === 0) firstLoss = loss;
    }
    let lastLoss = Number.NaN;
    const start = performance.now();
    for (let i = 0; i < steps; i++) {
      lastLoss = step();
      if (warmup === 0 && i === 0) firstLoss = lastLoss;
      log(`${backend}: timed step ${i + 1}/${steps}, loss ${lastLoss.toFixed(4)}`);
    }
    const msPerStep = (performance.now() - start) / steps;
    return { backend, steps, msPerStep, imagesPerSec: (1000 * batch) / msPerStep, firstLoss, lastLoss };
  } finally {
    tf.dispose([x, y, ...net.params]);
    optimizer.dispose();
  }
}

function parseArgs(argv: string[]): BenchTrainingOptions {
  const options: BenchTrainingOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    const n = Number(value);
    if (flag === '--batch') options.batch = n;
    else if (flag === '--wasm-steps') options.wasmSteps = n;
    else if (flag === '--cpu-steps') options.cpuSteps = n;
    else if (flag === '--channels') {
      const channels = value.split(',').map(Number);
      options.spec = { ...BENCH_CNN, channels, strides: channels.map((_, j) => (j === 0 ? 1 : 2)) };
    } else throw new Error(`unknown flag ${flag} (use --batch, --wasm-steps, --cpu-steps, --channels a,b,c)`);
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArgs(process.argv.slice(2));
  const r = await benchTraining({ ...options, log: (line) => console.log(line) });
  const fmt = (t: TrainingThroughput) =>
    `${t.backend.padEnd(4)} ${t.imagesPerSec.toFixed(2).padStart(9)} images/s  ` +
    `(${t.msPerStep.toFixed(0)} ms/step over ${t.steps} timed steps; first-step loss ${t.firstLoss.toFixed(6)})`;
  console.log(`\nsmall CNN ${r.spec.inputSize}x${r.spec.inputSize}, channels ${r.spec.channels.join('/')}, batch ${r.batch}`);
  console.log(fmt(r.wasm));
  if (r.cpu !== null) console.log(fmt(r.cpu));
  if (r.speedup !== null) console.log(`wasm / cpu: ${r.speedup.toFixed(1)}x`);
}
