import { UserError } from '../errors.js';
import { createSpace } from '../space/space.js';
import type { Block, ChoiceTerm, CouplingRule, Genome, SearchSpace } from '../space/types.js';
import type { LayerType } from './features.js';

/**
 * TransNAS-Bench-101 (Duan et al., CVPR 2021) in NASLib's string forms (`transbench101/conversions.py`):
 * micro "64-41414-1_00_210" is a fixed 5-module skeleton around an NB201-like cell whose six edge ops are written
 * node by node; macro "64-1242-basic" is a chain of 4 to 6 ResNet modules, one digit each.
 */

/** Micro cell op digits (NASLib / TNB `cell_ops`). */
const MICRO_OPS: readonly LayerType[] = ['none', 'skip', 'conv1x1', 'conv3x3'];
const MICRO_RE = /^(\d+)-(\d+)-([0-3])_([0-3]{2})_([0-3]{3})$/;

const MICRO_BLOCKS: Block[] = MICRO_OPS.map((op, i) => ({ id: String(i), label: op, attrs: { op } }));

/** The micro cell as a space: 6 edges in NB201 order (0→1, 0→2, 1→2, 0→3, 1→3, 2→3), 4 ops each. */
export function createTnbMicroSpace(): SearchSpace {
  const edges = ['0-1', '0-2', '1-2', '0-3', '1-3', '2-3'];
  return createSpace({
    name: 'tnb101-micro',
    nodes: edges.map((e, i) => ({ id: `e${i}`, label: `edge ${e}`, blocks: MICRO_BLOCKS })),
    format: (g) => `64-41414-${g[0]}_${g[1]}${g[2]}_${g[3]}${g[4]}${g[5]}`,
    parse: (text) => tnbMicroLayers(text).map((t) => MICRO_OPS.indexOf(t)),
  });
}

export function tnbMicroLayers(arch: string): LayerType[] {
  const m = MICRO_RE.exec(arch.trim());
  if (!m) throw new UserError(`TNB101 micro architecture "${arch}": expected a string like 64-41414-1_00_210`);
  return (m[3]! + m[4]! + m[5]!).split('').map((d) => MICRO_OPS[Number(d)]!);
}

/**
 * Macro module codes (TNB `net_macro.py`): 2 and 4 double the channels, 3 and 4 halve the resolution, 1 keeps both.
 * Block 0 is "no module" so that a genome is NASLib's op-index tuple, e.g. (1, 2, 4, 2, 0, 0) for "64-1242-basic".
 */
const MACRO_BLOCKS: Block[] = [
  { id: '-', label: 'no module', attrs: { op: 'none', downsample: 0, widen: 0 } },
  { id: '1', label: 'keep', attrs: { op: 'resnet', downsample: 0, widen: 0 } },
  { id: '2', label: 'widen x2', attrs: { op: 'resnet', downsample: 0, widen: 1 } },
  { id: '3', label: 'stride 2', attrs: { op: 'resnet', downsample: 1, widen: 0 } },
  { id: '4', label: 'stride 2, widen x2', attrs: { op: 'resnet', downsample: 1, widen: 1 } },
];
const MAX_MODULES = 6;
const MIN_MODULES = 4;
const ABSENT = 0;

const count = (attr: 'downsample' | 'widen'): ChoiceTerm[] =>
  Array.from({ length: MAX_MODULES }, (_, node) =>
    MACRO_BLOCKS.flatMap((b, block) => (b.attrs[attr] === 1 ? [{ node, block, coef: 1 }] : [])),
  ).flat();

/**
 * The published macro constraints as coupling rules: 4 to 6 modules with no gaps, 1 to 4 downsamplings and 1 to 3
 * channel doublings. They are the TNB paper's skeleton rules; counting under them gives 3,256, the paper's macro
 * size (7,352 backbones − 4,096 micro), which is what confirms the reading.
 */
export const TNB_MACRO_RULES: readonly CouplingRule[] = [
  ...Array.from({ length: MIN_MODULES }, (_, node) => ({
    name: `module ${node + 1} present`,
    terms: [{ node, block: ABSENT, coef: 1 }],
    op: '=' as const,
    rhs: 0,
  })),
  ...Array.from({ length: MAX_MODULES - MIN_MODULES }, (_, k) => {
    const node = MIN_MODULES + k;
    // [previous absent] − [this absent] ≤ 0: once the chain stops it stays stopped.
    return {
      name: `module ${node + 1} only after module ${node}`,
      terms: [
        { node: node - 1, block: ABSENT, coef: 1 },
        { node, block: ABSENT, coef: -1 },
      ],
      op: '<=' as const,
      rhs: 0,
    };
  }),
  { name: 'at least 1 downsampling', terms: count('downsample'), op: '>=', rhs: 1 },
  { name: 'at most 4 downsamplings', terms: count('downsample'), op: '<=', rhs: 4 },
  { name: 'at least 1 channel doubling', terms: count('widen'), op: '>=', rhs: 1 },
  { name: 'at most 3 channel doublings', terms: count('widen'), op: '<=', rhs: 3 },
];

export function formatTnbMacro(g: Genome): string {
  return `64-${g.filter((b) => b !== ABSENT).join('')}-basic`;
}

const MACRO_RE = /^64-([1-4]{1,6})-basic$/;

export function parseTnbMacro(text: string): Genome {
  const m = MACRO_RE.exec(text.trim());
  if (!m) throw new UserError(`TNB101 macro architecture "${text}": expected a string like 64-1242-basic`);
  const g = m[1]!.split('').map(Number);
  while (g.length < MAX_MODULES) g.push(ABSENT);
  return g;
}

export function createTnbMacroSpace(): SearchSpace {
  return createSpace({
    name: 'tnb101-macro',
    nodes: Array.from({ length: MAX_MODULES }, (_, i) => ({ id: `m${i + 1}`, label: `module ${i + 1}`, blocks: MACRO_BLOCKS })),
    rules: TNB_MACRO_RULES,
    format: formatTnbMacro,
    parse: parseTnbMacro,
  });
}

/**
 * Layers of a macro network: every module is two ResNet basic blocks of two 3×3 convs; the first block's residual
 * is a 1×1 projection when the module changes stride or width and an identity otherwise, the second's an identity.
 * The vector cannot see depth-wise placement or resolution, only this mix.
 */
export function tnbMacroLayers(arch: string): LayerType[] {
  const g = parseTnbMacro(arch);
  return g.flatMap((b): LayerType[] => {
    if (b === ABSENT) return [];
    const projection: LayerType = b === 1 ? 'skip' : 'conv1x1';
    return ['conv3x3', 'conv3x3', projection, 'conv3x3', 'conv3x3', 'skip'];
  });
}
