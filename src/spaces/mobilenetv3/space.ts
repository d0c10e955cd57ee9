import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, BlockNode, Genome, SearchSpace } from '../../space/types.js';

/**
 * One candidate configuration of an OFA-MobileNetV3 stage, as in MathNAS's blocks{CPU,GPU}/block{1..5}.pickle:
 * depth d and, for each of the stage's 4 layer slots, an expansion ratio and a kernel size. OFA keeps 4 slots
 * whatever the depth; slots beyond d are carried but never run.
 */
export interface StageCandidate {
  readonly d: number;
  readonly e: readonly number[];
  readonly ks: readonly number[];
}

/** MathNAS searched two candidate lists: one profiled for CPUs (raspberrypi, tx2cpu) and one for the TX2 GPU. */
export type MobilenetV3Set = 'cpu' | 'gpu';

/** An OFA network config in the form of the OFA API and MathNAS's results ymls (5 depths, 20 e/ks slots). */
export interface OfaConfig {
  readonly d: readonly number[];
  readonly e: readonly number[];
  readonly ks: readonly number[];
}

export const MBV3_STAGES = 5;
export const MBV3_SLOTS = 4;

/** The block id spells out the whole candidate, so a string means the same network in either candidate set. */
export function stageBlockId(c: StageCandidate): string {
  return `d${c.d}-k${c.ks.join('')}-e${c.e.join('')}`;
}

function checkCandidate(c: StageCandidate, where: string): void {
  const ok =
    Number.isInteger(c.d) &&
    c.d >= 1 &&
    c.d <= MBV3_SLOTS &&
    c.e.length === MBV3_SLOTS &&
    c.ks.length === MBV3_SLOTS &&
    [...c.e, ...c.ks].every((v) => Number.isInteger(v) && v > 0);
  if (!ok) throw new UserError(`${where}: expected {d in 1..4, e[4], ks[4]}, got ${JSON.stringify(c)}`);
}

function stageBlock(c: StageCandidate, candidate: number): Block {
  const active = (xs: readonly number[]) => xs.slice(0, c.d);
  return {
    id: stageBlockId(c),
    label: `depth ${c.d}, kernels ${active(c.ks).join('/')}, expansions ${active(c.e).join('/')}`,
    attrs: {
      candidate,
      d: c.d,
      ks: c.ks.join(','),
      e: c.e.join(','),
      // What the stage actually runs: the mean over its d active layers (the unused slots do not compute).
      meanKernel: active(c.ks).reduce((s, k) => s + k, 0) / c.d,
      meanExpand: active(c.e).reduce((s, e) => s + e, 0) / c.d,
    },
  };
}

/**
 * The MathNAS OFA-MobileNetV3 space (ofa_mbv3_d234_e346_k357_w1.2, 224 px): 5 stages, each filled by one of 5
 * candidate stage configurations; candidate 4 is the largest. The candidates come from the data (see
 * mathnas-tables.ts), because the two sets were profiled per device class.
 */
export function createMobilenetV3Space(
  set: MobilenetV3Set,
  candidates: readonly (readonly StageCandidate[])[],
): SearchSpace {
  if (candidates.length !== MBV3_STAGES) {
    throw new UserError(`mobilenetv3 (${set}): expected candidates for ${MBV3_STAGES} stages, got ${candidates.length}`);
  }
  const nodes: BlockNode[] = candidates.map((stage, i) => {
    stage.forEach((c, j) => checkCandidate(c, `mobilenetv3 (${set}) stage ${i + 1} candidate ${j}`));
    const blocks = stage.map(stageBlock);
    const ids = new Set(blocks.map((b) => b.id));
    if (ids.size !== blocks.length) throw new UserError(`mobilenetv3 (${set}) stage ${i + 1}: two candidates are identical`);
    return { id: `stage${i + 1}`, label: `stage ${i + 1}`, blocks };
  });
  return createSpace({ name: `mobilenetv3-${set}`, nodes });
}

/** The candidate configuration each stage of `g` uses. */
export function stageCandidates(space: SearchSpace, g: Genome): StageCandidate[] {
  return g.map((b, i) => {
    const a = space.nodes[i]!.blocks[b]!.attrs;
    const nums = (s: string | number | undefined) => String(s).split(',').map(Number);
    return { d: Number(a['d']), e: nums(a['e']), ks: nums(a['ks']) };
  });
}

/** The OFA config of `g` (utils.mobilenetv3_decode): per-stage depths, and e/ks slots concatenated in stage order. */
export function ofaConfig(space: SearchSpace, g: Genome): OfaConfig {
  const stages = stageCandidates(space, g);
  return { d: stages.map((s) => s.d), e: stages.flatMap((s) => [...s.e]), ks: stages.flatMap((s) => [...s.ks]) };
}

/**
 * The genome whose decoded config equals `config` slot for slot, or null when some stage matches no candidate of
 * this set. Matching the config itself, not a yml's `encodearch`, is what tells the CPU and GPU sets apart: the
 * same code [0,0,0,0,0] is MB1 in one set and MB2 in the other.
 */
export function genomeFromOfaConfig(space: SearchSpace, config: OfaConfig): Genome | null {
  if (config.d.length !== MBV3_STAGES || config.e.length !== MBV3_STAGES * MBV3_SLOTS) return null;
  if (config.ks.length !== MBV3_STAGES * MBV3_SLOTS) return null;
  const g: number[] = [];
  for (let i = 0; i < MBV3_STAGES; i++) {
    const want = stageBlockId({
      d: config.d[i]!,
      e: config.e.slice(i * MBV3_SLOTS, (i + 1) * MBV3_SLOTS),
      ks: config.ks.slice(i * MBV3_SLOTS, (i + 1) * MBV3_SLOTS),
    });
    const b = space.nodes[i]!.blocks.findIndex((blk) => blk.id === want);
    if (b < 0) return null;
    g.push(b);
  }
  return g;
}
