import type { Table } from './formulation.js';

/** The free part of a search node: maximise Σ_free values[j][a] subject to Σ_free weights[l][j][a] <= capacity[l]. */
export interface Relaxation {
  /** Allowed blocks of each free node; null for a fixed node. */
  readonly free: readonly (readonly number[] | null)[];
  readonly values: readonly Float64Array[];
  readonly weights: readonly Table[];
  readonly capacity: readonly number[];
}

/** Coordinate-descent rounds over the multipliers when there are several limits (one limit needs one step). */
const ROUNDS = 3;

/**
 * Multipliers μ >= 0 that minimise, or nearly, the Lagrangian bound Σ_l μ_l C_l + Σ_j max_a [v_j(a) − Σ_l μ_l w_lj(a)],
 * by coordinate descent with exact steps: along one μ_l the bound is convex and piecewise linear (lineMinimum).
 * Any μ >= 0 gives a valid bound, so stopping early costs tightness, never correctness. For one limit this is the
 * LP bound of the multiple-choice knapsack.
 */
export function lagrangeMultipliers(r: Relaxation, start: Float64Array): Float64Array {
  const mu = Float64Array.from(start);
  const nodes: number[] = [];
  r.free.forEach((d, j) => d && nodes.push(j));
  const rounds = mu.length > 1 ? ROUNDS : 1;
  for (let round = 0; round < rounds; round++) {
    for (let l = 0; l < mu.length; l++) mu[l] = lineMinimum(r, nodes, mu, l);
  }
  return mu;
}

/**
 * The μ_l minimising μ_l C + Σ_j max_a [u_j(a) − μ_l w_j(a)] over μ_l >= 0 (u: values net of the other limits'
 * multipliers). Its right derivative C − Σ_j w_j(best block) only rises, in steps where a node's best block passes
 * to a lighter one; each node's steps follow the upper hull of its (w, u) points, so the minimum is the first step
 * at which the derivative turns non-negative.
 */
function lineMinimum(r: Relaxation, nodes: readonly number[], mu: Float64Array, l: number): number {
  const w = r.weights[l]!;
  let slope = r.capacity[l]!;
  let count = 0;
  for (const j of nodes) {
    const dom = r.free[j]!;
    const m = dom.length;
    const { u, wj } = nodeScratch(m);
    for (let k = 0; k < m; k++) {
      const a = dom[k]!;
      let v = r.values[j]![a]!;
      for (let q = 0; q < mu.length; q++) if (q !== l) v -= mu[q]! * r.weights[q]![j]![a]!;
      u[k] = v;
      wj[k] = w[j]![a]!;
    }
    // Best block just above μ = 0: the highest value, the lighter one among equals.
    let cur = 0;
    for (let k = 1; k < m; k++) if (u[k]! > u[cur]! || (u[k] === u[cur] && wj[k]! < wj[cur]!)) cur = k;
    slope -= wj[cur]!;
    let t = 0;
    for (;;) {
      // The lighter block that overtakes first (the lightest among those overtaking at once).
      let next = -1;
      let nextT = Infinity;
      for (let k = 0; k < m; k++) {
        if (!(wj[k]! < wj[cur]!)) continue;
        const tk = Math.max(t, (u[cur]! - u[k]!) / (wj[cur]! - wj[k]!));
        if (tk < nextT || (tk === nextT && wj[k]! < wj[next]!)) [next, nextT] = [k, tk];
      }
      if (next < 0) break;
      const steps = stepScratch(count + 1);
      steps.t[count] = nextT;
      steps.dw[count] = wj[cur]! - wj[next]!;
      count++;
      [cur, t] = [next, nextT];
    }
  }
  if (slope >= 0) return 0;
  const { t, dw, order } = stepScratch(count);
  for (let k = 0; k < count; k++) order[k] = k;
  const sorted = order.subarray(0, count).sort((x, y) => t[x]! - t[y]!);
  for (const k of sorted) {
    slope += dw[k]!;
    if (slope >= 0) return t[k]!;
  }
  // Even the lightest blocks exceed the capacity (propagation rules this out up to rounding): the steepest μ found.
  return count > 0 ? t[sorted[count - 1]!]! : 0;
}

/** Scratch reused across calls (the search refits μ at many of its nodes): one node's net values and weights. */
let scratchU = new Float64Array(16);
let scratchW = new Float64Array(16);

function nodeScratch(m: number): { u: Float64Array; wj: Float64Array } {
  if (scratchU.length < m) [scratchU, scratchW] = [new Float64Array(2 * m), new Float64Array(2 * m)];
  return { u: scratchU, wj: scratchW };
}

/** The steps of lineMinimum (where, and by how much the slope rises), and an index array to sort them by. */
let steps = { t: new Float64Array(256), dw: new Float64Array(256), order: new Uint32Array(256) };

function stepScratch(n: number): typeof steps {
  if (steps.t.length < n) {
    const size = 2 * n;
    const grown = { t: new Float64Array(size), dw: new Float64Array(size), order: new Uint32Array(size) };
    grown.t.set(steps.t);
    grown.dw.set(steps.dw);
    steps = grown;
  }
  return steps;
}
