import { UserError } from '../../errors.js';
import type { Genome } from '../../space/types.js';
import {
  ABSENT,
  decoderDepth,
  decoderLayer,
  decoderNode,
  decoderOption,
  DECODER_LAYERS,
  encoderLayer,
  encoderOption,
  ENCODER_LAYERS,
} from './space.js';

/** A HAT SubTransformer config, as in HAT's and MathNAS's yml files (the fields this space varies). */
export interface HatConfig {
  readonly 'encoder-embed-dim-subtransformer': number;
  readonly 'decoder-embed-dim-subtransformer': number;
  readonly 'encoder-layer-num-subtransformer': number;
  readonly 'decoder-layer-num-subtransformer': number;
  readonly 'encoder-ffn-embed-dim-all-subtransformer': readonly number[];
  readonly 'encoder-self-attention-heads-all-subtransformer': readonly number[];
  readonly 'decoder-ffn-embed-dim-all-subtransformer': readonly number[];
  readonly 'decoder-self-attention-heads-all-subtransformer': readonly number[];
  readonly 'decoder-ende-attention-heads-all-subtransformer': readonly number[];
  readonly 'decoder-arbitrary-ende-attn-all-subtransformer': readonly number[];
}

/** MathNAS's SuperTransformer keeps both embeddings at this width (utils.supertransformer_decode). */
const EMBED = 512;

/** The genome of a HAT config (utils.supertransformer_code); throws UserError when it lies outside this space. */
export function genomeFromHatConfig(c: HatConfig): Genome {
  const depth = c['decoder-layer-num-subtransformer'];
  if (c['encoder-embed-dim-subtransformer'] !== EMBED || c['decoder-embed-dim-subtransformer'] !== EMBED) {
    throw new UserError(`SuperTransformer config: embeddings must be ${EMBED} in the MathNAS space`);
  }
  if (c['encoder-layer-num-subtransformer'] !== ENCODER_LAYERS || !(depth >= 1 && depth <= DECODER_LAYERS)) {
    throw new UserError(`SuperTransformer config: expected ${ENCODER_LAYERS} encoder and 1-${DECODER_LAYERS} decoder layers`);
  }
  const g: number[] = [];
  for (let i = 0; i < ENCODER_LAYERS; i++) {
    const o = encoderOption({
      ffn: c['encoder-ffn-embed-dim-all-subtransformer'][i]!,
      heads: c['encoder-self-attention-heads-all-subtransformer'][i]!,
    });
    if (o < 0) throw new UserError(`SuperTransformer config: encoder layer ${i + 1} is outside the space`);
    g.push(o);
  }
  for (let k = 0; k < DECODER_LAYERS; k++) {
    if (k >= depth) {
      g.push(ABSENT);
      continue;
    }
    const o = decoderOption({
      ffn: c['decoder-ffn-embed-dim-all-subtransformer'][k]!,
      selfHeads: c['decoder-self-attention-heads-all-subtransformer'][k]!,
      endeHeads: c['decoder-ende-attention-heads-all-subtransformer'][k]!,
      arbitraryEndeAttn: c['decoder-arbitrary-ende-attn-all-subtransformer'][k]!,
    });
    if (o < 0) throw new UserError(`SuperTransformer config: decoder layer ${k + 1} is outside the space`);
    g.push(o);
  }
  return g;
}

/** The HAT config of a genome that obeys the depth rules (utils.supertransformer_decode). */
export function hatConfigFromGenome(g: Genome): HatConfig {
  const enc = g.slice(0, ENCODER_LAYERS).map(encoderLayer);
  const dec = Array.from({ length: decoderDepth(g) }, (_, k) => decoderLayer(g[decoderNode(k)]!));
  return {
    'encoder-embed-dim-subtransformer': EMBED,
    'decoder-embed-dim-subtransformer': EMBED,
    'encoder-layer-num-subtransformer': ENCODER_LAYERS,
    'decoder-layer-num-subtransformer': dec.length,
    'encoder-ffn-embed-dim-all-subtransformer': enc.map((l) => l.ffn),
    'encoder-self-attention-heads-all-subtransformer': enc.map((l) => l.heads),
    'decoder-ffn-embed-dim-all-subtransformer': dec.map((l) => l.ffn),
    'decoder-self-attention-heads-all-subtransformer': dec.map((l) => l.selfHeads),
    'decoder-ende-attention-heads-all-subtransformer': dec.map((l) => l.endeHeads),
    'decoder-arbitrary-ende-attn-all-subtransformer': dec.map((l) => l.arbitraryEndeAttn),
  };
}
