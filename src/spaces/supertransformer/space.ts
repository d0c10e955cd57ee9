import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, BlockNode, CouplingRule, Genome, SearchSpace } from '../../space/types.js';

/*
 * The HAT SuperTransformer space for WMT'14 En-De as MathNAS encodes it (utils.supertransformer_code): embeddings
 * fixed at 512, 6 encoder layers, 1-6 decoder layers. Option codes follow MathNAS so its tables index directly.
 */
export const ENCODER_LAYERS = 6;
export const DECODER_LAYERS = 6;
const FFN = [1024, 2048, 3072] as const;
const HEADS = [4, 8] as const;
/** HAT's arbitrary encoder-decoder attention: -1 attends to the last encoder layer, k to the last k+1. */
const ARBITRARY = [-1, 1, 2] as const;
export const ENCODER_OPTIONS = FFN.length * HEADS.length;
export const DECODER_OPTIONS = ARBITRARY.length * HEADS.length * HEADS.length * FFN.length;
/** Block index of "layer absent" on decoder layers 2-6; layer 1 always exists. */
export const ABSENT = DECODER_OPTIONS;

export interface EncoderLayer {
  readonly ffn: number;
  readonly heads: number;
}
export interface DecoderLayer {
  readonly ffn: number;
  readonly selfHeads: number;
  readonly endeHeads: number;
  readonly arbitraryEndeAttn: number;
}

/** Encoder option o = ffn_idx * 2 + heads_idx. */
export function encoderLayer(o: number): EncoderLayer {
  return { ffn: FFN[Math.floor(o / 2)]!, heads: HEADS[o % 2]! };
}

/** Decoder option o = w * 12 + p * 6 + n * 3 + m (w arbitrary attn, p en-de heads, n self heads, m ffn). */
export function decoderLayer(o: number): DecoderLayer {
  return {
    arbitraryEndeAttn: ARBITRARY[Math.floor(o / 12)]!,
    endeHeads: HEADS[Math.floor((o % 12) / 6)]!,
    selfHeads: HEADS[Math.floor((o % 6) / 3)]!,
    ffn: FFN[o % 3]!,
  };
}

export function encoderOption(l: EncoderLayer): number {
  const f = FFN.indexOf(l.ffn as (typeof FFN)[number]);
  const h = HEADS.indexOf(l.heads as (typeof HEADS)[number]);
  return f < 0 || h < 0 ? -1 : f * 2 + h;
}

export function decoderOption(l: DecoderLayer): number {
  const w = ARBITRARY.indexOf(l.arbitraryEndeAttn as (typeof ARBITRARY)[number]);
  const p = HEADS.indexOf(l.endeHeads as (typeof HEADS)[number]);
  const n = HEADS.indexOf(l.selfHeads as (typeof HEADS)[number]);
  const m = FFN.indexOf(l.ffn as (typeof FFN)[number]);
  return [w, p, n, m].some((x) => x < 0) ? -1 : w * 12 + p * 6 + n * 3 + m;
}

const encoderId = (l: EncoderLayer) => `f${l.ffn}h${l.heads}`;
const decoderId = (l: DecoderLayer) => `f${l.ffn}s${l.selfHeads}e${l.endeHeads}a${l.arbitraryEndeAttn}`;
const ABSENT_ID = '-';

function encoderBlock(o: number): Block {
  const l = encoderLayer(o);
  return { id: encoderId(l), label: `ffn ${l.ffn}, ${l.heads} heads`, attrs: { present: 1, ffn: l.ffn, heads: l.heads } };
}

function decoderBlock(o: number): Block {
  const l = decoderLayer(o);
  return {
    id: decoderId(l),
    label: `ffn ${l.ffn}, self ${l.selfHeads} heads, en-de ${l.endeHeads} heads, arbitrary attn ${l.arbitraryEndeAttn}`,
    attrs: { present: 1, ffn: l.ffn, selfHeads: l.selfHeads, endeHeads: l.endeHeads, arbitraryEndeAttn: l.arbitraryEndeAttn },
  };
}

