import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { batchTensors, loadDataset } from '../src/data/datasets.js';
import { timeNet } from '../src/eval/latency.js';
import { createRng, shuffle } from '../src/random.js';
import { buildMbv3Mini, mbv3MiniCost } from '../src/spaces/mbv3-mini/evaluators.js';
import { createMbv3MiniSpace } from '../src/spaces/mbv3-mini/space.js';
import { type BackendName, initBackend } from '../src/tfjs/backend.js';
import { section, table } from './common.js';

export const MBV3_BENCH_ARCHS = [
  'k3e3d2|k3e3d2|k3e3d2|exit-none',
  'k5e4d3|k5e4d3|k5e4d3|exit-none',
  'k5e4d3|k5e4d3-p3-dense|k5e4d3-dense|exit-s2',
] as const;

export interface Mbv3EvalBenchOptions {
  readonly quick?: boolean;
  readonly backends?: readonly BackendName[];
}

/** Images/s of Adam training steps on real MNIST batches: untimed warm-up steps, then timed ones. */
function trainingThroughput(arch: string, batch: number, warmup: number, steps: number): { imagesPerSec: number; msPerStep: number } {
  const space = createMbv3MiniSpace();
  const ds = loadDataset('mnist');
  const net = buildMbv3Mini(space.parse(arch), 0);
  const opt = tf.train.adam(0.01);
  const order = shuffle(Array.from({ length: ds.train.size }, (_, i) => i), createRng(1));
  const step = (i: number) => {
    const { x, y } = batchTensors(ds, ds.train, order.slice(i * batch, (i + 1) * batch));
    const loss = opt.minimize(() => net.loss(x, y), true, net.params as tf.Variable[]);
    loss?.dataSync();
    tf.dispose([x, y, loss as tf.Scalar]);
  };
  try {
    for (let i = 0; i < warmup; i++) step(i);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step(warmup + i);
    const msPerStep = (performance.now() - t0) / steps;
    return { imagesPerSec: (1000 * batch) / msPerStep, msPerStep };
  } finally {
    opt.dispose();
    net.dispose();
  }
}

/**
 * mbv3-mini on MNIST: training throughput and batch-1 latency (median [p10, p90]) per backend for three networks,
 * with their computed FLOPs and params. All figures from this run on this machine; compare within it.
 */
export async function benchMbv3Eval(options: Mbv3EvalBenchOptions = {}): Promise<void> {
  const quick = options.quick ?? false;
  const backends = options.backends ?? ['wasm', 'cpu'];
  section('mbv3-mini on MNIST: training throughput and batch-1 latency per tfjs backend (this machine, this run)');
  const rows: (string | number)[][] = [];
  for (const backend of backends) {
    await initBackend(backend);
    for (const arch of MBV3_BENCH_ARCHS) {
      const cost = mbv3MiniCost(createMbv3MiniSpace().parse(arch));
      // The cpu backend trains at a few images/s: one short timed step is enough to show the ratio.
      const t = backend === 'wasm' ? trainingThroughput(arch, 32, 2, quick ? 3 : 10) : trainingThroughput(arch, 8, 0, 1);
      const lat = timeNet(buildMbv3Mini(createMbv3MiniSpace().parse(arch), 0), { warmup: 5, repeats: quick ? 10 : 30, inputShape: [28, 28, 1] });
      rows.push([
        backend,
        arch,
        cost.macs.toFixed(3),
        (cost.params / 1e6).toFixed(4),
        t.imagesPerSec.toFixed(1),
        `${lat.median.toFixed(2)} [${lat.p10.toFixed(2)}, ${lat.p90.toFixed(2)}]`,
      ]);
    }
  }
  table(['backend', 'network', 'M MACs', 'M params', 'train images/s', 'latency ms, median [p10, p90]'], rows);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const backends = process.argv.includes('--wasm-only') ? (['wasm'] as const) : undefined;
  await benchMbv3Eval({ quick: process.argv.includes('--quick'), ...(backends ? { backends } : {}) });
}
