import { NB201_OPS, parseNb201, type Nb201Op } from '../spaces/nb201/space.js';
import type { LayerType } from './features.js';

const LAYER: Readonly<Record<Nb201Op, LayerType>> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv1x1',
  nor_conv_3x3: 'conv3x3',
  avg_pool_3x3: 'avg_pool3x3',
};

/** The six edge ops of an NB201 arch string as layer types. */
export function nb201LayersOf(arch: string): LayerType[] {
  return parseNb201(arch).map((op) => LAYER[NB201_OPS[op]!]);
}
