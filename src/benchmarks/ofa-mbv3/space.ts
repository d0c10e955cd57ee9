import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, BlockNode, CouplingRule, Genome, SearchSpace } from '../../space/types.js';
import { EXPANDS, KERNELS, SLOTS, STAGES, type OfaSubnet } from './arch.js';

/*
 * The OFA MobileNetV3 space as blocknas nodes: node 0 is the input resolution, then one node per layer slot
 * (stage s, slot j is node 1 + 4s + j). A slot holds one MBConv (kernel x expand, 9 blocks); slots 3 and 4 of a
 * stage may also be "skip", so a stage runs 2-4 layers. Depth rules keep the skipped slots a suffix.
 */

/** Resolutions that both the accuracy predictor and the Note10 LUT cover. */
export const OFA_RESOLUTIONS: readonly number[] = Array.from({ length: 17 }, (_, i) => 160 + 4 * i);
export const RESOLUTION_NODE = 0;
/** Block index of an MBConv: kernel-major, k3e3, k3e4, k3e6, k5e3, ..., k7e6. */
export const mbBlock = (kernel: number, expand: number) =>
  KERNELS.indexOf(kernel as (typeof KERNELS)[number]) * EXPANDS.length + EXPANDS.indexOf(expand as (typeof EXPANDS)[number]);
/** Block index of "skip" on slots 3 and 4. */
export const SKIP = KERNELS.length * EXPANDS.length;
export const SKIP_ID = 'skip';
export const layerNode = (stage: number, slot: number) => 1 + stage * SLOTS + slot;
const MIN_DEPTH = 2;

const MB_BLOCKS: Block[] = KERNELS.flatMap((k) =>
  EXPANDS.map((e) => ({ id: `k${k}e${e}`, label: `MBConv kernel ${k}, expand ${e}`, attrs: { present: 1, kernel: k, expand: e } })),
);
const SKIP_BLOCK: Block = { id: SKIP_ID, label: 'skip (identity: the stage is shallower)', attrs: { present: 0, kernel: 0, expand: 0 } };

/** "Slot 4 used => slot 3 used", as [slot 4 skip] - [slot 3 skip] >= 0, for every stage. */
function depthRules(): CouplingRule[] {
  return Array.from({ length: STAGES }, (_, s) => ({
    name: `stage ${s + 1}: slot 4 used => slot 3 used`,
    terms: [
      { node: layerNode(s, 3), block: SKIP, coef: 1 },
      { node: layerNode(s, 2), block: SKIP, coef: -1 },
    ],
    op: '>=' as const,
    rhs: 0,
  }));
}

/**
 * Canonical form "r192|k5e3,k3e3|k5e4,k3e4,k7e6|...": the resolution, then per stage its layers in order. Trailing
 * skipped slots are left out; a skip before a used slot (which the rules forbid) is written "skip" so that every
 * genome round-trips.
 */
function format(nodes: readonly BlockNode[], g: Genome): string {
  const stages = Array.from({ length: STAGES }, (_, s) => {
    const ids = Array.from({ length: SLOTS }, (_, j) => nodes[layerNode(s, j)]!.blocks[g[layerNode(s, j)]!]!.id);
    while (ids.length > MIN_DEPTH && ids[ids.length - 1] === SKIP_ID) ids.pop();
    return ids.join(',');
  });
  return [nodes[RESOLUTION_NODE]!.blocks[g[RESOLUTION_NODE]!]!.id, ...stages].join('|');
}

function parse(nodes: readonly BlockNode[], text: string): Genome {
  const parts = text.trim().split('|');
  const bad = (why: string): never => {
    throw new UserError(`architecture "${text}": ${why} (expected e.g. r224|k3e4,k5e6|k3e3,k3e3,k7e6|...: 5 stages of 2-4 layers)`);
  };
  if (parts.length !== 1 + STAGES) bad(`expected the resolution and ${STAGES} stages separated by '|'`);
  const res = nodes[RESOLUTION_NODE]!.blocks.findIndex((b) => b.id === parts[0]);
  if (res < 0) bad(`resolution "${parts[0]}" is not one of ${nodes[RESOLUTION_NODE]!.blocks.map((b) => b.id).join(', ')}`);
  const g = [res];
  parts.slice(1).forEach((stage, s) => {
    const ids = stage.split(',');
    if (ids.length < MIN_DEPTH || ids.length > SLOTS) bad(`stage ${s + 1} has ${ids.length} layers, not 2-4`);
    for (let j = 0; j < SLOTS; j++) {
      const id = ids[j] ?? SKIP_ID;
      const b = nodes[layerNode(s, j)]!.blocks.findIndex((blk) => blk.id === id);
      if (b < 0) bad(`stage ${s + 1} slot ${j + 1}: "${id}" is not one of ${nodes[layerNode(s, j)]!.blocks.map((x) => x.id).join(', ')}`);
      g.push(b);
    }
  });
  return g;
}

