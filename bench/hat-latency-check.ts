import { UserError } from '../src/errors.js';
import type { MetricTable } from '../src/core/block-table.js';
import { hatConfigFromGenome } from '../src/spaces/supertransformer/hat-config.js';
import { ABSENT, decoderNode, DECODER_LAYERS, ENCODER_LAYERS, ENCODER_OPTIONS } from '../src/spaces/supertransformer/space.js';
import type { SearchSpace } from '../src/space/types.js';
import { kendallTau } from '../src/stats/kendall.js';
import { spearman } from '../src/stats/rank.js';
import { median } from '../src/stats/summary.js';
import { addBands, shiftBand, sumCounts, sumKey, sumProfile, sumProfiles, type Band, type LayerOption } from './hat-latency-check-dp.js';
import {
  arbitraryFeature,
  MATHNAS_TASK,
  readHatLatencyRows,
  readHatMeasurements,
  sameProtocolAsMathnas,
  type HatLatencyRow,
  type HatMeasurement,
} from './hat-latency-check-rows.js';
import { readMathnasTables } from '../src/benchmarks/mathnas-data.js';
import { HAT_DEVICE, type SuperTransformerDevice } from '../src/benchmarks/mathnas-hat-layer.js';
import { ST_DEVICES } from '../src/benchmarks/mathnas-supertransformer.js';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';

/** What is compared: HAT's total latency, or its separately timed encoder or decoder. */
export type HatPart = 'network' | 'encoder' | 'decoder';
export const HAT_PARTS: readonly HatPart[] = ['network', 'encoder', 'decoder'];

/** The block-predicted latency of a device as bands over HAT's feature sums (see bandsFromTable). */
export interface LatencyBands {
  readonly intercept: number;
  readonly encoder: ReadonlyMap<string, Band>;
  /** decoder[d − 1]: the first d layers' contributions with layers d+1..6 absent. */
  readonly decoder: readonly ReadonlyMap<string, Band>[];
  /** MathNAS's per-layer option values of each feature, for the in-space probability. */
  readonly encoderChoices: readonly (readonly number[])[];
  readonly decoderChoices: readonly (readonly number[])[];
}

const encoderFeatures = (a: Record<string, string | number>) => [Number(a.ffn), Number(a.heads)];
const decoderFeatures = (a: Record<string, string | number>) => [
  Number(a.ffn),
  Number(a.selfHeads),
  Number(a.endeHeads),
  arbitraryFeature(Number(a.arbitraryEndeAttn)),
];
const distinct = (rows: number[][], j: number) => [...new Set(rows.map((f) => f[j]!))].sort((a, b) => a - b);

/**
 * The latency tables predict intercept + Σ_nodes value, so every configuration with the same HAT feature sums is
 * covered exactly by one DP per part: the encoder over its 6 layers, and the decoder layer by layer, whose prefix of
 * d layers (plus the absent blocks of the rest) is a depth-d decoder.
 */
export function bandsFromTable(space: SearchSpace, t: MetricTable): LatencyBands {
  if (t.pairs?.length || t.scale || t.graph || t.link) throw new Error(`${t.metric}: the band DP needs a purely additive table`);
  const options = (node: number, features: (a: Record<string, string | number>) => number[]): LayerOption[] =>
    space.nodes[node]!.blocks.flatMap((b, o) => (b.attrs.present === 0 ? [] : [{ features: features(b.attrs), value: t.values[node]![o]! }]));
  const enc = Array.from({ length: ENCODER_LAYERS }, (_, i) => options(i, encoderFeatures));
  const dec = Array.from({ length: DECODER_LAYERS }, (_, k) => options(decoderNode(k), decoderFeatures));
  const absentFrom = (d: number) => Array.from({ length: DECODER_LAYERS - d }, (_, j) => t.values[decoderNode(d + j)]![ABSENT]!).reduce((s, v) => s + v, 0);
  const decoder = sumProfiles(dec).map((profile, i) => {
    const absent = absentFrom(i + 1);
    return new Map([...profile].map(([k, b]) => [k, shiftBand(b, absent)]));
  });
  const encF = enc[0]!.map((o) => [...o.features]);
  const decF = dec[0]!.map((o) => [...o.features]);
  return {
    intercept: t.intercept,
    encoder: sumProfile(enc),
    decoder,
    encoderChoices: encF[0]!.map((_, j) => distinct(encF, j)),
    decoderChoices: decF[0]!.map((_, j) => distinct(decF, j)),
  };
}

