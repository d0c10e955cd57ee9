import { UserError } from '../errors.js';
import { readCsv } from '../data/csv.js';
import { choleskySolve } from '../predict/ridge.js';

export const HAT_LATENCY_CSV = 'hat/hat_latency_dataset.csv';

/** MathNAS device names and the HAT latency-dataset device each was measured on (HAT README). */
export const HAT_DEVICE = { raspberrypi: 'cpu_raspberrypi', xeon: 'cpu_xeon', titanxp: 'gpu_titanxp' } as const;
export type SuperTransformerDevice = keyof typeof HAT_DEVICE;

export interface DecoderLayerShare {
  /** Latency of one decoder layer at the largest options as a fraction of the largest SubTransformer's latency. */
  readonly share: number;
  /** The fitted latency (ms) of that layer and of the largest SubTransformer, on HAT's measured scale. */
  readonly layerMs: number;
  readonly fullMs: number;
  /** Measured SubTransformers the fit used, and its R². */
  readonly rows: number;
  readonly r2: number;
}

const COLUMNS = [
  'task',
  'device',
  'encoder_embed_dim',
  'decoder_embed_dim',
  'encoder_ffn_embed_dim_avg',
  'encoder_self_attention_heads_avg',
  'decoder_layer_num',
  'decoder_ffn_embed_dim_avg',
  'decoder_self_attention_heads_avg',
  'decoder_ende_attention_heads_avg',
  'decoder_arbitrary_ende_attn_avg',
  'latency_mean_total',
] as const;

/** Width of the embeddings in MathNAS's SuperTransformer, and HAT's feature value for arbitrary attention 2. */
const EMBED = '512';
const ARBITRARY_LAST3_FEATURE = 3;

/**
 * MathNAS's latency tables only vary one layer's options and never remove a decoder layer, so they say nothing
 * about what a shorter decoder saves. HAT measured random SubTransformers with 1-6 decoder layers on the same
 * devices, so the saving is fitted there: total = a + b·enc-ffn + c·enc-heads + Σ_layers (d + e·ffn + f·self +
 * g·ende + h·arb), which is linear in HAT's features because HAT averages over layers (layer-num × average = sum).
 * Only the *share* of the largest net is used, since HAT's measured scale differs from MathNAS's tables.
 */
export function hatDecoderLayerShare(dataDir: string, device: SuperTransformerDevice): DecoderLayerShare {
  const key = `${device}@${dataDir}`;
  let fit = fits.get(key);
  if (!fit) {
    fit = fitDecoderLayer(dataDir, device);
    fits.set(key, fit);
  }
  return fit;
}

const fits = new Map<string, DecoderLayerShare>();

function fitDecoderLayer(dataDir: string, device: SuperTransformerDevice): DecoderLayerShare {
  const csv = readCsv(dataDir, HAT_LATENCY_CSV, COLUMNS);
  const col = Object.fromEntries(COLUMNS.map((c) => [c, csv.column(c)])) as Record<(typeof COLUMNS)[number], string[]>;
  const num = (c: (typeof COLUMNS)[number], i: number) => Number(col[c][i]);
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < csv.rows.length; i++) {
    if (col.task[i] !== 'wmt14ende' || col.device[i] !== HAT_DEVICE[device]) continue;
    if (col.encoder_embed_dim[i] !== EMBED || col.decoder_embed_dim[i] !== EMBED) continue;
    const layers = num('decoder_layer_num', i);
    xs.push([
      1,
      num('encoder_ffn_embed_dim_avg', i),
      num('encoder_self_attention_heads_avg', i),
      layers,
      layers * num('decoder_ffn_embed_dim_avg', i),
      layers * num('decoder_self_attention_heads_avg', i),
      layers * num('decoder_ende_attention_heads_avg', i),
      layers * num('decoder_arbitrary_ende_attn_avg', i),
    ]);
    ys.push(num('latency_mean_total', i));
  }
  const p = 8;
  if (xs.length < 10 * p) throw new UserError(`${HAT_LATENCY_CSV}: only ${xs.length} WMT'14 En-De rows for ${device}`);
  // Columns span 1 to 2e4; scaling each to a largest magnitude of 1 keeps the normal equations well conditioned.
  const scale = Array.from({ length: p }, (_, j) => Math.max(...xs.map((x) => Math.abs(x[j]!))) || 1);
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  xs.forEach((x, r) => {
    for (let i = 0; i < p; i++) {
      const xi = x[i]! / scale[i]!;
      b[i]! += xi * ys[r]!;
      for (let j = 0; j < p; j++) a[i * p + j]! += xi * (x[j]! / scale[j]!);
    }
  });
  const w = Array.from(choleskySolve(a, b, p), (v, j) => v / scale[j]!);
  const dot = (x: readonly number[]) => x.reduce((s, v, j) => s + v * w[j]!, 0);
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sse = xs.reduce((s, x, r) => s + (ys[r]! - dot(x)) ** 2, 0);
  const sst = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  const L = 6;
  const [ffn, heads] = [3072, 8];
  const layerMs = dot([0, 0, 0, 1, ffn, heads, heads, ARBITRARY_LAST3_FEATURE]);
  const fullMs = dot([1, ffn, heads, L, L * ffn, L * heads, L * heads, L * ARBITRARY_LAST3_FEATURE]);
  return { share: layerMs / fullMs, layerMs, fullMs, rows: xs.length, r2: 1 - sse / sst };
}