const ABSENT_BLOCK: Block = { id: ABSENT_ID, label: 'absent (decoder ends before this layer)', attrs: { present: 0 } };

/** Node index of decoder layer k (0-based). */
export const decoderNode = (k: number) => ENCODER_LAYERS + k;

/**
 * "Layer k absent ⇒ layer k+1 absent" for decoder layers 2..5, as [k+1 absent] − [k absent] >= 0, so the absent
 * layers are always a suffix and the decoder depth is the index of the first absent layer.
 */
function depthRules(): CouplingRule[] {
  const rules: CouplingRule[] = [];
  for (let k = 1; k < DECODER_LAYERS - 1; k++) {
    rules.push({
      name: `decoder layer ${k + 1} absent => layer ${k + 2} absent`,
      terms: [
        { node: decoderNode(k + 1), block: ABSENT, coef: 1 },
        { node: decoderNode(k), block: ABSENT, coef: -1 },
      ],
      op: '>=',
      rhs: 0,
    });
  }
  return rules;
}

/** Number of decoder layers of a genome that obeys the depth rules. */
export function decoderDepth(g: Genome): number {
  let d = 0;
  while (d < DECODER_LAYERS && g[decoderNode(d)] !== ABSENT) d++;
  return d;
}

/**
 * Canonical form: the 6 encoder layers, '|', then the decoder layers; trailing absent layers are left out, so
 * "f3072h4,…|f1024s8e8a-1" is a one-layer decoder. An absent layer before a present one (which the rules forbid)
 * is written '-' so every genome still round-trips.
 */
function format(nodes: readonly BlockNode[], g: Genome): string {
  const ids = g.map((b, i) => nodes[i]!.blocks[b]!.id);
  const dec = ids.slice(ENCODER_LAYERS);
  while (dec.length > 1 && dec[dec.length - 1] === ABSENT_ID) dec.pop();
  return `${ids.slice(0, ENCODER_LAYERS).join(',')}|${dec.join(',')}`;
}

function parse(nodes: readonly BlockNode[], text: string): Genome {
  const halves = text.trim().split('|');
  const enc = halves[0]?.split(',') ?? [];
  const dec = halves[1]?.split(',') ?? [];
  if (halves.length !== 2 || enc.length !== ENCODER_LAYERS || dec.length < 1 || dec.length > DECODER_LAYERS) {
    throw new UserError(`architecture "${text}": expected 6 encoder layers, '|', then 1-6 decoder layers, comma-separated`);
  }
  const ids = [...enc, ...dec, ...new Array<string>(DECODER_LAYERS - dec.length).fill(ABSENT_ID)];
  return ids.map((id, i) => {
    const b = nodes[i]!.blocks.findIndex((blk) => blk.id === id);
    if (b < 0) throw new UserError(`architecture "${text}": ${nodes[i]!.label} has no option "${id}"`);
    return b;
  });
}

export function createSuperTransformerSpace(): SearchSpace {
  const enc = Array.from({ length: ENCODER_OPTIONS }, (_, o) => encoderBlock(o));
  const dec = Array.from({ length: DECODER_OPTIONS }, (_, o) => decoderBlock(o));
  const nodes: BlockNode[] = [
    ...Array.from({ length: ENCODER_LAYERS }, (_, i) => ({ id: `enc${i + 1}`, label: `encoder layer ${i + 1}`, blocks: enc })),
    ...Array.from({ length: DECODER_LAYERS }, (_, k) => ({
      id: `dec${k + 1}`,
      label: `decoder layer ${k + 1}`,
      blocks: k === 0 ? dec : [...dec, ABSENT_BLOCK],
    })),
  ];
  return createSpace({
    name: 'supertransformer-wmt14ende',
    nodes,
    rules: depthRules(),
    format: (g) => format(nodes, g),
    parse: (text) => parse(nodes, text),
  });
}
