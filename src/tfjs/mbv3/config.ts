import { UserError } from '../../errors.js';

/*
 * A MobileNetV3-style network for small inputs, with the three additions OFAv2 (Sarti et al., 2023) makes to the
 * once-for-all MobileNetV3 supernet: parallel blocks, dense skip connections between stages, and early exits.
 * The macro part (widths, strides, activations, squeeze-excite) is fixed per family; the arch part is what a search
 * picks per stage.
 */

export type Activation = 'relu' | 'hswish';

export interface Mbv3StageMacro {
  /** Output channels of every block of the stage. */
  readonly width: number;
  /** Stride of the stage's first block. */
  readonly stride: number;
  readonly act: Activation;
  /** Squeeze-and-excite in every block of the stage. */
  readonly se: boolean;
}

export interface Mbv3Macro {
  readonly inputSize: number;
  readonly inChannels: number;
  readonly classes: number;
  /** Stem: 3x3 conv, BN, h-swish. */
  readonly stemWidth: number;
  readonly stemStride: number;
  readonly stages: readonly Mbv3StageMacro[];
  /** Every head (final and early exits): 1x1 conv to this width, BN, h-swish, global average pool, linear. */
  readonly headWidth: number;
}

export interface Mbv3StageArch {
  /** Blocks in the stage (the space uses 2-4). */
  readonly depth: number;
  /** Depthwise kernel of every block of the stage (3, 5 or 7). */
  readonly kernel: number;
  /** Expansion ratio of every block: the 1x1 expansion widens the block input by this factor. */
  readonly expand: number;
  /**
   * OFAv2 parallel block: every block of the stage also runs a second inverted-residual branch with this depthwise
   * kernel (same expansion) on the same input, and the two projections are summed. null: one branch.
   */
  readonly parallelKernel: number | null;
  /**
   * OFAv2 dense skip: the stage input also receives the outputs of the stem and of every earlier stage except the
   * one just before (which is the input already), each average-pooled to the input's size, projected by a 1x1 conv
   * and BN to the input's width, and summed. Not possible for the first stage, which has no earlier output.
   */
  readonly dense: boolean;
  /** OFAv2 early exit: a classifier head on this stage's output. The last stage always has the final head. */
  readonly exit: boolean;
}

export interface Mbv3Config {
  readonly macro: Mbv3Macro;
  readonly stages: readonly Mbv3StageArch[];
}

/**
 * 28x28x1 inputs (MNIST, Fashion-MNIST): stem to 14x14, stages at 7, 7 and 4 px. Widths are a fraction of
 * MobileNetV3's so that a network trains in tens of seconds on two CPU cores; ReLU early and h-swish with
 * squeeze-excite late, as MobileNetV3 places them.
 */
export const MBV3_MINI_MACRO: Mbv3Macro = {
  inputSize: 28,
  inChannels: 1,
  classes: 10,
  stemWidth: 8,
  stemStride: 2,
  stages: [
    { width: 16, stride: 2, act: 'relu', se: false },
    { width: 24, stride: 1, act: 'hswish', se: true },
    { width: 32, stride: 2, act: 'hswish', se: true },
  ],
  headWidth: 64,
};

export const KERNELS = [3, 5, 7] as const;
export const EXPANDS = [3, 4, 6] as const;
export const DEPTHS = [2, 3, 4] as const;

/** TF/OFA make_divisible: the nearest multiple of `divisor`, never below 90% of v. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** Width of the expanded (depthwise) part of a block. Exact products: the mini widths need no rounding. */
export const midWidth = (cin: number, expand: number): number => Math.round(cin * expand);
/** Squeeze width of squeeze-excite, as OFA: make_divisible(mid / 4, 8). */
export const seWidth = (mid: number): number => makeDivisible(mid / 4);
/** Output side of a 'same'-padded conv or pool: ceil(size / stride). */
export const strided = (size: number, stride: number): number => Math.ceil(size / stride);