export interface OfaSpaceOptions {
  /** Input resolutions, node 0's blocks (default 160..224 step 4). One resolution gives a fixed-resolution space. */
  readonly resolutions?: readonly number[];
}

export function createOfaMbv3Space(options: OfaSpaceOptions = {}): SearchSpace {
  const resolutions = options.resolutions ?? OFA_RESOLUTIONS;
  if (resolutions.length === 0 || new Set(resolutions).size !== resolutions.length) {
    throw new UserError(`ofa-mbv3: resolutions must be distinct and not empty, got [${resolutions.join(', ')}]`);
  }
  // The predictor one-hot encodes (r - 112) // 16 into 8 slots: 112 <= r < 240.
  const outside = resolutions.filter((r) => !Number.isInteger(r) || r < 112 || r >= 240);
  if (outside.length > 0) throw new UserError(`ofa-mbv3: resolution ${outside.join(', ')} is outside the predictor's 112-239 px`);
  const resNode: BlockNode = {
    id: 'resolution',
    label: 'input resolution',
    blocks: resolutions.map((r) => ({ id: `r${r}`, label: `${r} px`, attrs: { resolution: r } })),
  };
  const layerNodes: BlockNode[] = Array.from({ length: STAGES * SLOTS }, (_, i) => {
    const s = Math.floor(i / SLOTS);
    const j = i % SLOTS;
    return { id: `s${s + 1}l${j + 1}`, label: `stage ${s + 1} layer ${j + 1}`, blocks: j < MIN_DEPTH ? MB_BLOCKS : [...MB_BLOCKS, SKIP_BLOCK] };
  });
  const nodes = [resNode, ...layerNodes];
  const name = resolutions.length === 1 ? `ofa-mbv3-r${resolutions[0]}` : 'ofa-mbv3';
  return createSpace({ name, nodes, rules: depthRules(), format: (g) => format(nodes, g), parse: (t) => parse(nodes, t) });
}

/** Resolution (px) of a genome. */
export function resolutionOf(space: SearchSpace, g: Genome): number {
  return Number(space.nodes[RESOLUTION_NODE]!.blocks[g[RESOLUTION_NODE]!]!.attrs['resolution']);
}

/**
 * The OFA sub-network a genome computes. A skip is an identity layer, so a skipped slot 3 before a used slot 4
 * (outside the rules) computes the stage without it: the used layers move up, and the depth is their count. Slots
 * past the depth are filled with kernel 3, expand 3 (OFA ignores them).
 */
export function subnetOf(space: SearchSpace, g: Genome): OfaSubnet {
  const d: number[] = [];
  const ks: number[] = [];
  const e: number[] = [];
  for (let s = 0; s < STAGES; s++) {
    const used = Array.from({ length: SLOTS }, (_, j) => g[layerNode(s, j)]!).filter((b) => b !== SKIP);
    d.push(used.length);
    for (let j = 0; j < SLOTS; j++) {
      const b = used[j];
      ks.push(b === undefined ? KERNELS[0] : KERNELS[Math.floor(b / EXPANDS.length)]!);
      e.push(b === undefined ? EXPANDS[0] : EXPANDS[b % EXPANDS.length]!);
    }
  }
  return { r: resolutionOf(space, g), d, ks, e };
}

/** The genome of an OFA sub-network (20-slot ks/e, 5 depths); UserError when it lies outside the space. */
export function genomeOf(space: SearchSpace, net: OfaSubnet): Genome {
  const what = `ofa-mbv3 subnet ${JSON.stringify(net)}`;
  if (net.d.length !== STAGES || net.ks.length !== STAGES * SLOTS || net.e.length !== STAGES * SLOTS) {
    throw new UserError(`${what}: expected d[5], ks[20], e[20]`);
  }
  const res = space.nodes[RESOLUTION_NODE]!.blocks.findIndex((b) => b.attrs['resolution'] === net.r);
  if (res < 0) throw new UserError(`${what}: resolution ${net.r} is not in space ${space.name}`);
  const g = [res];
  for (let s = 0; s < STAGES; s++) {
    const d = net.d[s]!;
    if (!Number.isInteger(d) || d < MIN_DEPTH || d > SLOTS) throw new UserError(`${what}: stage ${s + 1} depth ${d} is not 2-4`);
    for (let j = 0; j < SLOTS; j++) {
      if (j >= d) {
        g.push(SKIP);
        continue;
      }
      const k = net.ks[s * SLOTS + j]!;
      const e = net.e[s * SLOTS + j]!;
      if (!KERNELS.includes(k as 3) || !EXPANDS.includes(e as 3)) throw new UserError(`${what}: layer ${s * SLOTS + j}: kernel ${k} / expand ${e}`);
      g.push(mbBlock(k, e));
    }
  }
  return g;
}
