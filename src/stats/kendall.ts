/**
 * Kendall's tau-b in O(n log n) (Knight 1966): sort by x then y, count discordant pairs as the swaps of a merge sort
 * on y, and correct for ties in x, in y and in both.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new Error('kendallTau: length mismatch');
  if (n < 2) return NaN;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) ys[i] = y[idx[i]!]!;

  const n0 = (n * (n - 1)) / 2;
  let tiesX = 0; // pairs tied in x
  let tiesXY = 0; // pairs tied in x and y
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]!] === x[idx[i]!]) j++;
    const t = j - i + 1;
    tiesX += (t * (t - 1)) / 2;
    for (let a = i; a <= j; ) {
      let b = a;
      while (b + 1 <= j && ys[b + 1] === ys[a]) b++;
      const u = b - a + 1;
      tiesXY += (u * (u - 1)) / 2;
      a = b + 1;
    }
    i = j + 1;
  }

  const swaps = mergeCountSwaps(ys);

  let tiesY = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && ys[j + 1] === ys[i]) j++;
    const t = j - i + 1;
    tiesY += (t * (t - 1)) / 2;
    i = j + 1;
  }
  const concordantMinusDiscordant = n0 - tiesX - tiesY + tiesXY - 2 * swaps;
  const denom = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  return denom === 0 ? NaN : concordantMinusDiscordant / denom;
}

/** Sorts `a` in place and returns the number of strict inversions. */
function mergeCountSwaps(a: Float64Array<ArrayBuffer>): number {
  const n = a.length;
  let buf: Float64Array<ArrayBuffer> = new Float64Array(n);
  let src: Float64Array<ArrayBuffer> = a;
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[j]! < src[i]!) {
          swaps += mid - i;
          buf[k++] = src[j++]!;
        } else buf[k++] = src[i++]!;
      }
      while (i < mid) buf[k++] = src[i++]!;
      while (j < hi) buf[k++] = src[j++]!;
    }
    [src, buf] = [buf, src];
  }
  if (src !== a) a.set(src);
  return swaps;
}
