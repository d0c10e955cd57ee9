/** One option of one layer: its features (HAT's per-layer quantities) and its additive contribution. */
export interface LayerOption {
  readonly features: readonly number[];
  readonly value: number;
}

/** The spread of an additive prediction over every configuration that shares one tuple of feature sums. */
export interface Band {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Mean over the configurations, each counted once. */
  readonly mean: number;
}

export const sumKey = (sums: readonly number[]) => sums.join(',');

interface Acc {
  sums: number[];
  count: number;
  min: number;
  max: number;
  /** Σ over configurations of their value; divided by count at the end, so the mean is exact up to rounding. */
  total: number;
}

/**
 * Exact min, max and mean of Σ_layers value over all per-layer choices, grouped by the sums of their features:
 * entry l − 1 covers the first l layers. The prediction is additive over layers and the features are summed, so a
 * layer-by-layer DP whose state is the running feature sums visits each (layer, sums, option) once instead of each
 * of the Π n_l configurations.
 */
export function sumProfiles(layers: readonly (readonly LayerOption[])[]): Map<string, Band>[] {
  const width = layers[0]?.[0]?.features.length ?? 0;
  const zero = new Array<number>(width).fill(0);
  let states = new Map<string, Acc>([[sumKey(zero), { sums: zero, count: 1, min: 0, max: 0, total: 0 }]]);
  const out: Map<string, Band>[] = [];
  for (const options of layers) {
    const next = new Map<string, Acc>();
    for (const s of states.values()) {
      for (const o of options) {
        if (o.features.length !== width) throw new Error('sumProfiles: every option needs the same number of features');
        const sums = s.sums.map((v, j) => v + o.features[j]!);
        const key = sumKey(sums);
        const t = next.get(key);
        if (!t) {
          next.set(key, { sums, count: s.count, min: s.min + o.value, max: s.max + o.value, total: s.total + s.count * o.value });
        } else {
          t.count += s.count;
          t.min = Math.min(t.min, s.min + o.value);
          t.max = Math.max(t.max, s.max + o.value);
          t.total += s.total + s.count * o.value;
        }
      }
    }
    states = next;
    out.push(new Map([...states].map(([k, a]) => [k, { count: a.count, min: a.min, max: a.max, mean: a.total / a.count }])));
  }
  return out;
}

/** The bands over all of `layers` (the last of sumProfiles). */
export function sumProfile(layers: readonly (readonly LayerOption[])[]): Map<string, Band> {
  return sumProfiles(layers).at(-1) ?? new Map([['', { count: 1, min: 0, max: 0, mean: 0 }]]);
}

/** Independent parts (encoder, decoder) combine by adding: every pairing of their configurations is one network. */
export function addBands(a: Band, b: Band): Band {
  return { count: a.count * b.count, min: a.min + b.min, max: a.max + b.max, mean: a.mean + b.mean };
}

export function shiftBand(a: Band, by: number): Band {
  return { count: a.count, min: a.min + by, max: a.max + by, mean: a.mean + by };
}

/** Number of length-n sequences over `options` with each possible sum (one feature counted alone). */
export function sumCounts(options: readonly number[], n: number): Map<number, number> {
  let counts = new Map<number, number>([[0, 1]]);
  for (let l = 0; l < n; l++) {
    const next = new Map<number, number>();
    for (const [s, c] of counts) for (const o of options) next.set(s + o, (next.get(s + o) ?? 0) + c);
    counts = next;
  }
  return counts;
}