/** The band of a row's part, or undefined when no configuration in MathNAS's options has the row's averages. */
export function rowBand(bands: LatencyBands, row: HatLatencyRow, part: HatPart): Band | undefined {
  const enc = bands.encoder.get(sumKey(row.encoderSums));
  const dec = bands.decoder[row.decoderLayers - 1]?.get(sumKey(row.decoderSums));
  if (part === 'encoder') return enc;
  if (part === 'decoder') return dec;
  return enc && dec ? shiftBand(addBands(enc, dec), bands.intercept) : undefined;
}

const countCache = new Map<string, Map<number, number>>();
function sequencesWithSum(options: readonly number[], n: number, sum: number): number {
  const key = `${options.join(' ')}/${n}`;
  let c = countCache.get(key);
  if (!c) countCache.set(key, (c = sumCounts(options, n)));
  return c.get(sum) ?? 0;
}

/**
 * HAT drew every feature of every layer uniformly and independently (utils.sample_configs) from a wider set than
 * MathNAS's (ffn 512, 2 heads), so given a row's sums the chance its configuration used MathNAS's options only
 * is Π_features (sequences over MathNAS's options with that sum) / (sequences over HAT's).
 */
export function inSpaceProbability(bands: LatencyBands, hat: HatMeasurement, row: HatLatencyRow, part: HatPart): number {
  const p = (mine: readonly (readonly number[])[], theirs: readonly (readonly number[])[], sums: readonly number[], n: number) =>
    sums.reduce((acc, s, j) => acc * (sequencesWithSum(mine[j]!, n, s) / sequencesWithSum(theirs[j]!, n, s)), 1);
  const enc = p(bands.encoderChoices, hat.encoderChoices, row.encoderSums, row.encoderLayers);
  const dec = p(bands.decoderChoices, hat.decoderChoices, row.decoderSums, row.decoderLayers);
  return part === 'encoder' ? enc : part === 'decoder' ? dec : enc * dec;
}

export type Exclusion = 'device' | 'protocol' | 'embedding' | 'encoder depth' | 'options';
export const EXCLUSIONS: readonly Exclusion[] = ['device', 'protocol', 'embedding', 'encoder depth', 'options'];

export interface Funnel {
  readonly total: number;
  readonly excluded: Readonly<Record<Exclusion, number>>;
  /** Compared rows, by task. */
  readonly compared: Readonly<Record<string, number>>;
}

export interface ComparedRow {
  readonly row: HatLatencyRow;
  readonly band: Band;
  readonly measured: number;
  readonly pInSpace: number;
}

/** What the check reads once: HAT's rows and measurement configs, and each device's bands and network shape. */
export interface HatCheckData {
  readonly rows: readonly HatLatencyRow[];
  readonly measurements: ReadonlyMap<string, HatMeasurement>;
  readonly devices: ReadonlyMap<SuperTransformerDevice, { bands: LatencyBands; embed: number; encoderLayers: number }>;
}

export function loadHatCheck(dataDir: string): HatCheckData {
  const devices = new Map(
    ST_DEVICES.map((device) => {
      const { space, table } = mathnasTable(dataDir, 'supertransformer', device);
      const bands = bandsFromTable(space, table.metrics.find((m) => m.metric === `latency:${device}`)!);
      const cfg = hatConfigFromGenome(table.base);
      return [device, { bands, embed: cfg['encoder-embed-dim-subtransformer'], encoderLayers: cfg['encoder-layer-num-subtransformer'] }] as const;
    }),
  );
  return { rows: readHatLatencyRows(dataDir), measurements: readHatMeasurements(dataDir), devices };
}

