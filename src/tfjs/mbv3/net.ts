import * as tf from '@tensorflow/tfjs-core';
import { type Activation, checkConfig, denseSources, midWidth, type Mbv3Config, seWidth, sourceShape, stageInputSizes } from './config.js';
import {
  type Bn,
  type ConvBn,
  countingExec,
  createParamFactory,
  type Exec,
  hsigmoid,
  inferenceExec,
  type LayerFactory,
  type Linear,
  trainExec,
} from './ops.js';

interface BranchParams {
  expand: ConvBn | null;
  dw: ConvBn;
  se: { squeeze: Linear; excite: Linear } | null;
  project: ConvBn;
}

interface BlockParams {
  /** One branch, or two for an OFAv2 parallel block (outputs summed). */
  branches: BranchParams[];
  stride: number;
  /** Identity shortcut: stride 1 and equal widths (every block of a stage but the first, as in MobileNetV2/V3). */
  residual: boolean;
}

interface HeadParams {
  conv: ConvBn;
  linear: Linear;
}

interface StageParams {
  act: Activation;
  /** Dense-skip projections: source index (0 stem, j stage j-1), average-pool factor, 1x1 conv + BN. */
  dense: { source: number; pool: number; proj: ConvBn }[];
  blocks: BlockParams[];
  /** An early exit (or, on the last stage, the final head). */
  head: HeadParams | null;
}

/** Inference with BN folded in, made from the current weights and BN statistics. */
export interface Mbv3Inference {
  /** Logits of the first `heads` heads (default all), computing only the stages those need. */
  run(x: tf.Tensor4D, heads?: number): tf.Tensor2D[];
  dispose(): void;
}

