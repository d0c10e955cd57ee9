import { UserError } from '../../errors.js';
import type { Genome } from '../../space/types.js';
import { NB201_EDGES, NB201_OPS } from './space.js';

/**
 * The NAS-Bench-201 network ("TinyNetwork" with "InferCell"s, AutoDL-Projects lib/models/cell_infers/ and
 * cell_operations.py; NASLib builds the same network), written out as the list of torch leaf modules a forward pass
 * runs. Cost counters work on this list, so FLOPs and params follow from the layer definitions alone.
 */

export type Nb201Dataset = 'cifar10' | 'cifar100' | 'imagenet16-120';

export const NB201_DATASETS: Readonly<Record<Nb201Dataset, { readonly resolution: number; readonly classes: number }>> = {
  cifar10: { resolution: 32, classes: 10 },
  cifar100: { resolution: 32, classes: 100 },
  'imagenet16-120': { resolution: 16, classes: 120 },
};

/** TinyNetwork(C=16, N=5): three stages of N cells at C, 2C, 4C channels. */
export const NB201_MACRO = { channels: 16, cellsPerStage: 5, stages: 3 } as const;

/** Input shape (channels, height, width) of a layer; outputs are derived from it. */
interface Shape {
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/**
 * One leaf module. `edge` names the cell edge whose op owns the layer (absent for the fixed part of the network:
 * stem, reduction blocks, head), which is what lets the cost split exactly into intercept + per-edge terms.
 */
export type Nb201Layer = Shape & { readonly name: string; readonly edge?: number } & (
    | { readonly kind: 'conv'; readonly out: number; readonly k: number; readonly stride: number; readonly pad: number; readonly bias: boolean }
    | { readonly kind: 'bn'; readonly affine: boolean }
    | { readonly kind: 'relu' }
    | { readonly kind: 'avgpool'; readonly k: number; readonly stride: number; readonly pad: number }
    /** AdaptiveAvgPool2d(1), the global pooling before the classifier. */
    | { readonly kind: 'gap' }
    | { readonly kind: 'linear'; readonly out: number; readonly bias: boolean }
  );

/** Spatial output size of a conv or pooling window (torch's floor rule). */
export function windowOut(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

/** Output shape of a layer. */
export function outputShape(l: Nb201Layer): Shape {
  switch (l.kind) {
    case 'conv':
      return { c: l.out, h: windowOut(l.h, l.k, l.stride, l.pad), w: windowOut(l.w, l.k, l.stride, l.pad) };
    case 'avgpool':
      return { c: l.c, h: windowOut(l.h, l.k, l.stride, l.pad), w: windowOut(l.w, l.k, l.stride, l.pad) };
    case 'gap':
      return { c: l.c, h: 1, w: 1 };
    case 'linear':
      return { c: l.out, h: 1, w: 1 };
    default:
      return { c: l.c, h: l.h, w: l.w };
  }
}

/** ReLUConvBN(C_in, C_out, k, stride, padding): ReLU → Conv2d(bias=False) → BatchNorm2d(affine=True). */
function reluConvBn(name: string, x: Shape, out: number, k: number, stride: number, edge?: number): Nb201Layer[] {
  const tag = edge === undefined ? {} : { edge };
  const conv: Nb201Layer = { name: `${name}.conv`, kind: 'conv', ...x, out, k, stride, pad: (k - 1) / 2, bias: false, ...tag };
  const y = outputShape(conv);
  return [{ name: `${name}.relu`, kind: 'relu', ...x, ...tag }, conv, { name: `${name}.bn`, kind: 'bn', ...y, affine: true, ...tag }];
}

/**
 * The leaf modules of one cell edge. `none` (Zero: x.mul(0)) and `skip_connect` (Identity) are modules without
 * parameters whose work no counter measures, so they contribute no layers. Inside a cell C_in = C_out and stride is
 * 1, so avg_pool_3x3 is the bare AvgPool2d(3, 1, 1) without POOLING's 1x1 preprocess conv.
 */
function edgeLayers(name: string, op: number, x: Shape, edge: number): Nb201Layer[] {
  switch (NB201_OPS[op]) {
    case 'none':
    case 'skip_connect':
      return [];
    case 'nor_conv_1x1':
      return reluConvBn(name, x, x.c, 1, 1, edge);
    case 'nor_conv_3x3':
      return reluConvBn(name, x, x.c, 3, 1, edge);
    case 'avg_pool_3x3':
      return [{ name: `${name}.pool`, kind: 'avgpool', ...x, k: 3, stride: 1, pad: 1, edge }];
    default:
      throw new UserError(`NB201 edge ${edge}: op code ${op} is not one of 0..${NB201_OPS.length - 1}`);
  }
}

/**
 * ResNetBasicblock(C_in, C_out, stride=2) between stages: two ReLUConvBN 3x3 (the first with stride 2) and a
 * shortcut AvgPool2d(2, 2) → Conv2d 1x1 (no BN on the shortcut).
 */
function reductionLayers(name: string, x: Shape, out: number): Nb201Layer[] {
  const a = reluConvBn(`${name}.conv_a`, x, out, 3, 2);
  const mid = outputShape(a[1]!);
  const b = reluConvBn(`${name}.conv_b`, mid, out, 3, 1);
  const pool: Nb201Layer = { name: `${name}.downsample.0`, kind: 'avgpool', ...x, k: 2, stride: 2, pad: 0 };
  const conv: Nb201Layer = { name: `${name}.downsample.1`, kind: 'conv', ...outputShape(pool), out, k: 1, stride: 1, pad: 0, bias: false };
  return [...a, ...b, pool, conv];
}

function checkGenome(g: Genome): void {
  if (g.length !== NB201_EDGES.length || g.some((op) => !Number.isInteger(op) || op < 0 || op >= NB201_OPS.length)) {
    throw new UserError(`not an NB201 genome: [${g.join(', ')}] (6 edges, op codes 0..${NB201_OPS.length - 1})`);
  }
}

/** Every leaf module of the NB201 network for `genome` on `dataset`, in forward order. */
export function nb201Layers(genome: Genome, dataset: Nb201Dataset): Nb201Layer[] {
  checkGenome(genome);
  const { resolution, classes } = NB201_DATASETS[dataset];
  const { channels, cellsPerStage, stages } = NB201_MACRO;
  const layers: Nb201Layer[] = [];
  const input: Shape = { c: 3, h: resolution, w: resolution };
  const stem: Nb201Layer = { name: 'stem.0', kind: 'conv', ...input, out: channels, k: 3, stride: 1, pad: 1, bias: false };
  let x = outputShape(stem);
  layers.push(stem, { name: 'stem.1', kind: 'bn', ...x, affine: true });
  let cell = 0;
  for (let s = 0; s < stages; s++) {
    if (s > 0) {
      const red = reductionLayers(`cells.${cell++}`, x, channels << s);
      layers.push(...red);
      x = outputShape(red[red.length - 1]!);
    }
    for (let i = 0; i < cellsPerStage; i++, cell++) {
      // Every edge reads a node tensor of the cell's own shape (C_in = C_out, stride 1), so the cell keeps x.
      genome.forEach((op, e) => layers.push(...edgeLayers(`cells.${cell}.layers.${e}`, op, x, e)));
    }
  }
  layers.push(
    { name: 'lastact.0', kind: 'bn', ...x, affine: true },
    { name: 'lastact.1', kind: 'relu', ...x },
    { name: 'global_pooling', kind: 'gap', ...x },
    { name: 'classifier', kind: 'linear', c: x.c, h: 1, w: 1, out: classes, bias: true },
  );
  return layers;
}
