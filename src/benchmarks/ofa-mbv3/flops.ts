import { activeLayers, finalSize, makeDivisible, midChannels, stemSize, WIDTHS, type MbLayer, type OfaSubnet, type Widths } from './arch.js';

/** SE squeeze width in OFA: make_divisible(mid // 4, 8). */
const seChannels = (mid: number) => makeDivisible(Math.floor(mid / 4));

export interface FlopsOptions {
  readonly widths?: Widths;
  readonly classes?: number;
  /**
   * Also count one multiply per element of every h-swish output and SE rescaling, as torchprofile's
   * `profile_macs` (NAT, NSGANetV2) does. Off by default: OFA's own count is convolutions and linear layers only.
   */
  readonly elementwise?: boolean;
}

/**
 * Multiply-accumulates (M) of the convolutions and linear layers, the count papers on this space report as "FLOPs":
 * stem 3x3, the fixed first block (depthwise + pointwise), per MBConv the 1x1 expansion, the kxk depthwise, the SE
 * squeeze and excite 1x1s at 1x1 spatial size and the 1x1 projection, then the final expand, feature mix and
 * classifier. Batch norm, activations and pooling are not counted; element-wise products only when asked.
 */
export function ofaMacs(net: OfaSubnet, options: FlopsOptions = {}): number {
  const w = options.widths ?? WIDTHS['1.2'];
  const classes = options.classes ?? 1000;
  const f0 = stemSize(net.r);
  const fs = finalSize(net.r);
  const ew = options.elementwise ? 1 : 0;
  // Stem (3x3, h-swish), then the first block: depthwise 3x3 and pointwise, ReLU, no SE.
  let macs = 3 * w.stem * 9 * f0 * f0 + ew * w.stem * f0 * f0 + w.stem * 9 * f0 * f0 + w.stem * w.stem * f0 * f0;
  for (const l of activeLayers(net, w)) macs += layerMacs(l, options.elementwise);
  macs += w.stages[4]! * w.finalExpand * fs * fs + w.finalExpand * w.featureMix + w.featureMix * classes;
  macs += ew * (w.finalExpand * fs * fs + w.featureMix);
  return macs / 1e6;
}

/** Multiply-accumulates of one MBConv: expansion, depthwise, SE squeeze/excite, projection. */
export function layerMacs(l: MbLayer, elementwise = false): number {
  const ew = elementwise ? 1 : 0;
  const mid = midChannels(l.inChannels, l.expand);
  const inArea = l.inSize * l.inSize;
  const outArea = l.outSize * l.outSize;
  let macs = l.inChannels * mid * inArea + mid * l.kernel * l.kernel * outArea + mid * l.outChannels * outArea;
  if (l.se) macs += 2 * mid * seChannels(mid) + ew * mid * outArea;
  if (l.hswish) macs += ew * mid * (inArea + outArea);
  return macs;
}