export interface Mbv3Net {
  readonly config: Mbv3Config;
  readonly params: readonly tf.Variable[];
  /** Conv and linear weights (not BN γ/β, not biases): the ones weight decay should apply to. */
  readonly decayParams: readonly tf.Variable[];
  /** Learnable scalars of the built model (BN running statistics excluded). */
  readonly paramCount: number;
  /** Head names in depth order: `exit1`, `exit2`, ... for early exits after stage 1, 2, ..., then `final`. */
  readonly heads: readonly string[];
  /** Mean over heads of the softmax cross-entropy, BN with batch statistics (training mode). */
  loss(x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar;
  /**
   * Sets every BN's statistics to the mean over the images of `batches` of its batch means and E[x²]: the
   * statistics of those images under the current weights, as OFA's set_running_statistics does for sub-networks.
   */
  calibrate(batches: Iterable<tf.Tensor4D>): void;
  inference(): Mbv3Inference;
  /**
   * Multiply-accumulates per image counted from the layers a forward pass runs: the whole network (every head), and
   * per head the sub-network ending there (stages up to it and that head only).
   */
  countMacs(): { total: number; heads: number[] };
  dispose(): void;
}

/** The layers of one network, whichever factory made them (seeded variables, or a super-network's slices). */
export interface Mbv3Params {
  readonly config: Mbv3Config;
  readonly stem: ConvBn;
  readonly stages: readonly StageParams[];
  /** Head names in depth order: `exit1`, ... then `final`. */
  readonly heads: readonly string[];
}

/** Builds the layers of `config`; every layer is named by its place, so the same place gets the same name in any config. */
export function buildMbv3Params(config: Mbv3Config, make: LayerFactory): Mbv3Params {
  checkConfig(config);
  const { macro } = config;
  const stem = make.convBn('stem', 3, macro.inChannels, macro.stemWidth);
  const inSizes = stageInputSizes(macro);
  const branch = (name: string, cin: number, cout: number, k: number, expand: number, se: boolean): BranchParams => {
    const mid = midWidth(cin, expand);
    const expandConv = expand === 1 ? null : make.convBn(`${name}.expand`, 1, cin, mid);
    const dw = make.depthwiseBn(`${name}.dw`, k, mid);
    const seParams = se ? { squeeze: make.linear(`${name}.se1`, mid, seWidth(mid)), excite: make.linear(`${name}.se2`, seWidth(mid), mid) } : null;
    return { expand: expandConv, dw, se: seParams, project: make.convBn(`${name}.project`, 1, mid, cout) };
  };
  const head = (name: string, cin: number): HeadParams => ({
    conv: make.convBn(`${name}.conv`, 1, cin, macro.headWidth),
    linear: make.linear(`${name}.linear`, macro.headWidth, macro.classes),
  });
  const stages: StageParams[] = config.stages.map((arch, i) => {
    const m = macro.stages[i]!;
    const cin = i === 0 ? macro.stemWidth : macro.stages[i - 1]!.width;
    const dense = arch.dense
      ? denseSources(i).map((source) => {
          const src = sourceShape(macro, source);
          return { source, pool: src.size / inSizes[i]!, proj: make.convBn(`s${i}.dense${source}`, 1, src.width, cin) };
        })
      : [];
    const blocks = Array.from({ length: arch.depth }, (_, b): BlockParams => {
      const bin = b === 0 ? cin : m.width;
      const kernels = arch.parallelKernel === null ? [arch.kernel] : [arch.kernel, arch.parallelKernel];
      const stride = b === 0 ? m.stride : 1;
      return {
        branches: kernels.map((k, j) => branch(`s${i}.b${b}.${j === 0 ? 'main' : 'par'}`, bin, m.width, k, arch.expand, m.se)),
        stride,
        residual: stride === 1 && bin === m.width,
      };
    });
    const last = i === config.stages.length - 1;
    // The final head and an early exit after the same stage would be different layers: name them apart.
    return { act: m.act, dense, blocks, head: arch.exit || last ? head(last ? 'final' : `s${i}.exit`, m.width) : null };
  });
  const heads = stages.flatMap((s, i) => (s.head === null ? [] : [i === stages.length - 1 ? 'final' : `exit${i + 1}`]));
  return { config, stem, stages, heads };
}

/** Logits of the first `maxHeads` heads; with `onlyLast`, just the last of those (a truncated sub-network). */
export function mbv3Forward(p: Mbv3Params, exec: Exec, x: tf.Tensor4D, maxHeads = p.heads.length, onlyLast = false): tf.Tensor2D[] {
  const sources: tf.Tensor4D[] = [exec.convBn(x, p.stem, p.config.macro.stemStride, 'hswish')];
  const logits: tf.Tensor2D[] = [];
  let seen = 0;
  for (const st of p.stages) {
    if (seen >= maxHeads) break;
    let h = sources[sources.length - 1]!;
    for (const d of st.dense) {
      const src = sources[d.source]!;
      const pooled = d.pool === 1 ? src : tf.avgPool(src, d.pool, d.pool, 'valid');
      h = tf.add(h, exec.convBn(pooled, d.proj, 1, null));
    }
    for (const block of st.blocks) h = blockForward(exec, h, block, st.act);
    sources.push(h);
    if (st.head !== null && (++seen === maxHeads || !onlyLast)) logits.push(headForward(exec, h, st.head));
  }
  return logits;
}

/** Mean over heads of the softmax cross-entropy, BN with batch statistics. */
export function mbv3Loss(p: Mbv3Params, x: tf.Tensor4D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => mbv3LossOf(mbv3Forward(p, trainExec(), x), oneHot));
}

/** The loss of logits mbv3Forward already computed (every head weighs the same). */
export function mbv3LossOf(logits: readonly tf.Tensor2D[], oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const losses = logits.map((l) => tf.losses.softmaxCrossEntropy(oneHot, l));
    return tf.div(tf.addN(losses), losses.length) as tf.Scalar;
  });
}

