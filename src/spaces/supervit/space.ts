import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, BlockNode, CouplingRule, Genome, SearchSpace } from '../../space/types.js';
import { decodeChoice, SUPERVIT_GROUPS, SUPERVIT_RESOLUTIONS } from './choices.js';

/*
 * MathNAS's SuperViT model is additive *per resolution*: acc(r) = A_r[0] + Σ_g (A_r[g, c_g] − A_r[g, 0]). The value
 * of a group choice depends on the resolution, which is a product of two choices and not additive. It is made
 * linear exactly by lifting: node 0 picks the resolution, and group node g picks a (resolution, choice) pair, with
 * the rules Σ_c [g = (r, c)] = [node 0 = r] for every g and r. Every metric is then a plain sum of block values,
 * so FLOPs can be a limit of the integer program (limits take no pair terms), and the LP relaxation is as tight as
 * the usual linearisation of resolution × choice products, whose marginal constraints these rules are.
 */
export const RESOLUTION_NODE = 0;
export const groupNode = (g: number) => g + 1;

/** Block index, on group node g, of choice c at resolution index r. */
export function liftedBlock(g: number, r: number, c: number): number {
  return r * SUPERVIT_GROUPS[g]! + c;
}

/** Resolution index and choice of block b on group node g. */
export function unliftBlock(g: number, b: number): { r: number; c: number } {
  const n = SUPERVIT_GROUPS[g]!;
  return { r: Math.floor(b / n), c: b % n };
}

function groupBlocks(g: number): Block[] {
  return SUPERVIT_RESOLUTIONS.flatMap((res) =>
    Array.from({ length: SUPERVIT_GROUPS[g]! }, (_, c) => {
      const ch = decodeChoice(g, c);
      const s = ch.stage;
      return {
        id: `${c}@${res}`,
        label: `choice ${c}: width ${ch.width}${s ? `, depth ${s.depth}, kernel ${s.kernel}, expand ${s.expand}` : ''} (at ${res} px)`,
        attrs: { resolution: res, choice: c, width: ch.width, ...(s ? { depth: s.depth, kernel: s.kernel, expand: s.expand } : {}) },
      };
    }),
  );
}

function liftRules(): CouplingRule[] {
  return SUPERVIT_GROUPS.flatMap((n, g) =>
    SUPERVIT_RESOLUTIONS.map((res, r) => ({
      name: `group ${g} is chosen at the network's resolution (${res})`,
      terms: [
        ...Array.from({ length: n }, (_, c) => ({ node: groupNode(g), block: liftedBlock(g, r, c), coef: 1 })),
        { node: RESOLUTION_NODE, block: r, coef: -1 },
      ],
      op: '=' as const,
      rhs: 0,
    })),
  );
}

/** The genome of a resolution (in px) and one choice per group. */
export function supervitGenome(resolution: number, code: readonly number[]): number[] {
  const r = SUPERVIT_RESOLUTIONS.indexOf(resolution as (typeof SUPERVIT_RESOLUTIONS)[number]);
  if (r < 0) throw new UserError(`SuperViT: resolution ${resolution} is not one of ${SUPERVIT_RESOLUTIONS.join(', ')}`);
  if (code.length !== SUPERVIT_GROUPS.length) throw new UserError(`SuperViT: expected ${SUPERVIT_GROUPS.length} choices`);
  code.forEach((c, g) => decodeChoice(g, c));
  return [r, ...code.map((c, g) => liftedBlock(g, r, c))];
}

/** Resolution (px) and per-group choices of a genome; the group's own resolution is ignored (the rules tie them). */
export function supervitChoices(g: Genome): { resolution: number; code: number[] } {
  return {
    resolution: SUPERVIT_RESOLUTIONS[g[RESOLUTION_NODE]!]!,
    code: SUPERVIT_GROUPS.map((_, k) => unliftBlock(k, g[groupNode(k)]!).c),
  };
}

/**
 * Canonical form "r224|0,1,0,15,1,3,12,0,0": the resolution, then MathNAS's choice code per group. A group chosen
 * at another resolution than node 0's (which the rules forbid) is written "c@res" so every genome round-trips.
 */
function format(g: Genome): string {
  const res = SUPERVIT_RESOLUTIONS[g[RESOLUTION_NODE]!]!;
  const parts = SUPERVIT_GROUPS.map((_, k) => {
    const { r, c } = unliftBlock(k, g[groupNode(k)]!);
    return r === g[RESOLUTION_NODE] ? `${c}` : `${c}@${SUPERVIT_RESOLUTIONS[r]}`;
  });
  return `r${res}|${parts.join(',')}`;
}

const FORM = /^r(\d+)\|((?:\d+(?:@\d+)?,){8}\d+(?:@\d+)?)$/;

function parse(text: string): Genome {
  const m = FORM.exec(text.trim());
  if (!m) throw new UserError(`architecture "${text}": expected "r<resolution>|c0,c1,…,c8" (9 choice codes)`);
  const res = Number(m[1]);
  const parts = m[2]!.split(',').map((p) => p.split('@').map(Number));
  const g = supervitGenome(res, parts.map((p) => p[0]!));
  parts.forEach((p, k) => {
    if (p[1] === undefined) return;
    const r = SUPERVIT_RESOLUTIONS.indexOf(p[1] as (typeof SUPERVIT_RESOLUTIONS)[number]);
    if (r < 0) throw new UserError(`architecture "${text}": unknown resolution ${p[1]}`);
    g[groupNode(k)] = liftedBlock(k, r, p[0]!);
  });
  return g;
}

export function createSupervitSpace(): SearchSpace {
  const nodes: BlockNode[] = [
    {
      id: 'resolution',
      label: 'input resolution',
      blocks: SUPERVIT_RESOLUTIONS.map((res) => ({ id: `r${res}`, label: `${res} px`, attrs: { resolution: res } })),
    },
    ...SUPERVIT_GROUPS.map((_, g) => ({ id: `group${g}`, label: `choice group ${g}`, blocks: groupBlocks(g) })),
  ];
  return createSpace({ name: 'supervit', nodes, rules: liftRules(), format, parse });
}
