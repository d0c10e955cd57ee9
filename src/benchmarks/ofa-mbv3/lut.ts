import { UserError } from '../../errors.js';
import { readCsv } from '../../data/csv.js';
import { activeLayers, finalSize, stemSize, WIDTHS, type MbLayer, type OfaSubnet, type Widths } from './arch.js';

export const NOTE10_LUT_FILE = 'ofa_mbv3/ofa_note10_latency_lut.csv';
export const I7_LUT_FILE = 'ofa_mbv3/nsganetv2_i7-8700K_latency_lut.csv';

/*
 * Network latency from per-layer lookup tables: the sum of the measured mean latency of every layer the network
 * runs (stem, fixed first block, each MBConv with its shapes, final expand, pooling, feature mix, classifier). Both
 * tables are for the width-1.2 supernet. The layer keys follow each table's own code:
 * - Note10 (once-for-all tutorial/latency_table.py): one table per resolution; MBConvs are "expanded_conv" keyed by
 *   the middle channel count round(in x e) and carry the activation (hs) flag; average pooling has its own entry.
 * - i7-8700K (nsganetv2 utils.look_up_latency): one table; MBConvs are "MBConv" keyed by the expand ratio, no
 *   activation flag; no pooling entry.
 */
const W = WIDTHS['1.2'];
const shape = (...dims: number[]) => dims.join('x');

export interface LatencyLut {
  /** Device id used in the metric id (latency:<device>). */
  readonly device: string;
  readonly file: string;
  /** Latency (ms) of the network; UserError naming the first layer the table lacks. */
  latency(net: OfaSubnet): number;
  /** Lookup keys the network needs, in order. */
  keys(net: OfaSubnet): string[];
}

function note10Layer(l: MbLayer): string {
  const mid = Math.round(l.inChannels * l.expand);
  return (
    `expanded_conv-input:${shape(l.inSize, l.inSize, l.inChannels)}-output:${shape(l.outSize, l.outSize, l.outChannels)}` +
    `-expand:${mid}-kernel:${l.kernel}-stride:${l.stride}-idskip:${+l.idskip}-se:${+l.se}-hs:${+l.hswish}`
  );
}

/** Note10 keys, each prefixed with the resolution of its table ("192/Conv-input:..."). */
function note10Keys(net: OfaSubnet, w: Widths = W): string[] {
  const r = net.r;
  const f0 = stemSize(r);
  const fs = finalSize(r);
  const first: MbLayer = {
    stage: -1, slot: 0, inSize: f0, outSize: f0, inChannels: w.stem, outChannels: w.stem,
    expand: 1, kernel: 3, stride: 1, idskip: true, se: false, hswish: false,
  };
  const keys = [
    `Conv-input:${shape(r, r, 3)}-output:${shape(f0, f0, w.stem)}`,
    note10Layer(first),
    ...activeLayers(net, w).map(note10Layer),
    `Conv_1-input:${shape(fs, fs, w.stages[4]!)}-output:${shape(fs, fs, w.finalExpand)}`,
    `AvgPool2D-input:${shape(fs, fs, w.finalExpand)}-output:${shape(1, 1, w.finalExpand)}`,
    `Conv_2-input:${shape(1, 1, w.finalExpand)}-output:${shape(1, 1, w.featureMix)}`,
    `Logits-input:${shape(1, 1, w.featureMix)}-output:1000`,
  ];
  return keys.map((k) => `${r}/${k}`);
}

function i7Layer(l: MbLayer): string {
  return (
    `MBConv-input:${shape(l.inSize, l.inSize, l.inChannels)}-output:${shape(l.outSize, l.outSize, l.outChannels)}` +
    `-expand:${l.expand}-kernel:${l.kernel}-stride:${l.stride}-idskip:${+l.idskip}-se:${+l.se}`
  );
}

function i7Keys(net: OfaSubnet, w: Widths = W): string[] {
  const r = net.r;
  const f0 = stemSize(r);
  const fs = finalSize(r);
  return [
    `first_conv-input:${shape(r, r, 3)}-output:${shape(Math.floor(r / 2), Math.floor(r / 2), w.stem)}`,
    `MBConv-input:${shape(f0, f0, w.stem)}-output:${shape(f0, f0, w.stem)}-expand:1-kernel:3-stride:1-idskip:1-se:0`,
    ...activeLayers(net, w).map(i7Layer),
    `final_expand_layer-input:${shape(fs, fs, w.stages[4]!)}-output:${shape(fs, fs, w.finalExpand)}`,
    `feature_mix_layer-input:${shape(1, 1, w.finalExpand)}-output:${shape(1, 1, w.featureMix)}`,
    `classifier-input:${w.featureMix}-output:1000`,
  ];
}

function lut(device: string, file: string, table: ReadonlyMap<string, number>, keys: (net: OfaSubnet) => string[]): LatencyLut {
  return {
    device,
    file,
    keys,
    latency(net) {
      let ms = 0;
      for (const k of keys(net)) {
        const v = table.get(k);
        if (v === undefined) throw new UserError(`${file} has no entry ${k} (needed by a ${net.r} px network)`);
        ms += v;
      }
      return ms;
    },
  };
}

/** The Samsung Note10 LUT of the once-for-all tutorial (r = 160..224 step 4). */
export function loadNote10Lut(dataDir: string): LatencyLut {
  const csv = readCsv(dataDir, NOTE10_LUT_FILE, ['resolution', 'key', 'mean_ms']);
  const res = csv.numbers('resolution');
  const ms = csv.numbers('mean_ms');
  const table = new Map<string, number>();
  csv.column('key').forEach((k, i) => table.set(`${res[i]}/${k}`, ms[i]!));
  return lut('note10', NOTE10_LUT_FILE, table, (net) => note10Keys(net));
}

/** The NSGANetV2 LUT of an Intel i7-8700K CPU. */
export function loadI7Lut(dataDir: string): LatencyLut {
  const csv = readCsv(dataDir, I7_LUT_FILE, ['key', 'mean_ms']);
  const ms = csv.numbers('mean_ms');
  const table = new Map<string, number>();
  csv.column('key').forEach((k, i) => table.set(k, ms[i]!));
  return lut('i7-8700k', I7_LUT_FILE, table, (net) => i7Keys(net));
}