/** Sets every BN's statistics to those of the images of `batches` under the current weights (see Mbv3Net.calibrate). */
export function calibrateMbv3(p: Mbv3Params, batches: Iterable<tf.Tensor4D>): void {
  const sums = new Map<Bn, { mean: Float64Array; sq: Float64Array; n: number }>();
  const record = (bn: Bn, z: tf.Tensor4D) => {
    const c = z.shape[3];
    const acc = sums.get(bn) ?? sums.set(bn, { mean: new Float64Array(c), sq: new Float64Array(c), n: 0 }).get(bn)!;
    const mean = tf.mean(z, [0, 1, 2]).dataSync();
    const sq = tf.mean(tf.square(z), [0, 1, 2]).dataSync();
    // Weighted by images, so a short last batch counts for what it holds.
    const n = z.shape[0];
    for (let i = 0; i < c; i++) {
      acc.mean[i]! += n * mean[i]!;
      acc.sq[i]! += n * sq[i]!;
    }
    acc.n += n;
  };
  for (const batch of batches) tf.tidy(() => void mbv3Forward(p, trainExec(record), batch));
  for (const [bn, acc] of sums) {
    bn.mean = Float32Array.from(acc.mean, (v) => v / acc.n);
    bn.variance = Float32Array.from(acc.sq, (v, i) => Math.max(0, v / acc.n - bn.mean[i]! ** 2));
  }
}

export function mbv3Inference(p: Mbv3Params): Mbv3Inference {
  const exec = inferenceExec();
  return { run: (x, n) => tf.tidy(() => mbv3Forward(p, exec, x, n)), dispose: () => exec.dispose() };
}

export function countMbv3Macs(p: Mbv3Params): { total: number; heads: number[] } {
  const { macro } = p.config;
  const x = tf.zeros([1, macro.inputSize, macro.inputSize, macro.inChannels]) as tf.Tensor4D;
  const exec = inferenceExec();
  try {
    const perHead = p.heads.map((_, n) => {
      const tally = { macs: 0 };
      tf.tidy(() => void mbv3Forward(p, countingExec(exec, tally), x, n + 1, true));
      return tally.macs;
    });
    const all = { macs: 0 };
    tf.tidy(() => void mbv3Forward(p, countingExec(exec, all), x));
    return { total: all.macs, heads: perHead };
  } finally {
    exec.dispose();
    x.dispose();
  }
}

export function createMbv3Net(config: Mbv3Config, seed: number): Mbv3Net {
  const make = createParamFactory(seed);
  const p = buildMbv3Params(config, make);
  return {
    config,
    params: make.params,
    decayParams: make.weights,
    paramCount: make.params.reduce((s, v) => s + v.size, 0),
    heads: p.heads,
    loss: (x, oneHot) => mbv3Loss(p, x, oneHot),
    calibrate: (batches) => calibrateMbv3(p, batches),
    inference: () => mbv3Inference(p),
    countMacs: () => countMbv3Macs(p),
    dispose: () => tf.dispose(make.params),
  };
}

function blockForward(exec: Exec, x: tf.Tensor4D, block: BlockParams, act: Activation): tf.Tensor4D {
  let out: tf.Tensor4D | null = null;
  for (const br of block.branches) {
    let h = br.expand === null ? x : exec.convBn(x, br.expand, 1, act);
    h = exec.convBn(h, br.dw, block.stride, act);
    if (br.se !== null) h = squeezeExcite(exec, h, br.se);
    const y = exec.convBn(h, br.project, 1, null);
    out = out === null ? y : tf.add<tf.Tensor4D>(out, y);
  }
  return block.residual ? tf.add<tf.Tensor4D>(out!, x) : out!;
}

/** Channel gates from the pooled features: linear, ReLU, linear, hard sigmoid (MobileNetV3's SE). */
function squeezeExcite(exec: Exec, x: tf.Tensor4D, se: { squeeze: Linear; excite: Linear }): tf.Tensor4D {
  const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D;
  const gate = hsigmoid(exec.linear(tf.relu(exec.linear(pooled, se.squeeze)), se.excite));
  return tf.mul(x, tf.reshape(gate, [x.shape[0], 1, 1, x.shape[3]]));
}

function headForward(exec: Exec, x: tf.Tensor4D, head: HeadParams): tf.Tensor2D {
  const h = exec.convBn(x, head.conv, 1, 'hswish');
  return exec.linear(tf.mean(h, [1, 2]) as tf.Tensor2D, head.linear);
}
