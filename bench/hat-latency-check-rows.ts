import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { readCsv } from '../src/data/csv.js';
import { UserError } from '../src/errors.js';
import { HAT_LATENCY_CSV } from '../src/benchmarks/mathnas-hat-layer.js';

export const HAT_CONFIGS_JSON = 'hat/hat_configs.json';
/** HAT's name for the task of MathNAS's SuperTransformer tables (WMT'14 En-De). */
export const MATHNAS_TASK = 'wmt14ende';

/** One measured SubTransformer of HAT's latency dataset, with its averaged features turned back into sums. */
export interface HatLatencyRow {
  /** 0-based data row, so a figure can be traced to the file. */
  readonly index: number;
  readonly task: string;
  /** HAT's device name (cpu_raspberrypi, cpu_xeon, gpu_titanxp). */
  readonly device: string;
  readonly encoderEmbed: number;
  readonly decoderEmbed: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  /** Σ over the encoder layers of [ffn, self heads]. */
  readonly encoderSums: readonly number[];
  /** Σ over the present decoder layers of [ffn, self heads, en-de heads, arbitrary-attention feature]. */
  readonly decoderSums: readonly number[];
  readonly ms: { readonly network: number; readonly encoder: number; readonly decoder: number };
}

const COLUMNS = [
  'task',
  'device',
  'encoder_embed_dim',
  'encoder_layer_num',
  'encoder_ffn_embed_dim_avg',
  'encoder_self_attention_heads_avg',
  'decoder_embed_dim',
  'decoder_layer_num',
  'decoder_ffn_embed_dim_avg',
  'decoder_self_attention_heads_avg',
  'decoder_ende_attention_heads_avg',
  'decoder_arbitrary_ende_attn_avg',
  'latency_mean_encoder',
  'latency_mean_decoder',
  'latency_mean_total',
] as const;

/**
 * HAT's features are per-layer averages of integers (utils.get_config_features), so average × layer count is an
 * integer sum; anything else means the file is not HAT's.
 */
function layerSum(avg: number, layers: number, what: string, row: number): number {
  const s = avg * layers;
  const r = Math.round(s);
  if (!(Math.abs(s - r) < 1e-6 * Math.max(1, Math.abs(s)))) {
    throw new UserError(`data file ${HAT_LATENCY_CSV}, row ${row + 2}: ${what} ${avg} × ${layers} layers is not a whole sum`);
  }
  return r;
}

export function readHatLatencyRows(dataDir: string): HatLatencyRow[] {
  const csv = readCsv(dataDir, HAT_LATENCY_CSV, COLUMNS);
  const text = Object.fromEntries(['task', 'device'].map((c) => [c, csv.column(c)])) as Record<'task' | 'device', string[]>;
  const num = Object.fromEntries(COLUMNS.slice(2).map((c) => [c, csv.numbers(c)])) as Record<(typeof COLUMNS)[number], Float64Array>;
  return csv.rows.map((_, i) => {
    const v = (c: (typeof COLUMNS)[number]) => num[c][i]!;
    const enc = v('encoder_layer_num');
    const dec = v('decoder_layer_num');
    return {
      index: i,
      task: text.task[i]!,
      device: text.device[i]!,
      encoderEmbed: v('encoder_embed_dim'),
      decoderEmbed: v('decoder_embed_dim'),
      encoderLayers: enc,
      decoderLayers: dec,
      encoderSums: [
        layerSum(v('encoder_ffn_embed_dim_avg'), enc, 'encoder ffn', i),
        layerSum(v('encoder_self_attention_heads_avg'), enc, 'encoder heads', i),
      ],
      decoderSums: [
        layerSum(v('decoder_ffn_embed_dim_avg'), dec, 'decoder ffn', i),
        layerSum(v('decoder_self_attention_heads_avg'), dec, 'decoder self heads', i),
        layerSum(v('decoder_ende_attention_heads_avg'), dec, 'decoder en-de heads', i),
        layerSum(v('decoder_arbitrary_ende_attn_avg'), dec, 'decoder arbitrary attention', i),
      ],
      ms: { network: v('latency_mean_total'), encoder: v('latency_mean_encoder'), decoder: v('latency_mean_decoder') },
    };
  });
}

/** HAT's latency feature for arbitrary en-de attention -1, 1, 2 (utils.get_config_features maps them to 1, 2, 3). */
export function arbitraryFeature(attn: number): number {
  const f = [-1, 1, 2].indexOf(attn) + 1;
  if (f === 0) throw new UserError(`HAT arbitrary en-de attention ${attn}: expected -1, 1 or 2`);
  return f;
}

const choices = z.array(z.number()).min(1);
const measurementSchema = z.object({
  'lat-dataset-path': z.string(),
  arch: z.string(),
  'encoder-ffn-embed-dim-choice': choices,
  'encoder-self-attention-heads-choice': choices,
  'decoder-ffn-embed-dim-choice': choices,
  'decoder-self-attention-heads-choice': choices,
  'decoder-ende-attention-heads-choice': choices,
  'decoder-arbitrary-ende-attn-choice': choices,
});
const configsSchema = z.object({ latency_dataset_measurement_configs: z.record(z.string(), measurementSchema) });

/** How HAT sampled the SubTransformers of one (task, device) file: the per-layer options and the timing protocol. */
export interface HatMeasurement {
  readonly arch: string;
  /** Per-layer options of [ffn, heads] (encoder) and [ffn, self, en-de, arbitrary feature] (decoder), feature by feature. */
  readonly encoderChoices: readonly (readonly number[])[];
  readonly decoderChoices: readonly (readonly number[])[];
}

/** The measurement configs of HAT's latency datasets, keyed `${task}_${device}` as their CSV files are named. */
export function readHatMeasurements(dataDir: string): Map<string, HatMeasurement> {
  const file = join(dataDir, HAT_CONFIGS_JSON);
  if (!existsSync(file)) throw new UserError(`missing data file ${HAT_CONFIGS_JSON} in ${dataDir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UserError(`data file ${HAT_CONFIGS_JSON} is not valid JSON`);
  }
  const parsed = configsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`data file ${HAT_CONFIGS_JSON}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const out = new Map<string, HatMeasurement>();
  for (const c of Object.values(parsed.data.latency_dataset_measurement_configs)) {
    out.set(basename(c['lat-dataset-path'], '.csv'), {
      arch: c.arch,
      encoderChoices: [c['encoder-ffn-embed-dim-choice'], c['encoder-self-attention-heads-choice']],
      decoderChoices: [
        c['decoder-ffn-embed-dim-choice'],
        c['decoder-self-attention-heads-choice'],
        c['decoder-ende-attention-heads-choice'],
        c['decoder-arbitrary-ende-attn-choice'].map(arbitraryFeature),
      ],
    });
  }
  return out;
}

/**
 * HAT times WMT models over 30 source tokens and 30 decoding steps and IWSLT models over 23
 * (utils.measure_latency picks by whether the arch names iwslt), so only WMT rows time the layers MathNAS timed.
 */
export const sameProtocolAsMathnas = (m: HatMeasurement) => m.arch.includes('wmt') && !m.arch.includes('iwslt');
