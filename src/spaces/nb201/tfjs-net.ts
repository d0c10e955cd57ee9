import * as tf from '@tensorflow/tfjs-core';
import type { Genome } from '../../space/types.js';
import { effectiveNb201, NB201_EDGES, NB201_OPS } from './space.js';
import type { ChainBlock } from '../../tfjs/chain-grad.js';
import { avgPool3x3, batchNorm, type BnMode, conv, convBn, createParamFactory, type ConvParams, relu } from '../../tfjs/nb201-ops.js';

export type { BnMode } from '../../tfjs/nb201-ops.js';

/**
 * The NAS-Bench-201 network (AutoDL TinyNetwork + InferCell, the same modules src/spaces/nb201/network.ts lists) in
 * TensorFlow.js, NHWC, with PyTorch's default initialisation so that an untrained network is distributed like the
 * ones zero-cost proxies were published on.
 */
export interface Nb201NetSpec {
  genome: Genome;
  /** Channels of the first stage (NB201: 16); stages use C, 2C, 4C. */
  channels?: number;
  /** Cells per stage (NB201: 5). */
  cellsPerStage?: number;
  /** Recorded only: the network is convolutional up to its global pooling and accepts any size from 4 px. */
  inputSize?: number;
  inChannels?: number;
  classes?: number;
}

export interface Nb201Net {
  readonly spec: Required<Nb201NetSpec>;
  /** Every learnable tensor (conv and linear weights, linear bias, BN γ and β), as PyTorch's parameters(). */
  readonly params: tf.Tensor[];
  /** Number of learnable scalars, as NB201's `params` counts them (running statistics excluded). */
  readonly paramCount: number;
  /**
   * False when no path of non-`none` edges joins a cell's input to its output: the logits are then a constant and
   * the input gradient does not exist (tfjs refuses it; PyTorch returns zeros).
   */
  readonly dependsOnInput: boolean;
  /** Logits [batch, classes]. 'train' normalises BN with batch statistics, 'eval' with the running ones (0 and 1). */
  forward(x: tf.Tensor4D, bn: BnMode): tf.Tensor2D;
  /**
   * The same function as a chain of blocks (stem, every cell and reduction block, head), so that a backward pass can
   * recompute one block at a time instead of holding every activation of the network.
   */
  blocks(bn: BnMode): ChainBlock[];
  dispose(): void;
}

interface EdgeParams {
  op: number;
  conv?: ConvParams;
}

interface ReductionParams {
  convA: ConvParams;
  convB: ConvParams;
  shortcut: tf.Tensor4D;
}

type StageBlock = { kind: 'cell'; edges: EdgeParams[] } | { kind: 'reduction'; p: ReductionParams };

export const NB201_NET_DEFAULTS = { channels: 16, cellsPerStage: 5, inputSize: 32, inChannels: 3, classes: 10 } as const;

