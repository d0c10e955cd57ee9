import * as tf from '@tensorflow/tfjs-core';
import { DEPTHS, EXPANDS, KERNELS, type Mbv3Config, type Mbv3Macro } from './config.js';
import { buildMbv3Params, type Mbv3Params } from './net.js';
import { type ConvBn, createParamFactory, type LayerFactory, type Linear } from './ops.js';

/*
 * A weight-sharing super-network (once-for-all style) over the MobileNetV3 family of config.ts: one set of weights
 * at the largest kernel, expansion and depth, with both OFAv2 branches, every dense projection and every exit head;
 * a sub-network takes
 *   - kernel k: the centre k x k of the 7 x 7 depthwise filter (OFA's elastic kernel, without its learned kernel
 *     transformation matrices: the sandwich rule trains the shared centre directly),
 *   - expansion e: the first mid = cin·e channels of the expansion, depthwise, squeeze-excite and projection layers
 *     (OFA's elastic width, without its channel re-sorting by importance),
 *   - depth d: the first d blocks of each stage (elastic depth),
 *   - and, as they are, the parallel branch, dense projections and exit heads it uses.
 * Every layer has a place name (net.ts), so the slice of a sub-network's layer is found by name; slices taken inside
 * a gradient tape send their gradients back to the shared weights.
 */

export interface SupernetBounds {
  readonly maxDepth: number;
  readonly maxKernel: number;
  readonly maxExpand: number;
}

export const MBV3_BOUNDS: SupernetBounds = { maxDepth: Math.max(...DEPTHS), maxKernel: Math.max(...KERNELS), maxExpand: Math.max(...EXPANDS) };

/** A sub-network's layers and the slice tensors made for it (freed by dispose; the shared weights stay). */
export interface SubnetView {
  readonly params: Mbv3Params;
  dispose(): void;
}

export interface Mbv3Supernet {
  readonly macro: Mbv3Macro;
  readonly bounds: SupernetBounds;
  /** Every shared weight, in a fixed order. */
  readonly params: readonly tf.Variable[];
  /** Conv and linear weights: the ones weight decay applies to. */
  readonly decayParams: readonly tf.Variable[];
  /** Layer-and-role names of `params`, same order ('s1.b0.main.dw.filter'). */
  readonly names: readonly string[];
  /** The layers of `config` as slices of the shared weights. */
  subnet(config: Mbv3Config): SubnetView;
  dispose(): void;
}

/** The config whose layers are the shared weights: every choice at its largest, every optional layer present. */
export function supernetConfig(macro: Mbv3Macro, bounds: SupernetBounds = MBV3_BOUNDS): Mbv3Config {
  const last = macro.stages.length - 1;
  return {
    macro,
    stages: macro.stages.map((_, i) => ({
      depth: bounds.maxDepth,
      kernel: bounds.maxKernel,
      expand: bounds.maxExpand,
      parallelKernel: bounds.maxKernel,
      dense: i > 0,
      exit: i < last,
    })),
  };
}

