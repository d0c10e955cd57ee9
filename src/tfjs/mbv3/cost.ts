import { checkConfig, denseSources, midWidth, type Mbv3Config, seWidth, sourceShape, stageInputSizes, stageOutputSizes } from './config.js';

/*
 * Analytic cost of an Mbv3Config, written from the definition (not from the built model), so that the tests can hold
 * one against the other.
 *
 * FLOPs convention: multiply-accumulates (MACs) of convolutions and linear layers, as OFA's count_conv_flop and the
 * MobileNet papers count them: a conv costs out_h * out_w * k * k * c_in * c_out / groups, a linear in * out.
 * Batch norm, activations, pooling, additions, biases and the squeeze-excite rescaling are not counted.
 * Params: every learnable scalar: conv weights (no bias; BN follows), BN gamma and beta, squeeze-excite and
 * classifier weights and biases. BN running statistics are buffers, not params.
 */

export interface Mbv3Cost {
  /** MACs of everything the built network computes (backbone, dense projections, every head), in millions. */
  readonly macs: number;
  readonly params: number;
  /** Per head, in depth order (early exits, then the final head): the stage it follows. */
  readonly heads: readonly { readonly afterStage: number; readonly macs: number; readonly params: number }[];
}

interface Part {
  macs: number;
  params: number;
}

const conv = (outSize: number, k: number, cin: number, cout: number, depthwise = false): Part => ({
  macs: outSize * outSize * k * k * (depthwise ? 1 : cin) * cout,
  params: k * k * (depthwise ? 1 : cin) * cout + 2 * cout,
});
const linear = (fin: number, fout: number): Part => ({ macs: fin * fout, params: fin * fout + fout });
const sum = (...parts: Part[]): Part => ({
  macs: parts.reduce((a, p) => a + p.macs, 0),
  params: parts.reduce((a, p) => a + p.params, 0),
});

/** One inverted-residual branch: 1x1 expansion (when expand > 1), kxk depthwise, squeeze-excite, 1x1 projection. */
export function branchCost(inSize: number, outSize: number, cin: number, cout: number, kernel: number, expand: number, se: boolean): Part {
  const mid = midWidth(cin, expand);
  const parts = [conv(inSize, 1, cin, mid), conv(outSize, kernel, mid, mid, true), conv(outSize, 1, mid, cout)];
  if (expand === 1) parts.shift();
  if (se) {
    const s = seWidth(mid);
    parts.push(linear(mid, s), linear(s, mid));
  }
  return sum(...parts);
}

/** 1x1 conv + BN + h-swish, global pooling, linear. */
export function headCost(size: number, cin: number, width: number, classes: number): Part {
  return sum(conv(size, 1, cin, width), linear(width, classes));
}

export function mbv3Cost(config: Mbv3Config): Mbv3Cost {
  checkConfig(config);
  const { macro, stages } = config;
  const inSizes = stageInputSizes(macro);
  const outSizes = stageOutputSizes(macro);
  const stemSize = inSizes[0]!;
  let backbone = conv(stemSize, 3, macro.inChannels, macro.stemWidth);
  const heads: { afterStage: number; macs: number; params: number }[] = [];
  let headsTotal: Part = { macs: 0, params: 0 };
  stages.forEach((arch, i) => {
    const m = macro.stages[i]!;
    const cin = i === 0 ? macro.stemWidth : macro.stages[i - 1]!.width;
    const parts: Part[] = [];
    if (arch.dense) {
      for (const j of denseSources(i)) parts.push(conv(inSizes[i]!, 1, sourceShape(macro, j).width, cin));
    }
    for (let b = 0; b < arch.depth; b++) {
      const bin = b === 0 ? cin : m.width;
      const inSize = b === 0 ? inSizes[i]! : outSizes[i]!;
      for (const k of arch.parallelKernel === null ? [arch.kernel] : [arch.kernel, arch.parallelKernel]) {
        parts.push(branchCost(inSize, outSizes[i]!, bin, m.width, k, arch.expand, m.se));
      }
    }
    backbone = sum(backbone, ...parts);
    if (arch.exit || i === stages.length - 1) {
      const head = headCost(outSizes[i]!, m.width, macro.headWidth, macro.classes);
      heads.push({ afterStage: i, macs: (backbone.macs + head.macs) / 1e6, params: backbone.params + head.params });
      headsTotal = sum(headsTotal, head);
    }
  });
  const total = sum(backbone, headsTotal);
  return { macs: total.macs / 1e6, params: total.params, heads };
}
