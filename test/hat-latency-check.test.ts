import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sumCounts, sumProfile, sumProfiles, type LayerOption } from '../bench/hat-latency-check-dp.js';
import { compareRows, hatLatencyCheck, loadHatCheck, selectRows, type HatCheckData } from '../bench/hat-latency-check.js';
import { mathnasTable } from '../src/benchmarks/mathnas-tables.js';
import { predictMetric } from '../src/predict/predict.js';
import { createRng } from '../src/random.js';
import {
  ABSENT,
  decoderLayer,
  DECODER_LAYERS,
  DECODER_OPTIONS,
  encoderLayer,
  ENCODER_LAYERS,
  ENCODER_OPTIONS,
} from '../src/spaces/supertransformer/space.js';
import { assertClose } from './helpers/assert.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const FILES = ['mathnas/mathnas_tables.json', 'hat/hat_latency_dataset.csv', 'hat/hat_configs.json'];

test('band DP: a 2-layer case by hand', () => {
  // Layer 1: feature 1 → 10, feature 2 → 20. Layer 2: feature 1 → 1, feature 2 → 5.
  // Sum 3 is reached by (1, 2) = 15 and (2, 1) = 21.
  const layers: LayerOption[][] = [
    [{ features: [1], value: 10 }, { features: [2], value: 20 }],
    [{ features: [1], value: 1 }, { features: [2], value: 5 }],
  ];
  const p = sumProfile(layers);
  assert.deepEqual(p.get('3'), { count: 2, min: 15, max: 21, mean: 18 });
  assert.deepEqual(p.get('2'), { count: 1, min: 11, max: 11, mean: 11 });
  assert.deepEqual(p.get('4'), { count: 1, min: 25, max: 25, mean: 25 });
  assert.equal(p.size, 3, 'sums 2, 3, 4 only');
});

test('band DP equals enumeration on 3 layers with 2 features, prefix by prefix', () => {
  const rng = createRng(3);
  const layers: LayerOption[][] = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, (_, o) => ({ features: [1 + (o % 2), 1 + Math.floor(o / 2)], value: rng.int(100) })),
  );
  const profiles = sumProfiles(layers);
  for (let n = 1; n <= layers.length; n++) {
    const brute = new Map<string, number[]>();
    for (let code = 0; code < 4 ** n; code++) {
      const choice = Array.from({ length: n }, (_, l) => Math.floor(code / 4 ** l) % 4);
      const opts = choice.map((o, l) => layers[l]![o]!);
      const key = [0, 1].map((j) => opts.reduce((s, o) => s + o.features[j]!, 0)).join(',');
      brute.set(key, [...(brute.get(key) ?? []), opts.reduce((s, o) => s + o.value, 0)]);
    }
    assert.equal(profiles[n - 1]!.size, brute.size, `${n} layers: same sum tuples`);
    for (const [key, vals] of brute) {
      const b = profiles[n - 1]!.get(key)!;
      assert.equal(b.count, vals.length, `${n} layers, sums ${key}: count`);
      assert.equal(b.min, Math.min(...vals), `${n} layers, sums ${key}: min`);
      assert.equal(b.max, Math.max(...vals), `${n} layers, sums ${key}: max`);
      assertClose(b.mean, vals.reduce((s, v) => s + v, 0) / vals.length, 1e-9, `${n} layers, sums ${key}: mean`);
    }
  }
  assert.deepEqual([...sumCounts([1, 2], 3)].sort((a, b) => a[0] - b[0]), [[3, 1], [4, 3], [5, 3], [6, 1]]);
});

let data: HatCheckData | undefined;
const loaded = () => (data ??= loadHatCheck(DATA_DIR));

const ARBITRARY_FEATURE: Record<number, number> = { [-1]: 1, 1: 2, 2: 3 };
const encSums = (os: readonly number[]) => {
  const ls = os.map(encoderLayer);
  return [ls.reduce((s, l) => s + l.ffn, 0), ls.reduce((s, l) => s + l.heads, 0)].join(',');
};
const decSums = (os: readonly number[]) => {
  const ls = os.map(decoderLayer);
  const f = (g: (l: ReturnType<typeof decoderLayer>) => number) => ls.reduce((s, l) => s + g(l), 0);
  return [f((l) => l.ffn), f((l) => l.selfHeads), f((l) => l.endeHeads), f((l) => ARBITRARY_FEATURE[l.arbitraryEndeAttn]!)].join(',');
};
/** Every configuration of n layers with o options, as option lists. */
const allConfigs = (n: number, o: number) =>
  Array.from({ length: o ** n }, (_, code) => Array.from({ length: n }, (_, l) => Math.floor(code / o ** l) % o));