/** The rows of HAT's dataset comparable with MathNAS's tables for one part, and why the others are not. */
export function selectRows(data: HatCheckData, part: HatPart): { funnel: Funnel; byDevice: Map<SuperTransformerDevice, ComparedRow[]> } {
  const excluded = Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;
  const compared: Record<string, number> = {};
  const byDevice = new Map<SuperTransformerDevice, ComparedRow[]>();
  for (const row of data.rows) {
    const device = ST_DEVICES.find((d) => HAT_DEVICE[d] === row.device);
    if (!device) {
      excluded.device++;
      continue;
    }
    const hat = data.measurements.get(`${row.task}_${row.device}`);
    if (!hat) throw new UserError(`hat_configs.json has no latency-dataset config for ${row.task} on ${row.device}`);
    if (!sameProtocolAsMathnas(hat)) {
      excluded.protocol++;
      continue;
    }
    const { bands, embed, encoderLayers } = data.devices.get(device)!;
    // HAT times the encoder alone, so its embedding is all the encoder part needs; the decoder attends to it.
    if (row.encoderEmbed !== embed || (part !== 'encoder' && row.decoderEmbed !== embed)) {
      excluded.embedding++;
      continue;
    }
    if (row.encoderLayers !== encoderLayers) {
      excluded['encoder depth']++;
      continue;
    }
    const band = rowBand(bands, row, part);
    if (!band) {
      excluded.options++;
      continue;
    }
    compared[row.task] = (compared[row.task] ?? 0) + 1;
    const list = byDevice.get(device) ?? [];
    list.push({ row, band, measured: row.ms[part], pInSpace: inSpaceProbability(bands, hat, row, part) });
    byDevice.set(device, list);
  }
  return { funnel: { total: data.rows.length, excluded, compared }, byDevice };
}

export interface HatCheckResult {
  readonly device: SuperTransformerDevice;
  readonly task: string;
  readonly part: HatPart;
  readonly rows: number;
  readonly spearman: number;
  readonly kendall: number;
  /** Pair-weighted mean of Kendall's tau within each decoder depth: what the depth term cannot explain. */
  readonly kendallWithinDepth: number;
  /**
   * Spearman of the decoder depth alone against the measurement: the baseline the blocks must beat, since the
   * saving of an absent layer was itself fitted on these measurements (mathnas-hat-layer.ts).
   */
  readonly spearmanDepthOnly: number;
  /** Fraction of rows whose measured rank, read off the sorted band means, falls inside the row's [min, max]. */
  readonly inBandRank: number;
  /** Σ over the rows of the chance their configuration used MathNAS's options only (the rest share its averages). */
  readonly expectedInSpace: number;
  /** Whole network only, where the prediction is an absolute latency (ms on MathNAS's scale). */
  readonly absolute?: {
    /** s minimising Σ ((s·mean − measured) / measured)², fitted on these rows. */
    readonly scale: number;
    readonly scaledMape: number;
    readonly medianAbsPct: number;
    readonly rawMape: number;
    /** Fraction of rows with measured within [s·min, s·max]. */
    readonly inBandScaled: number;
    /** Mean of (max − min) / mean, in %. */
    readonly bandWidthPct: number;
  };
}

function kendallWithinDepth(items: readonly ComparedRow[]): number {
  let pairs = 0;
  let weighted = 0;
  for (let d = 1; d <= DECODER_LAYERS; d++) {
    const at = items.filter((c) => c.row.decoderLayers === d);
    const tau = kendallTau(at.map((c) => c.band.mean), at.map((c) => c.measured));
    const n = (at.length * (at.length - 1)) / 2;
    if (!Number.isNaN(tau)) {
      pairs += n;
      weighted += n * tau;
    }
  }
  return pairs === 0 ? NaN : weighted / pairs;
}

