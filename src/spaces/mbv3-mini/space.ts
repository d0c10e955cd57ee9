import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, BlockNode, CouplingRule, Genome, SearchSpace } from '../../space/types.js';
import { DEPTHS, EXPANDS, KERNELS, MBV3_MINI_MACRO, type Mbv3Config, type Mbv3StageArch } from '../../tfjs/mbv3/config.js';

/*
 * mbv3-mini: the MobileNetV3-style network of src/tfjs/mbv3 on 28x28 inputs, 3 stages, as 12 block nodes and 55
 * blocks (m·n small enough for MathNAS-style block estimation):
 *   s{i}-ke     kernel x expansion of every block of stage i: k3e3 ... k7e6 (9)
 *   s{i}-depth  d2, d3, d4 (3)
 *   s{i}-par    OFAv2 parallel branch: par-off, par-k3, par-k5, par-k7 (4); rules keep its kernel unlike s{i}-ke's
 *   s{i}-dense  OFAv2 dense skip into stage i (stages 2 and 3; stage 1 has no earlier output): dense-off, dense-on
 *   exit        OFAv2 early exit: exit-none, exit-s1, exit-s2 (a head after stage 1 or 2; the final head is always there)
 * Depth and kernel x expansion are separate nodes, so a stage costs depth x (cost of one k/e block): the nodes
 * interact in FLOPs and params. A joint (k, e, d) node would be exactly additive but 27 blocks per stage (81 with
 * the OFAv2 nodes over 100); the exact cost of any genome comes from the analytic evaluator anyway.
 */

export const MBV3_MINI_STAGES = 3;
const KE_BLOCKS: Block[] = KERNELS.flatMap((k) =>
  EXPANDS.map((e) => ({ id: `k${k}e${e}`, label: `kernel ${k}, expansion ${e}`, attrs: { kernel: k, expand: e } })),
);
const DEPTH_BLOCKS: Block[] = DEPTHS.map((d) => ({ id: `d${d}`, label: `${d} blocks`, attrs: { depth: d } }));
const PAR_BLOCKS: Block[] = [
  { id: 'par-off', label: 'one branch', attrs: { parallelKernel: 0 } },
  ...KERNELS.map((k) => ({ id: `par-k${k}`, label: `parallel branch, kernel ${k}`, attrs: { parallelKernel: k } })),
];
const DENSE_BLOCKS: Block[] = [
  { id: 'dense-off', label: 'no dense skip', attrs: { dense: 0 } },
  { id: 'dense-on', label: 'dense skip from every earlier output', attrs: { dense: 1 } },
];
const EXIT_BLOCKS: Block[] = [
  { id: 'exit-none', label: 'final head only', attrs: { exitAfter: 0 } },
  { id: 'exit-s1', label: 'early exit after stage 1', attrs: { exitAfter: 1 } },
  { id: 'exit-s2', label: 'early exit after stage 2', attrs: { exitAfter: 2 } },
];

/** Node positions of stage i (0-based). */
export function stageNodes(i: number): { ke: number; depth: number; par: number; dense: number | null } {
  const base = [0, 3, 7][i];
  if (base === undefined) throw new Error(`mbv3-mini has no stage ${i}`);
  return { ke: base, depth: base + 1, par: base + 2, dense: i === 0 ? null : base + 3 };
}
export const EXIT_NODE = 11;

function nodes(): BlockNode[] {
  const out: BlockNode[] = [];
  for (let i = 0; i < MBV3_MINI_STAGES; i++) {
    const s = `s${i + 1}`;
    out.push({ id: `${s}-ke`, label: `stage ${i + 1} kernel x expansion`, blocks: KE_BLOCKS });
    out.push({ id: `${s}-depth`, label: `stage ${i + 1} depth`, blocks: DEPTH_BLOCKS });
    out.push({ id: `${s}-par`, label: `stage ${i + 1} parallel branch`, blocks: PAR_BLOCKS });
    if (i > 0) out.push({ id: `${s}-dense`, label: `stage ${i + 1} dense skip`, blocks: DENSE_BLOCKS });
  }
  out.push({ id: 'exit', label: 'early exit', blocks: EXIT_BLOCKS });
  return out;
}

/** "The parallel branch's kernel differs from the stage's": Σ_e [ke = k,e] + [par = k] <= 1 for every stage and k. */
function parallelRules(): CouplingRule[] {
  return Array.from({ length: MBV3_MINI_STAGES }, (_, i) =>
    KERNELS.map((k, ki): CouplingRule => {
      const n = stageNodes(i);
      return {
        name: `stage ${i + 1}: parallel kernel ${k} only beside another kernel`,
        terms: [...EXPANDS.map((_, ei) => ({ node: n.ke, block: ki * EXPANDS.length + ei, coef: 1 })), { node: n.par, block: ki + 1, coef: 1 }],
        op: '<=',
        rhs: 1,
      };
    }),
  ).flat();
}