export function createNb201Net(spec: Nb201NetSpec, seed: number): Nb201Net {
  const full: Required<Nb201NetSpec> = { ...NB201_NET_DEFAULTS, ...spec, genome: [...spec.genome] };
  const { genome, channels: C, cellsPerStage: N, inChannels, classes } = full;
  if (genome.length !== NB201_EDGES.length || genome.some((op) => !Number.isInteger(op) || op < 0 || op >= NB201_OPS.length)) {
    throw new Error(`not an NB201 genome: [${genome.join(', ')}]`);
  }
  const make = createParamFactory(seed);
  const stem = make.conv(3, inChannels, C);
  const blocks: StageBlock[] = [];
  let c = C;
  for (let s = 0; s < 3; s++) {
    if (s > 0) {
      const out = c * 2;
      blocks.push({ kind: 'reduction', p: { convA: make.conv(3, c, out), convB: make.conv(3, out, out), shortcut: make.filter(1, c, out) } });
      c = out;
    }
    for (let i = 0; i < N; i++) {
      const width = c;
      // Every edge owns its module, `none` and `skip` included, as in InferCell; only convs have parameters.
      const edges = genome.map((op): EdgeParams => (op === 2 || op === 3 ? { op, conv: make.conv(op === 3 ? 3 : 1, width, width) } : { op }));
      blocks.push({ kind: 'cell', edges });
    }
  }
  const lastBn = make.bn(c);
  // nn.Linear's default init: weight and bias both U(±1/√fan_in).
  const dense = make.tensor([c, classes], 1 / Math.sqrt(c)) as tf.Tensor2D;
  const bias = make.tensor([classes], 1 / Math.sqrt(c)) as tf.Tensor1D;

  const live = liveEdges(genome);
  const blockFns = (bn: BnMode): ChainBlock[] => [
    (x) => convBn(x, stem, 1, bn),
    ...blocks.map((block): ChainBlock => (block.kind === 'cell' ? (x) => cellForward(x, block.edges, live, bn) : (x) => reductionForward(x, block.p, bn))),
    (x) => tf.add(tf.matMul(tf.mean(relu(batchNorm(x, lastBn, bn)), [1, 2]) as tf.Tensor2D, dense), bias),
  ];
  const forward = (x: tf.Tensor4D, bn: BnMode): tf.Tensor2D =>
    tf.tidy(() => blockFns(bn).reduce((h: tf.Tensor, f) => f(h as tf.Tensor4D), x) as tf.Tensor2D);

  const params = make.params;
  const paramCount = params.reduce((sum, t) => sum + t.size, 0);
  const dependsOnInput = N === 0 || effectiveNb201(genome) !== null;
  return { spec: full, params, paramCount, dependsOnInput, forward, blocks: blockFns, dispose: () => make.dispose() };
}

/**
 * Edges whose result can reach node 3; the others are computed by InferCell and then never used, so skipping them
 * changes nothing. `none` edges are skipped too: they add x·0.
 */
function liveEdges(genome: Genome): boolean[] {
  const coreach = [false, false, false, true];
  for (let v = 2; v >= 0; v--) coreach[v] = NB201_EDGES.some(([a, b], e) => a === v && genome[e] !== 0 && coreach[b]!);
  return NB201_EDGES.map(([, b], e) => genome[e] !== 0 && coreach[b]!);
}

function cellForward(x: tf.Tensor4D, edges: EdgeParams[], live: boolean[], bn: BnMode): tf.Tensor4D {
  const nodes: tf.Tensor4D[] = [x];
  // Several conv edges leave the same node; ReLU(inplace=False) gives each the same values, so compute it once.
  const relus = new Map<number, tf.Tensor4D>();
  const reluOf = (i: number) => relus.get(i) ?? relus.set(i, relu(nodes[i]!)).get(i)!;
  for (let j = 1; j <= 3; j++) {
    let sum: tf.Tensor4D | null = null;
    for (let e = 0; e < NB201_EDGES.length; e++) {
      const a = NB201_EDGES[e]![0];
      if (NB201_EDGES[e]![1] !== j || !live[e]) continue;
      const term = edgeForward(nodes[a]!, () => reluOf(a), edges[e]!, bn);
      // Pairwise adds: tfjs's AddN gradient copies dy once per summand.
      sum = sum === null ? term : tf.add<tf.Tensor4D>(sum, term);
    }
    // A node with no live input is x·0 in InferCell: all zeros and independent of the input.
    nodes.push(sum ?? tf.zerosLike(x));
  }
  return nodes[3]!;
}

function edgeForward(x: tf.Tensor4D, reluX: () => tf.Tensor4D, edge: EdgeParams, bn: BnMode): tf.Tensor4D {
  switch (edge.op) {
    case 1:
      return x;
    case 4:
      return avgPool3x3(x);
    default:
      if (edge.conv === undefined) throw new Error(`edge op ${edge.op} has no forward`);
      return convBn(reluX(), edge.conv, 1, bn);
  }
}

/** ResNetBasicblock(stride 2): ReLUConvBN 3x3/2 → ReLUConvBN 3x3, plus AvgPool2d(2,2) → Conv1x1 shortcut. */
function reductionForward(x: tf.Tensor4D, p: ReductionParams, bn: BnMode): tf.Tensor4D {
  const a = convBn(relu(x), p.convA, 2, bn);
  const b = convBn(relu(a), p.convB, 1, bn);
  const shortcut = conv(tf.avgPool(x, 2, 2, 'valid'), p.shortcut, 1);
  return tf.add(shortcut, b) as tf.Tensor4D;
}
