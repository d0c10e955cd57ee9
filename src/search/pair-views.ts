/** A pair table seen from one of its nodes. */
export interface PairView {
  readonly other: number;
  /** values[a * radix[other] + b]: this node at block a, `other` at block b. */
  readonly values: Float64Array;
  /** While both nodes are free, the lower-numbered one carries the pair in the bound, so it is counted once. */
  readonly owner: boolean;
}

/** Views of canonical pair tables (i < j) from both of their nodes. */
export function pairViews(radix: readonly number[], pairs: readonly { i: number; j: number; values: readonly (readonly number[])[] }[]): PairView[][] {
  const views: PairView[][] = radix.map(() => []);
  for (const q of pairs) {
    const ri = radix[q.i]!;
    const rj = radix[q.j]!;
    const fwd = new Float64Array(ri * rj);
    const back = new Float64Array(ri * rj);
    for (let a = 0; a < ri; a++) {
      for (let b = 0; b < rj; b++) {
        fwd[a * rj + b] = q.values[a]![b]!;
        back[b * ri + a] = q.values[a]![b]!;
      }
    }
    views[q.i]!.push({ other: q.j, values: fwd, owner: true });
    views[q.j]!.push({ other: q.i, values: back, owner: false });
  }
  return views;
}

/** A node pair seen from one node: the objective's table (zeros if it has none) and each limit's (null if none). */
export interface UnionView {
  readonly other: number;
  readonly owner: boolean;
  readonly objective: Float64Array;
  readonly limits: readonly (Float64Array | null)[];
}

/** Every node pair the objective or a limit pairs, from each of its nodes (the bound's tables under μ, branch-bound.ts). */
export function unionViews(radix: readonly number[], objective: readonly PairView[][], limits: readonly PairView[][][]): UnionView[][] {
  return radix.map((r, j) => {
    const others = new Set([...objective[j]!, ...limits.flatMap((views) => views[j]!)].map((v) => v.other));
    return [...others].sort((a, b) => a - b).map((other) => {
      const find = (views: readonly PairView[]) => views.find((v) => v.other === other)?.values ?? null;
      return {
        other,
        owner: j < other,
        objective: find(objective[j]!) ?? new Float64Array(r * radix[other]!),
        limits: limits.map((views) => find(views[j]!)),
      };
    });
  });
}