/** The builder config of a genome. */
export function mbv3MiniConfig(g: Genome): Mbv3Config {
  if (g.length !== EXIT_NODE + 1) throw new UserError(`mbv3-mini: expected ${EXIT_NODE + 1} genes, got ${g.length}`);
  const exitAfter = Number(EXIT_BLOCKS[g[EXIT_NODE]!]?.attrs['exitAfter']);
  const stages = Array.from({ length: MBV3_MINI_STAGES }, (_, i): Mbv3StageArch => {
    const n = stageNodes(i);
    const ke = KE_BLOCKS[g[n.ke]!];
    const depth = DEPTH_BLOCKS[g[n.depth]!];
    const par = PAR_BLOCKS[g[n.par]!];
    const dense = n.dense === null ? DENSE_BLOCKS[0] : DENSE_BLOCKS[g[n.dense]!];
    if (!ke || !depth || !par || !dense || Number.isNaN(exitAfter)) throw new UserError(`mbv3-mini: gene out of range in [${g.join(', ')}]`);
    const pk = Number(par.attrs['parallelKernel']);
    return {
      depth: Number(depth.attrs['depth']),
      kernel: Number(ke.attrs['kernel']),
      expand: Number(ke.attrs['expand']),
      parallelKernel: pk === 0 ? null : pk,
      dense: dense.attrs['dense'] === 1,
      exit: exitAfter === i + 1,
    };
  });
  return { macro: MBV3_MINI_MACRO, stages };
}

/** Canonical form, e.g. "k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1": per stage k/e/depth, parallel kernel, dense. */
export function formatMbv3Mini(g: Genome): string {
  const c = mbv3MiniConfig(g);
  const stages = c.stages.map((s) => `k${s.kernel}e${s.expand}d${s.depth}${s.parallelKernel === null ? '' : `-p${s.parallelKernel}`}${s.dense ? '-dense' : ''}`);
  return [...stages, EXIT_BLOCKS[g[EXIT_NODE]!]!.id].join('|');
}

const STAGE_RE = /^k(\d)e(\d)d(\d)(?:-p(\d))?(-dense)?$/;

export function parseMbv3Mini(text: string): Genome {
  const bad = (why: string): never => {
    throw new UserError(`architecture "${text}": ${why} (expected e.g. k5e4d3|k3e6d2-p5-dense|k7e4d4-dense|exit-s1)`);
  };
  const parts = text.trim().split('|');
  if (parts.length !== MBV3_MINI_STAGES + 1) bad(`expected ${MBV3_MINI_STAGES} stages and an exit separated by '|'`);
  const g = new Array<number>(EXIT_NODE + 1).fill(0);
  parts.slice(0, MBV3_MINI_STAGES).forEach((part, i) => {
    const m = STAGE_RE.exec(part);
    if (!m) return bad(`stage ${i + 1} "${part}" is not k<kernel>e<expansion>d<depth>[-p<kernel>][-dense]`);
    const n = stageNodes(i);
    const index = (blocks: Block[], id: string, what: string) => {
      const b = blocks.findIndex((x) => x.id === id);
      return b >= 0 ? b : bad(`stage ${i + 1}: ${what} "${id}" is not one of ${blocks.map((x) => x.id).join(', ')}`);
    };
    g[n.ke] = index(KE_BLOCKS, `k${m[1]}e${m[2]}`, 'kernel x expansion');
    g[n.depth] = index(DEPTH_BLOCKS, `d${m[3]}`, 'depth');
    g[n.par] = index(PAR_BLOCKS, m[4] === undefined ? 'par-off' : `par-k${m[4]}`, 'parallel branch');
    if (m[5] !== undefined && n.dense === null) bad('stage 1 cannot have a dense skip (no earlier stage output)');
    if (n.dense !== null) g[n.dense] = m[5] === undefined ? 0 : 1;
  });
  const exit = EXIT_BLOCKS.findIndex((b) => b.id === parts[MBV3_MINI_STAGES]);
  if (exit < 0) bad(`exit "${parts[MBV3_MINI_STAGES]}" is not one of ${EXIT_BLOCKS.map((b) => b.id).join(', ')}`);
  g[EXIT_NODE] = exit;
  return g;
}

/** A mid-sized network timed beside every latency batch, so machine speed phases divide out (src/eval/latency-reference.ts). */
export const MBV3_MINI_LATENCY_REFERENCE: Genome = parseMbv3Mini('k5e4d3|k5e4d3|k5e4d3|exit-none');

export function createMbv3MiniSpace(): SearchSpace {
  return createSpace({ name: 'mbv3-mini', nodes: nodes(), rules: parallelRules(), format: formatMbv3Mini, parse: parseMbv3Mini });
}
