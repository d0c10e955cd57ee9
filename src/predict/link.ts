/**
 * A strictly increasing piecewise-linear map from a model score to the metric's scale, through the knots of an
 * isotonic (pool-adjacent-violators) fit of the observed values on the scores. Strict monotonicity keeps the
 * ranking of the score, so search can maximise the linear score and report the metric.
 */
export interface Link {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export function isotonicLink(scores: ArrayLike<number>, values: ArrayLike<number>): Link {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const blocks: { sx: number; sy: number; w: number }[] = [];
  for (const i of order) {
    blocks.push({ sx: scores[i]!, sy: values[i]!, w: 1 });
    // merge while the last block's mean value is not above the one before it, or their mean scores coincide
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sy / a.w < b.sy / b.w && a.sx / a.w < b.sx / b.w) break;
      blocks.pop();
      a.sx += b.sx;
      a.sy += b.sy;
      a.w += b.w;
    }
  }
  return { x: blocks.map((b) => b.sx / b.w), y: blocks.map((b) => b.sy / b.w) };
}

export function applyLink(link: Link, s: number): number {
  const { x, y } = link;
  const n = x.length;
  if (n === 1) return y[0]!;
  // Beyond the observed scores the link stays at its end values: search goes exactly there (to the highest
  // score), and any extension would claim accuracy no evaluated network showed. The score itself still ranks.
  if (s <= x[0]!) return y[0]!;
  if (s >= x[n - 1]!) return y[n - 1]!;
  let k: number;
  {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! <= s) lo = mid;
      else hi = mid;
    }
    k = lo;
  }
  const t = (s - x[k]!) / (x[k + 1]! - x[k]!);
  return y[k]! + t * (y[k + 1]! - y[k]!);
}

/**
 * The link continued beyond the observed scores along its end-to-end slope. Search ranks candidates against the
 * best networks it has seen, so it needs a prediction that can exceed them (the flat link ties every candidate
 * scored above the best observed network with it, and no hypervolume gain is ever predicted there).
 */
export function applyLinkExtended(link: Link, s: number): number {
  const { x, y } = link;
  const n = x.length;
  if (n === 1) return y[0]!;
  const slope = (y[n - 1]! - y[0]!) / (x[n - 1]! - x[0]!);
  if (s < x[0]!) return y[0]! + slope * (s - x[0]!);
  if (s > x[n - 1]!) return y[n - 1]! + slope * (s - x[n - 1]!);
  return applyLink(link, s);
}