export function createMbv3Supernet(macro: Mbv3Macro, seed: number, bounds: SupernetBounds = MBV3_BOUNDS): Mbv3Supernet {
  const make = createParamFactory(seed);
  buildMbv3Params(supernetConfig(macro, bounds), make);
  const names = [...make.named.keys()];
  const params = names.map((n) => make.named.get(n)!);
  const shared = make.named;

  const subnet = (config: Mbv3Config): SubnetView => {
    const made: tf.Tensor[] = [];
    const take = <T extends tf.Tensor>(name: string, shape: readonly number[]): T => {
      const v = shared.get(name);
      if (v === undefined) throw new Error(`supernet: no shared layer ${name} (is the config within the bounds?)`);
      if (shape.length !== v.rank || shape.some((n, d) => n > v.shape[d]!)) {
        throw new Error(`supernet: ${name} is [${v.shape.join(', ')}], cannot take [${shape.join(', ')}]`);
      }
      if (shape.every((n, d) => n === v.shape[d])) return v as unknown as T;
      // Conv filters are [k, k, in, out]: the kernel is cropped around its centre, channels are taken from the front.
      const begin = shape.map((n, d) => (v.rank === 4 && d < 2 ? (v.shape[d]! - n) / 2 : 0));
      const t = tf.slice(v, begin, [...shape]) as unknown as T;
      made.push(t);
      return t;
    };
    const bn = (name: string, c: number) => ({
      gamma: take<tf.Tensor1D>(`${name}.gamma`, [c]),
      beta: take<tf.Tensor1D>(`${name}.beta`, [c]),
      mean: new Float32Array(c),
      variance: new Float32Array(c).fill(1),
    });
    const factory: LayerFactory = {
      convBn: (name, k, cin, cout) => ({ filter: take(`${name}.filter`, [k, k, cin, cout]), depthwise: false, bn: bn(name, cout) }),
      depthwiseBn: (name, k, c) => ({ filter: take(`${name}.filter`, [k, k, c, 1]), depthwise: true, bn: bn(name, c) }),
      linear: (name, fin, fout) => ({ weight: take(`${name}.weight`, [fin, fout]), bias: take(`${name}.bias`, [fout]) }),
    };
    const p = buildMbv3Params(config, factory);
    return { params: p, dispose: () => tf.dispose(made) };
  };

  return {
    macro,
    bounds,
    params,
    decayParams: make.weights,
    names,
    subnet,
    dispose: () => tf.dispose(params),
  };
}

/** A standalone network initialised with a sub-network's inherited weights: its own variables, free to fine-tune. */
export interface ExtractedSubnet {
  readonly params: Mbv3Params;
  readonly variables: readonly tf.Variable[];
  /** Conv and linear weights (weight decay). */
  readonly decay: readonly tf.Variable[];
  dispose(): void;
}

export function extractSubnet(sn: Mbv3Supernet, config: Mbv3Config): ExtractedSubnet {
  const view = sn.subnet(config);
  const variables: tf.Variable[] = [];
  const decay: tf.Variable[] = [];
  const copy = <T extends tf.Tensor>(t: T, isDecay: boolean): T => {
    const v = tf.variable(t, true);
    variables.push(v);
    if (isDecay) decay.push(v);
    return v as unknown as T;
  };
  try {
    const map = (p: Mbv3Params): Mbv3Params => {
      const convBn = (c: ConvBn): ConvBn => ({
        filter: copy(c.filter, true),
        depthwise: c.depthwise,
        bn: { gamma: copy(c.bn.gamma, false), beta: copy(c.bn.beta, false), mean: c.bn.mean.slice(), variance: c.bn.variance.slice() },
      });
      const linear = (l: Linear): Linear => ({ weight: copy(l.weight, true), bias: copy(l.bias, false) });
      return {
        config: p.config,
        heads: p.heads,
        stem: convBn(p.stem),
        stages: p.stages.map((st) => ({
          act: st.act,
          dense: st.dense.map((d) => ({ ...d, proj: convBn(d.proj) })),
          blocks: st.blocks.map((b) => ({
            ...b,
            branches: b.branches.map((br) => ({
              expand: br.expand === null ? null : convBn(br.expand),
              dw: convBn(br.dw),
              se: br.se === null ? null : { squeeze: linear(br.se.squeeze), excite: linear(br.se.excite) },
              project: convBn(br.project),
            })),
          })),
          head: st.head === null ? null : { conv: convBn(st.head.conv), linear: linear(st.head.linear) },
        })),
      };
    };
    const params = map(view.params);
    return { params, variables, decay, dispose: () => tf.dispose(variables) };
  } finally {
    view.dispose();
  }
}

/** Weights as plain arrays, for checkpoints. */
export function supernetWeights(sn: Mbv3Supernet): Float32Array[] {
  return sn.params.map((v) => v.dataSync() as Float32Array);
}

export function loadSupernetWeights(sn: Mbv3Supernet, weights: readonly Float32Array[]): void {
  if (weights.length !== sn.params.length) throw new Error(`supernet checkpoint: ${weights.length} tensors, expected ${sn.params.length}`);
  sn.params.forEach((v, i) => {
    const w = weights[i]!;
    if (w.length !== v.size) throw new Error(`supernet checkpoint: ${sn.names[i]} has ${w.length} values, expected ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
  });
}
