/**
 * Das & Dennis (1998) structured reference directions: every point of the unit simplex whose coordinates are
 * multiples of 1/H, with H the number of partitions per objective. There are C(H+M-1, M-1) of them, which is what
 * NSGA-III uses as niches. Coordinates are built from integer compositions of H so that each row sums to exactly
 * one up to a single rounding per coordinate.
 */

/** C(n, k) computed multiplicatively; exact for the sizes reference-direction sets ever reach. */
export function binomial(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k)) throw new Error('binomial: integers only');
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= kk; i++) c = (c * (n - kk + i)) / i;
  return Math.round(c);
}

/** Number of Das-Dennis directions for `nPartitions` partitions and `nObj` objectives. */
export function dasDennisCount(nPartitions: number, nObj: number): number {
  checkArgs(nPartitions, nObj);
  return binomial(nPartitions + nObj - 1, nObj - 1);
}

/** All Das-Dennis directions, in lexicographically descending order of their integer compositions. */
export function dasDennis(nPartitions: number, nObj: number): number[][] {
  checkArgs(nPartitions, nObj);
  if (nObj === 1) return [[1]];
  const out: number[][] = [];
  const parts = new Array<number>(nObj).fill(0);
  const recurse = (axis: number, left: number): void => {
    if (axis === nObj - 1) {
      parts[axis] = left;
      out.push(parts.map((p) => p / nPartitions));
      return;
    }
    for (let k = left; k >= 0; k--) {
      parts[axis] = k;
      recurse(axis + 1, left - k);
    }
  };
  recurse(0, nPartitions);
  return out;
}

/**
 * The largest partition count whose direction set fits in `maxDirections` (at least 1), the usual way to match
 * the niches to a population size.
 */
export function partitionsFor(maxDirections: number, nObj: number): number {
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error('partitionsFor: nObj must be a positive integer');
  if (nObj === 1) return 1;
  let h = 1;
  while (dasDennisCount(h + 1, nObj) <= maxDirections) h++;
  return h;
}

function checkArgs(nPartitions: number, nObj: number): void {
  if (!Number.isInteger(nObj) || nObj < 1) throw new Error(`dasDennis: nObj must be a positive integer, got ${nObj}`);
  // zero partitions would put the single direction at 0/0
  if (!Number.isInteger(nPartitions) || nPartitions < 1) {
    throw new Error(`dasDennis: nPartitions must be a positive integer, got ${nPartitions}`);
  }
}
