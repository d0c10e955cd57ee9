import { kendallTau } from '../stats/kendall.js';
import { averageRanks } from '../stats/rank.js';
import { quantile } from '../stats/summary.js';

/**
 * Performance diversity score of a proxy against accuracy over a space:
 *   PDS = |S(proxy) − S(acc)| / ((S(proxy) + S(acc)) / 2),
 * where S is a spread taken after both are put on a common scale. Putting a variable on a scale fixes one measure of
 * its width, so S must be a different measure: PDS then compares how concentrated each distribution is within its
 * own width. 0 means equally concentrated, 2 is the maximum. The variants differ in the width and the spread:
 *
 * - `minmax`: the literal formula. Min-max scaling, then the standard deviation: SD / range. One extreme value sets
 *   the range, so a single sentinel score (NASLib's jacov floor of −1e8) flattens every other value towards one end.
 * - `robust`: scaling by the 5–95 % quantile range, then the interquartile range: IQR / (q95 − q05). No 5 % of the
 *   architectures can move either quantile range, whatever their values.
 * - `rank`: rank normalisation, then the SD. Ranks make every variable uniform, so S is the same for both up to
 *   ties and PDS is ~0 by construction; it is reported to show that, not to be used.
 */
export type PdsVariant = 'minmax' | 'robust' | 'rank';
export const PDS_VARIANTS: readonly PdsVariant[] = ['minmax', 'robust', 'rank'];
export const DEFAULT_PDS: PdsVariant = 'robust';

/** The raw statistics the scaled spreads are made of, kept so they can be checked against published summaries. */
export interface Spread {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** Population standard deviation (the architectures are the population). */
  readonly sd: number;
  readonly q05: number;
  readonly q25: number;
  readonly q75: number;
  readonly q95: number;
}

export function describe(xs: ArrayLike<number>): Spread {
  const n = xs.length;
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    mean += xs[i]!;
    min = Math.min(min, xs[i]!);
    max = Math.max(max, xs[i]!);
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  const q = (p: number) => quantile(xs, p);
  return { n, min, max, sd: Math.sqrt(ss / n), q05: q(0.05), q25: q(0.25), q75: q(0.75), q95: q(0.95) };
}

/** Spread of `xs` after the variant's scaling; NaN when the scaling is undefined (a constant variable). */
export function scaledSpread(xs: ArrayLike<number>, variant: PdsVariant, d: Spread = describe(xs)): number {
  if (xs.length === 0) return NaN;
  switch (variant) {
    // The SD of (x − min)/(max − min) is SD/(max − min); likewise for the robust pair.
    case 'minmax':
      return d.max > d.min ? d.sd / (d.max - d.min) : NaN;
    case 'robust':
      return d.q95 > d.q05 ? (d.q75 - d.q25) / (d.q95 - d.q05) : NaN;
    case 'rank': {
      const r = averageRanks(xs);
      return describe(r).sd / xs.length;
    }
  }
}

export function pdsFromSpreads(proxy: number, acc: number): number {
  const mean = (proxy + acc) / 2;
  return mean > 0 ? Math.abs(proxy - acc) / mean : NaN;
}

export function pds(proxy: ArrayLike<number>, acc: ArrayLike<number>, variant: PdsVariant = DEFAULT_PDS): number {
  return pdsFromSpreads(scaledSpread(proxy, variant), scaledSpread(acc, variant));
}

/** Pairs where both values are finite: blank or −inf proxy scores are missing, not extreme. */
export function finitePairs(proxy: ArrayLike<number>, acc: ArrayLike<number>): { proxy: Float64Array; acc: Float64Array } {
  const keep: number[] = [];
  for (let i = 0; i < proxy.length; i++) if (Number.isFinite(proxy[i]!) && Number.isFinite(acc[i]!)) keep.push(i);
  return { proxy: Float64Array.from(keep, (i) => proxy[i]!), acc: Float64Array.from(keep, (i) => acc[i]!) };
}

export interface GroupDiversity {
  readonly task: string;
  /** Architectures with a finite proxy score and accuracy. */
  readonly n: number;
  /** Kendall tau-b of proxy against accuracy. */
  readonly kendall: number;
  readonly pds: Readonly<Record<PdsVariant, number>>;
  /** The scaled spreads behind each PDS, so a reader can see which side moved. */
  readonly spread: Readonly<Record<PdsVariant, { readonly proxy: number; readonly acc: number }>>;
  readonly raw: { readonly proxy: Spread; readonly acc: Spread };
}

export function groupDiversity(task: string, proxyRaw: ArrayLike<number>, accRaw: ArrayLike<number>): GroupDiversity {
  const { proxy, acc } = finitePairs(proxyRaw, accRaw);
  const raw = { proxy: describe(proxy), acc: describe(acc) };
  const spread = {} as Record<PdsVariant, { proxy: number; acc: number }>;
  const score = {} as Record<PdsVariant, number>;
  for (const v of PDS_VARIANTS) {
    spread[v] = { proxy: scaledSpread(proxy, v, raw.proxy), acc: scaledSpread(acc, v, raw.acc) };
    score[v] = pdsFromSpreads(spread[v].proxy, spread[v].acc);
  }
  return { task, n: proxy.length, kendall: kendallTau(proxy, acc), pds: score, spread, raw };
}
