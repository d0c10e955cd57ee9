/*
 * The OFA MobileNetV3 supernet (once-for-all `ofa_mbv3_d234_e346_k357`): a stem, one fixed first block, 5 stages of
 * 2-4 MBConv layers with kernel 3/5/7 and expand ratio 3/4/6, then final expand, pooling, feature mix, classifier.
 * OFA writes a sub-network as {r, d[5], ks[20], e[20]}: slot i of stage s is entry 4s+i, and slots beyond d[s] are
 * carried but never run.
 */

export const STAGES = 5;
export const SLOTS = 4;
export const LAYERS = STAGES * SLOTS;
export const KERNELS = [3, 5, 7] as const;
export const EXPANDS = [3, 4, 6] as const;
export const DEPTHS = [2, 3, 4] as const;

/** Per stage: stride of its first layer, activation (h_swish or relu) and squeeze-and-excitation. */
export const STAGE_STRIDE = [2, 2, 2, 1, 2] as const;
export const STAGE_HSWISH = [false, false, true, true, true] as const;
export const STAGE_SE = [false, true, false, true, true] as const;

/** Channel widths of one width multiplier: make_divisible(base x w, 8) of OFA's base widths. */
export interface Widths {
  readonly stem: number;
  readonly stages: readonly number[];
  readonly finalExpand: number;
  readonly featureMix: number;
}

/** Width multiplier 1.2 (the OFA tutorial's supernet, the Note10 LUT, MathNAS) and 1.0 (NAT's ImageNet M1). */
export const WIDTHS: Readonly<Record<'1.0' | '1.2', Widths>> = {
  '1.0': { stem: 16, stages: [24, 40, 80, 112, 160], finalExpand: 960, featureMix: 1280 },
  '1.2': { stem: 24, stages: [32, 48, 96, 136, 192], finalExpand: 1152, featureMix: 1536 },
};

/** A sub-network in OFA's own form. ks/e are 20 long; entries past a stage's depth are ignored. */
export interface OfaSubnet {
  readonly r: number;
  readonly d: readonly number[];
  readonly ks: readonly number[];
  readonly e: readonly number[];
}

/** One MBConv layer that runs, with the shapes it sees. */
export interface MbLayer {
  readonly stage: number;
  /** 0 for the first layer of a stage (strided, no identity shortcut). */
  readonly slot: number;
  readonly inSize: number;
  readonly outSize: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly expand: number;
  readonly kernel: number;
  readonly stride: number;
  readonly idskip: boolean;
  readonly se: boolean;
  readonly hswish: boolean;
}

/** Feature-map side after a stride-s layer, as OFA computes it: int((f - 1) / s + 1), i.e. ceil(f / s). */
export function strided(size: number, stride: number): number {
  return Math.floor((size - 1) / stride + 1);
}

/** Side after the stride-2 stem: (r + 1) // 2. */
export function stemSize(r: number): number {
  return Math.floor((r + 1) / 2);
}

/** The layers a sub-network runs, in order, with their input/output shapes. */
export function activeLayers(net: OfaSubnet, widths: Widths): MbLayer[] {
  const out: MbLayer[] = [];
  let size = stemSize(net.r);
  let inChannels = widths.stem;
  for (let s = 0; s < STAGES; s++) {
    for (let j = 0; j < net.d[s]!; j++) {
      const stride = j === 0 ? STAGE_STRIDE[s]! : 1;
      const outSize = strided(size, stride);
      const outChannels = widths.stages[s]!;
      out.push({
        stage: s,
        slot: j,
        inSize: size,
        outSize,
        inChannels,
        outChannels,
        expand: net.e[s * SLOTS + j]!,
        kernel: net.ks[s * SLOTS + j]!,
        stride,
        idskip: j > 0,
        se: STAGE_SE[s]!,
        hswish: STAGE_HSWISH[s]!,
      });
      size = outSize;
      inChannels = outChannels;
    }
  }
  return out;
}

/** Side of the last feature map (what the final expand layer sees); independent of depths and blocks. */
export function finalSize(r: number): number {
  let size = stemSize(r);
  for (const s of STAGE_STRIDE) size = strided(size, s);
  return size;
}

/** OFA's `make_divisible(v, 8)`: round to a multiple of 8, never below 8 nor more than 10 % down. */
export function makeDivisible(v: number, divisor = 8): number {
  const n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return n < 0.9 * v ? n + divisor : n;
}

/** Expanded (middle) channels of an MBConv: make_divisible(round(in x e), 8). */
export function midChannels(inChannels: number, expand: number): number {
  return makeDivisible(Math.round(inChannels * expand));
}

/** A subnet's identity, ignoring the slots it does not run: "r|d|ks|e" over active layers only. */
export function subnetKey(net: OfaSubnet): string {
  const ks: number[] = [];
  const e: number[] = [];
  for (let s = 0; s < STAGES; s++) {
    for (let j = 0; j < net.d[s]!; j++) {
      ks.push(net.ks[s * SLOTS + j]!);
      e.push(net.e[s * SLOTS + j]!);
    }
  }
  return `${net.r}|${net.d.join('')}|${ks.join('')}|${e.join('')}`;
}
