import { UserError } from '../errors.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import {
  createSuperTransformerSpace,
  DECODER_LAYERS,
  DECODER_OPTIONS,
  ENCODER_LAYERS,
  ENCODER_OPTIONS,
} from '../spaces/supertransformer/space.js';
import type { SearchSpace } from '../space/types.js';
import { dataConstant, dataConstants, publishedTable, readMathnasTables, type MathnasTables } from './mathnas-data.js';
import { HAT_DEVICE, hatDecoderLayerShare, type SuperTransformerDevice } from './mathnas-hat-layer.js';

export const ST_DATASET = 'wmt14-en-de';
export const ST_DEVICES = Object.keys(HAT_DEVICE) as SuperTransformerDevice[];

/** The released tables' layout: 6 × 6 encoder values, then 6 × 36 decoder values (then, for BLEU, 5 stops). */
function split(values: readonly number[]): { enc: number[][]; dec: number[][]; rest: number[] } {
  const encEnd = ENCODER_LAYERS * ENCODER_OPTIONS;
  const decEnd = encEnd + DECODER_LAYERS * DECODER_OPTIONS;
  const rows = (from: number, n: number, w: number) => Array.from({ length: n }, (_, i) => values.slice(from + i * w, from + (i + 1) * w));
  return { enc: rows(0, ENCODER_LAYERS, ENCODER_OPTIONS), dec: rows(encEnd, DECODER_LAYERS, DECODER_OPTIONS), rest: values.slice(decEnd) };
}

const LARGEST_ENC = ENCODER_OPTIONS - 1;
const LARGEST_DEC = DECODER_OPTIONS - 1;

/**
 * Each table value is the whole SuperTransformer's score (or latency) with one layer set to one option, the rest
 * at the largest. As dataprocess.py does, a block's effect is measured against the same row's largest option, so
 * each row's own measurement of the largest net cancels. `absent` gives the value of the absent block per decoder
 * layer 2-6 (index 1-5).
 */
function layerValues(enc: number[][], dec: number[][], absent: (k: number) => number): number[][] {
  return [
    ...enc.map((row) => row.map((v) => v - row[LARGEST_ENC]!)),
    ...dec.map((row, k) => {
      const own = row.map((v) => v - row[LARGEST_DEC]!);
      return k === 0 ? own : [...own, absent(k)];
    }),
  ];
}

/**
 * BLEU. blockacc[252 + d − 1] is the score of the SuperTransformer whose decoder stops after d layers (d = 1..5).
 * MathNAS scores the stop as a drop against row d's largest option (dataprocess: decodeLoss1[d, 35] − stop_d) and
 * gives the layers after it nothing. With absent layers always a suffix (the depth rules), the absent block of
 * layer j gets t(j) − t(j+1), t(j) = stop_j − dec[j][35], t(6) = 0: a depth-d decoder sums to exactly t(d).
 */
function bleuMetric(tables: MathnasTables): MetricTable {
  const { enc, dec, rest: stops } = split(tables.tables['data/supertransformer/blockacc.pt'].values);
  // The stops are also hard-coded in dataprocess.py; the data lists them under that key, so a mismatch is caught.
  dataConstants(tables, stops.map((v) => v.toFixed(2)).join(' '));
  if (stops.length !== DECODER_LAYERS - 1) throw new UserError(`supertransformer blockacc: expected ${DECODER_LAYERS - 1} stop scores`);
  const t = (j: number) => (j >= DECODER_LAYERS ? 0 : stops[j - 1]! - dec[j]![LARGEST_DEC]!);
  return {
    metric: `accuracy:${ST_DATASET}`,
    intercept: dataConstant(tables, '26.61'),
    values: layerValues(enc, dec, (j) => t(j) - t(j + 1)),
  };
}

/**
 * Latency (ms). The intercept is the mean of the 12 rows' measurements of the largest net (they drift by up to
 * 7 % on the Raspberry Pi), and an absent decoder layer saves HAT's fitted share of that (mathnas-hat-layer.ts).
 * The released code instead reads the BLEU stop scores as latencies; see docs/mathnas.md.
 */
function latencyMetric(dataDir: string, tables: MathnasTables, device: SuperTransformerDevice): MetricTable {
  const key = `data/supertransformer/blocklat_${device}.pt` as const;
  const { enc, dec, rest } = split(tables.tables[key].values);
  if (rest.length !== 0) throw new UserError(`supertransformer ${key}: expected no entries after the decoder rows`);
  const largest = [...enc.map((r) => r[LARGEST_ENC]!), ...dec.map((r) => r[LARGEST_DEC]!)];
  const full = largest.reduce((s, v) => s + v, 0) / largest.length;
  const saving = hatDecoderLayerShare(dataDir, device).share * full;
  return { metric: `latency:${device}`, intercept: full, values: layerValues(enc, dec, () => -saving) };
}

/** The MathNAS SuperTransformer table: BLEU and the latency of one device, or of all three when none is named. */
export function superTransformerTable(dataDir: string, device?: string): { space: SearchSpace; table: BlockTable } {
  if (device !== undefined && !(ST_DEVICES as string[]).includes(device)) {
    throw new UserError(`supertransformer: unknown device "${device}" (one of ${ST_DEVICES.join(', ')})`);
  }
  const tables = readMathnasTables(dataDir);
  const space = createSuperTransformerSpace();
  const devices = device ? [device as SuperTransformerDevice] : ST_DEVICES;
  const base = space.nodes.map((_, i) => (i < ENCODER_LAYERS ? LARGEST_ENC : LARGEST_DEC));
  return {
    space,
    table: publishedTable(space.name, ST_DATASET, device, base, [bleuMetric(tables), ...devices.map((d) => latencyMetric(dataDir, tables, d))], [
        'MathNAS released SuperTransformer tables; BLEU on the valid scale of MathNAS (largest net 26.61)',
        'decoder depth: absent blocks on decoder layers 2-6 with suffix rules; stop scores telescoped over the absent blocks',
        'latency of an absent decoder layer: share of the largest net fitted on HAT\'s measured latency dataset',
      ]),
  };
}