const positiveInt = (v: number) => Number.isInteger(v) && v > 0;

/** Throws UserError naming the first field that cannot build a network. */
export function checkConfig(config: Mbv3Config): void {
  const { macro, stages } = config;
  if (![macro.inputSize, macro.inChannels, macro.classes, macro.stemWidth, macro.stemStride, macro.headWidth].every(positiveInt)) {
    throw new UserError('mbv3 macro: inputSize, inChannels, classes, stemWidth, stemStride and headWidth must be positive integers');
  }
  if (stages.length !== macro.stages.length || stages.length === 0) {
    throw new UserError(`mbv3 config: expected ${macro.stages.length} stage settings, got ${stages.length}`);
  }
  const sizes = stageInputSizes(macro);
  stages.forEach((s, i) => {
    const where = `mbv3 stage ${i + 1}`;
    const m = macro.stages[i]!;
    if (!positiveInt(m.width) || !positiveInt(m.stride)) throw new UserError(`${where}: width and stride must be positive integers`);
    if (!positiveInt(s.depth)) throw new UserError(`${where}: depth must be a positive integer, got ${s.depth}`);
    const oddKernel = (k: number) => positiveInt(k) && k % 2 === 1;
    if (!oddKernel(s.kernel)) throw new UserError(`${where}: kernel must be an odd positive integer, got ${s.kernel}`);
    if (s.parallelKernel !== null && !oddKernel(s.parallelKernel)) {
      throw new UserError(`${where}: parallelKernel must be null or an odd positive integer, got ${s.parallelKernel}`);
    }
    if (!(s.expand >= 1) || !Number.isInteger(s.expand * 2)) throw new UserError(`${where}: expand must be >= 1, got ${s.expand}`);
    if (s.dense && i === 0) throw new UserError(`${where}: dense needs an earlier stage output; the first stage has none`);
    if (s.exit && i === stages.length - 1) throw new UserError(`${where}: the last stage has the final head; exit must be false`);
    if (s.dense) {
      const target = sizes[i]!;
      for (const src of denseSourceSizes(macro, i)) {
        if (src % target !== 0) throw new UserError(`${where}: dense skip from ${src} px to ${target} px needs an integer pooling factor`);
      }
    }
  });
}

/** Input side of every stage (the stem's output side for the first). */
export function stageInputSizes(macro: Mbv3Macro): number[] {
  const sizes: number[] = [];
  let size = strided(macro.inputSize, macro.stemStride);
  for (const st of macro.stages) {
    sizes.push(size);
    size = strided(size, st.stride);
  }
  return sizes;
}

/** Output side of every stage. */
export function stageOutputSizes(macro: Mbv3Macro): number[] {
  return stageInputSizes(macro).map((s, i) => strided(s, macro.stages[i]!.stride));
}

/**
 * The tensors a dense skip into stage `stage` draws from: index 0 is the stem's output, j >= 1 is stage j-1's output;
 * every one before the stage's own input (source `stage`).
 */
export function denseSources(stage: number): number[] {
  return Array.from({ length: Math.max(0, stage) }, (_, j) => j);
}

/** Side and width of source j (0: stem, j: stage j-1). */
export function sourceShape(macro: Mbv3Macro, j: number): { size: number; width: number } {
  if (j === 0) return { size: strided(macro.inputSize, macro.stemStride), width: macro.stemWidth };
  return { size: stageOutputSizes(macro)[j - 1]!, width: macro.stages[j - 1]!.width };
}

function denseSourceSizes(macro: Mbv3Macro, stage: number): number[] {
  return denseSources(stage).map((j) => sourceShape(macro, j).size);
}

/** A uniform arch (same choice in every stage, no OFAv2 additions), handy for benches and tests. */
export function uniformArch(stages: number, depth: number, kernel: number, expand: number): Mbv3StageArch[] {
  return Array.from({ length: stages }, () => ({ depth, kernel, expand, parallelKernel: null, dense: false, exit: false }));
}