test('HAT rows: exact bands equal enumeration of the genomes through predictMetric', { skip: needsData(...FILES) }, () => {
  const { space, table } = mathnasTable(DATA_DIR, 'supertransformer', 'raspberrypi');
  const metric = table.metrics.find((m) => m.metric === 'latency:raspberrypi')!;
  const encoders = allConfigs(ENCODER_LAYERS, ENCODER_OPTIONS);
  const network = selectRows(loaded(), 'network').byDevice.get('raspberrypi')!;
  const encoderPart = selectRows(loaded(), 'encoder').byDevice.get('raspberrypi')!;
  // The first row of each decoder depth 1-3 whose consistent genomes are few enough to enumerate.
  const picks = [1, 2, 3].flatMap((d) => network.find((c) => c.row.decoderLayers === d && c.band.count <= 20_000) ?? []);
  assert.equal(picks.length, 3, 'a real row of each depth 1-3 to enumerate');
  for (const c of picks) {
    const d = c.row.decoderLayers;
    const encOk = encoders.filter((e) => encSums(e) === c.row.encoderSums.join(','));
    const decOk = allConfigs(d, DECODER_OPTIONS).filter((x) => decSums(x) === c.row.decoderSums.join(','));
    const vals = encOk.flatMap((e) =>
      decOk.map((x) => predictMetric(metric, space, [...e, ...x, ...new Array<number>(DECODER_LAYERS - d).fill(ABSENT)])),
    );
    assert.equal(c.band.count, vals.length, `row ${c.row.index}: configurations`);
    assertClose(c.band.min, Math.min(...vals), 1e-6, `row ${c.row.index}: min`);
    assertClose(c.band.max, Math.max(...vals), 1e-6, `row ${c.row.index}: max`);
    assertClose(c.band.mean, vals.reduce((s, v) => s + v, 0) / vals.length, 1e-6, `row ${c.row.index}: mean`);
  }
  // The encoder part is the prediction minus that of the largest encoder, every decoder layer held at the base.
  const base = predictMetric(metric, space, table.base);
  for (const c of encoderPart.slice(0, 3)) {
    const vals = encoders
      .filter((e) => encSums(e) === c.row.encoderSums.join(','))
      .map((e) => predictMetric(metric, space, [...e, ...table.base.slice(ENCODER_LAYERS)]) - base);
    assert.equal(c.band.count, vals.length, `encoder row ${c.row.index}: configurations`);
    assertClose(c.band.min, Math.min(...vals), 1e-6, `encoder row ${c.row.index}: min`);
    assertClose(c.band.max, Math.max(...vals), 1e-6, `encoder row ${c.row.index}: max`);
    assertClose(c.band.mean, vals.reduce((s, v) => s + v, 0) / vals.length, 1e-6, `encoder row ${c.row.index}: mean`);
  }
});

