import type { AdditiveModel } from '../../core/additive.js';
import type { Genome } from '../../space/types.js';
import { nb201Layers, outputShape, type Nb201Dataset, type Nb201Layer } from './network.js';
import { NB201_EDGES, NB201_OPS } from './space.js';

export { NB201_DATASETS, type Nb201Dataset } from './network.js';

/**
 * How a FLOP is counted. Both count a multiply-accumulate as one FLOP; they differ in which layers count at all.
 *
 * - `naslib`: torchstat's rules, as vendored in tensorwatch (`model_graph/torchstat/compute_flops.py`), which
 *   NASLib's zero-cost benchmark uses for its `flops` (`predictors/utils/pruners/predictive.py`: tensorwatch
 *   `ModelStats(...).Flops / 1e6`). Conv: k²·C_in·C_out·H_out·W_out (+C_out·H_out·W_out for a bias). BatchNorm: input
 *   elements, ×2 when affine. ReLU: input elements. AvgPool: k²·C·H_out·W_out. AdaptiveAvgPool to 1×1:
 *   C·(H+1)·(W+1) — torchstat's window formula adds 1 to each window extent. Linear: in·out, bias not counted.
 * - `nb201-api`: AutoDL-Projects `utils/flop_benchmark.py` `get_model_infos`, which produced the NB201 / NATS-Bench
 *   API `flops`. Only Conv2d and Linear are summed (the pooling hooks run, but their term is commented out of
 *   `compute_average_flops_cost`); Linear counts in·out + out.
 *
 * Params are the same under both: every weight, bias and affine BN γ/β (running statistics are buffers), divided by
 * 10^6 — the benchmark files predate AutoDL's later switch of `count_parameters_in_MB` to 2^20.
 */
export type Nb201FlopConvention = 'naslib' | 'nb201-api';

export interface Nb201Costs {
  /** MFLOPs (10^6). */
  readonly flops: number;
  /** Millions of parameters (10^6). */
  readonly params: number;
}

export interface Nb201CostModels {
  readonly flops: AdditiveModel;
  readonly params: AdditiveModel;
}

const elements = (l: Nb201Layer) => l.c * l.h * l.w;

export function layerFlops(l: Nb201Layer, convention: Nb201FlopConvention): number {
  const out = outputShape(l);
  const outPositions = out.h * out.w;
  const naslib = convention === 'naslib';
  switch (l.kind) {
    case 'conv':
      return l.k * l.k * l.c * l.out * outPositions + (l.bias ? l.out * outPositions : 0);
    case 'linear':
      return l.c * l.out + (l.bias && !naslib ? l.out : 0);
    case 'bn':
      return naslib ? elements(l) * (l.affine ? 2 : 1) : 0;
    case 'relu':
      return naslib ? elements(l) : 0;
    case 'avgpool':
      return naslib ? l.k * l.k * out.c * outPositions : 0;
    case 'gap':
      return naslib ? l.c * (l.h + 1) * (l.w + 1) : 0;
  }
}

export function layerParams(l: Nb201Layer): number {
  switch (l.kind) {
    case 'conv':
      return l.k * l.k * l.c * l.out + (l.bias ? l.out : 0);
    case 'linear':
      return l.c * l.out + (l.bias ? l.out : 0);
    case 'bn':
      return l.affine ? 2 * l.c : 0;
    default:
      return 0;
  }
}

/** Whole-network counts (exact integers) of a layer list. */
function count(layers: readonly Nb201Layer[], convention: Nb201FlopConvention) {
  let flops = 0;
  let params = 0;
  for (const l of layers) {
    flops += layerFlops(l, convention);
    params += layerParams(l);
  }
  return { flops, params };
}

/** FLOPs and params of one architecture, by walking its network layer by layer. */
export function nb201CostOf(genome: Genome, dataset: Nb201Dataset, convention: Nb201FlopConvention = 'naslib'): Nb201Costs {
  const { flops, params } = count(nb201Layers(genome, dataset), convention);
  return { flops: flops / 1e6, params: params / 1e6 };
}

/**
 * FLOPs and params as exact additive models over the six edges: the fixed network (stem, reduction blocks, head) is
 * the intercept and values[edge][op] is what op costs on that edge summed over all 15 cells (every cell repeats the
 * genome). Exact because every leaf module belongs either to the fixed network or to exactly one edge, and no counted
 * layer depends on another edge's op (the node sums inside a cell are tensor additions, which no counter sees).
 */
export function nb201Cost(dataset: Nb201Dataset, convention: Nb201FlopConvention = 'naslib'): Nb201CostModels {
  const edges = NB201_EDGES.length;
  const flops = NB201_EDGES.map(() => new Array<number>(NB201_OPS.length).fill(0));
  const params = NB201_EDGES.map(() => new Array<number>(NB201_OPS.length).fill(0));
  let fixed = { flops: 0, params: 0 };
  for (let op = 0; op < NB201_OPS.length; op++) {
    const layers = nb201Layers(new Array<number>(edges).fill(op), dataset);
    // The fixed layers are the same for every genome; take them once.
    if (op === 0) fixed = count(layers.filter((l) => l.edge === undefined), convention);
    for (const l of layers) {
      if (l.edge === undefined) continue;
      flops[l.edge]![op]! += layerFlops(l, convention);
      params[l.edge]![op]! += layerParams(l);
    }
  }
  const scale = (rows: number[][]) => rows.map((row) => row.map((v) => v / 1e6));
  return {
    flops: { intercept: fixed.flops / 1e6, values: scale(flops) },
    params: { intercept: fixed.params / 1e6, values: scale(params) },
  };
}