export function compareRows(items: readonly ComparedRow[], part: HatPart): Omit<HatCheckResult, 'device' | 'task' | 'part'> {
  const means = items.map((c) => c.band.mean);
  const measured = items.map((c) => c.measured);
  const sortedMeans = [...means].sort((a, b) => a - b);
  const byMeasured = items.map((_, i) => i).sort((a, b) => measured[a]! - measured[b]!);
  let inRank = 0;
  byMeasured.forEach((i, rank) => {
    const q = sortedMeans[rank]!;
    if (q >= items[i]!.band.min && q <= items[i]!.band.max) inRank++;
  });
  const base = {
    rows: items.length,
    spearman: spearman(means, measured),
    kendall: kendallTau(means, measured),
    kendallWithinDepth: part === 'encoder' ? NaN : kendallWithinDepth(items),
    spearmanDepthOnly: part === 'encoder' ? NaN : spearman(items.map((c) => c.row.decoderLayers), measured),
    inBandRank: items.length ? inRank / items.length : NaN,
    expectedInSpace: items.reduce((s, c) => s + c.pInSpace, 0),
  };
  if (part !== 'network' || items.length === 0) return base;
  const r = items.map((c) => c.band.mean / c.measured);
  const scale = r.reduce((s, v) => s + v, 0) / r.reduce((s, v) => s + v * v, 0);
  const pct = (p: number, m: number) => (100 * Math.abs(p - m)) / m;
  const scaledErr = items.map((c) => pct(scale * c.band.mean, c.measured));
  return {
    ...base,
    absolute: {
      scale,
      scaledMape: scaledErr.reduce((s, v) => s + v, 0) / items.length,
      medianAbsPct: median(scaledErr),
      rawMape: items.reduce((s, c) => s + pct(c.band.mean, c.measured), 0) / items.length,
      inBandScaled: items.filter((c) => c.measured >= scale * c.band.min && c.measured <= scale * c.band.max).length / items.length,
      bandWidthPct: items.reduce((s, c) => s + (100 * (c.band.max - c.band.min)) / c.band.mean, 0) / items.length,
    },
  };
}

/** Every part, device and task: MathNAS's own task first, then the WMT tasks that share its layer shapes. */
export function hatLatencyCheck(dataDir: string, data = loadHatCheck(dataDir)): { funnels: Record<HatPart, Funnel>; results: HatCheckResult[] } {
  const funnels = {} as Record<HatPart, Funnel>;
  const results: HatCheckResult[] = [];
  for (const part of HAT_PARTS) {
    const { funnel, byDevice } = selectRows(data, part);
    funnels[part] = funnel;
    for (const device of ST_DEVICES) {
      const items = byDevice.get(device) ?? [];
      const tasks = [...new Set(items.map((c) => c.row.task))].sort((a, b) => Number(b === MATHNAS_TASK) - Number(a === MATHNAS_TASK) || a.localeCompare(b));
      for (const task of tasks) results.push({ device, task, part, ...compareRows(items.filter((c) => c.row.task === task), part) });
    }
  }
  return { funnels, results };
}

/**
 * Spearman of the released encoder latencies (whole-network ms, 6 layers × 6 options) against their position in
 * the table. Near ±1 means the encoder values follow the order of the table, not the options: one encoder
 * option moves the whole network by less than the measurements drifted while the table was recorded.
 */
export function encoderTablePositionSpearman(dataDir: string, device: SuperTransformerDevice): number {
  const values = readMathnasTables(dataDir).tables[`data/supertransformer/blocklat_${device}.pt`].values.slice(0, ENCODER_LAYERS * ENCODER_OPTIONS);
  return spearman(values, values.map((_, i) => i));
}