test('HAT rows: the filter keeps exactly the WMT rows of MathNAS shape whose sums MathNAS options reach', { skip: needsData(...FILES) }, () => {
  const { rows } = loaded();
  assert.equal(rows.length, 16000, 'HAT latency dataset: 8 files × 2,000 rows');
  // Achievable sums by enumeration, independent of the DP.
  const encReach = new Set(allConfigs(ENCODER_LAYERS, ENCODER_OPTIONS).map(encSums));
  const decReach = [1, 2, 3].map((d) => new Set(allConfigs(d, DECODER_OPTIONS).map(decSums)));
  const shaped = rows.filter((r) => !r.task.startsWith('iwslt') && r.encoderEmbed === 512 && r.decoderEmbed === 512 && r.encoderLayers === 6);
  const { funnel } = selectRows(loaded(), 'network');
  assert.equal(funnel.excluded.protocol, rows.filter((r) => r.task.startsWith('iwslt')).length, 'IWSLT rows (23-token protocol)');
  assert.equal(funnel.total - funnel.excluded.protocol - funnel.excluded.embedding - funnel.excluded['encoder depth'], shaped.length, 'MathNAS-shaped WMT rows');
  const encOk = shaped.filter((r) => encReach.has(r.encoderSums.join(',')));
  // Depth ≤ 3 is enumerable: the kept rows of those depths must be exactly the enumerated ones.
  const shallow = encOk.filter((r) => r.decoderLayers <= 3 && decReach[r.decoderLayers - 1]!.has(r.decoderSums.join(',')));
  const kept = selectRows(loaded(), 'network').byDevice;
  const keptShallow = [...kept.values()].flat().filter((c) => c.row.decoderLayers <= 3);
  assert.deepEqual(keptShallow.map((c) => c.row.index).sort((a, b) => a - b), shallow.map((r) => r.index).sort((a, b) => a - b), 'depth ≤ 3 rows kept');
  const compared = Object.values(funnel.compared).reduce((s, v) => s + v, 0);
  assert.equal(compared + funnel.excluded.options, shaped.length, 'every shaped row is compared or excluded for its options');
  assert.ok(compared < shaped.length / 10, `few rows are comparable: ${compared} of ${shaped.length}`);
  for (const c of [...kept.values()].flat()) {
    assert.ok(c.band.min <= c.band.mean + 1e-9 && c.band.mean <= c.band.max + 1e-9, `row ${c.row.index}: min <= mean <= max`);
    assert.ok(c.pInSpace > 0 && c.pInSpace <= 1, `row ${c.row.index}: in-space probability ${c.pInSpace}`);
  }
});

test('HAT rows: statistics on hand-made rows', () => {
  const row = (depth: number) => ({ row: { decoderLayers: depth } as never, pInSpace: 1 });
  // Means 1, 2, 3 against measured 2, 4, 6: perfect ranks, scale 2 exactly, raw error 50 %.
  const items = [1, 2, 3].map((m, i) => ({ ...row(1 + i), band: { count: 2, min: m - 0.5, max: m + 0.5, mean: m }, measured: 2 * m }));
  const s = compareRows(items, 'network');
  assert.equal(s.spearman, 1);
  assertClose(s.absolute!.scale, 2, 1e-12, 'scale');
  assertClose(s.absolute!.scaledMape, 0, 1e-12, 'scaled MAPE');
  assertClose(s.absolute!.rawMape, 50, 1e-12, 'raw MAPE');
  assert.equal(s.inBandRank, 1, 'every measured rank lands in its band');
  assertClose(s.absolute!.bandWidthPct, (100 * (1 / 1 + 1 / 2 + 1 / 3)) / 3, 1e-9, 'band width');
  assert.ok(Number.isNaN(s.kendallWithinDepth), 'one row per depth: no within-depth pairs');
});

test('HAT measured latency: decoder blocks rank HAT decoders; encoder blocks do not', { skip: needsData(...FILES) }, () => {
  const { results, funnels } = hatLatencyCheck(DATA_DIR, loaded());
  const get = (part: string, device: string) => results.find((r) => r.part === part && r.device === device && r.task === 'wmt14ende')!;
  assert.ok(funnels.network.compared.wmt14ende! >= 20, `wmt14ende rows compared: ${funnels.network.compared.wmt14ende}`);
  // Thresholds: measured values (docs/mathnas.md) minus a margin.
  for (const [device, min] of [['raspberrypi', 0.9], ['xeon', 0.85], ['titanxp', 0.88]] as const) {
    const r = get('decoder', device);
    assert.ok(r.spearman >= min, `${device} decoder Spearman ${r.spearman.toFixed(3)} < ${min} over ${r.rows} rows`);
  }
  for (const device of ['raspberrypi', 'titanxp']) {
    const r = get('network', device);
    assert.ok(r.spearman >= 0.85, `${device} network Spearman ${r.spearman.toFixed(3)} over ${r.rows} rows`);
  }
  assert.ok(get('decoder', 'raspberrypi').kendallWithinDepth >= 0.5, 'Raspberry Pi decoder blocks rank within a depth');
  for (const device of ['raspberrypi', 'xeon', 'titanxp']) {
    const r = get('encoder', device);
    assert.ok(r.spearman < 0.1, `${device} encoder Spearman ${r.spearman.toFixed(3)} over ${r.rows} rows`);
  }
});
