import { UserError } from '../errors.js';
import { createSpace } from '../space/space.js';
import type { Block, BlockNode, SearchSpace } from '../space/types.js';
import type { LayerType } from './features.js';

/**
 * The DARTS space (Liu et al., ICLR 2019), which NAS-Bench-301 (Siems et al. 2020; Zela et al., ICLR 2022) covers
 * with a surrogate. A network is a normal and a reduction cell, chosen independently. Each cell has 4 intermediate
 * nodes; node k picks 2 distinct inputs among its k+2 predecessors (the two cell inputs and the earlier nodes) and
 * one of 7 ops for each input. Hence per cell Π_k C(k+2, 2)·7² and the space is that squared, the "10^18" NB301
 * quotes; the exact figure comes from `productSize` of the space below.
 */
export const DARTS_OPS = [
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
] as const;
export const DARTS_NODES = 4;
const CELLS = ['normal', 'reduce'] as const;

const LAYER: Readonly<Record<string, LayerType>> = {
  max_pool_3x3: 'max_pool3x3',
  avg_pool_3x3: 'avg_pool3x3',
  skip_connect: 'skip',
  sep_conv_3x3: 'sep_conv3x3',
  sep_conv_5x5: 'sep_conv5x5',
  dil_conv_3x3: 'dil_conv3x3',
  dil_conv_5x5: 'dil_conv5x5',
};

const OP_BLOCKS: Block[] = DARTS_OPS.map((id) => ({ id, label: id, attrs: { op: id } }));

function pairBlocks(k: number): Block[] {
  const out: Block[] = [];
  for (let a = 0; a < k + 2; a++) for (let b = a + 1; b < k + 2; b++) out.push({ id: `${a}&${b}`, label: `inputs ${a}, ${b}`, attrs: { a, b } });
  return out;
}

/** Per cell and node: which input pair, then the op on the lower and on the higher input. */
export function createDartsSpace(): SearchSpace {
  const nodes: BlockNode[] = [];
  for (const cell of CELLS) {
    for (let k = 0; k < DARTS_NODES; k++) {
      nodes.push({ id: `${cell}${k}.in`, label: `${cell} node ${k} inputs`, blocks: pairBlocks(k) });
      nodes.push({ id: `${cell}${k}.opA`, label: `${cell} node ${k} op on lower input`, blocks: OP_BLOCKS });
      nodes.push({ id: `${cell}${k}.opB`, label: `${cell} node ${k} op on higher input`, blocks: OP_BLOCKS });
    }
  }
  return createSpace({ name: 'nb301', nodes });
}

type Pair = [string, number];

/**
 * Parses NASLib's genotype JSON `{normal: [[op, input] × 8], reduce: [...]}` (pairs 2k and 2k+1 feed node k) and
 * checks that it lies in the space, i.e. each node reads two distinct valid inputs.
 */
export function parseDartsGenotype(text: string): Record<(typeof CELLS)[number], Pair[]> {
  const bad = (why: string) => new UserError(`NB301 genotype "${text.slice(0, 60)}": ${why}`);
  let g: Record<string, unknown>;
  try {
    g = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('not JSON');
  }
  const out = {} as Record<(typeof CELLS)[number], Pair[]>;
  for (const cell of CELLS) {
    const pairs = g?.[cell];
    if (!Array.isArray(pairs) || pairs.length !== 2 * DARTS_NODES) throw bad(`expected ${2 * DARTS_NODES} [op, input] pairs in "${cell}"`);
    out[cell] = pairs.map((p, i) => {
      const k = Math.floor(i / 2);
      if (!Array.isArray(p) || typeof p[0] !== 'string' || !Number.isInteger(p[1]) || p[1] < 0 || p[1] >= k + 2) {
        throw bad(`${cell} pair ${i} is not [op, input < ${k + 2}]`);
      }
      if (!(p[0] in LAYER)) throw bad(`unknown op "${p[0]}"`);
      return [p[0], p[1]] as Pair;
    });
    for (let k = 0; k < DARTS_NODES; k++) {
      if (out[cell][2 * k]![1] === out[cell][2 * k + 1]![1]) throw bad(`${cell} node ${k} reads input ${out[cell][2 * k]![1]} twice`);
    }
  }
  return out;
}

/** The 16 op layers of a genotype (8 per cell). */
export function dartsLayers(text: string): LayerType[] {
  const g = parseDartsGenotype(text);
  return CELLS.flatMap((cell) => g[cell].map(([op]) => LAYER[op]!));
}
