import { additive, type AdditiveModel, type PairTerm } from '../predict/model.js';
import type { Genome } from '../space/types.js';
import { infeasibleSolution, limitTolerance, optimalSolution, ruleBounds, ruleTable } from './common.js';
import type { Problem, Solution } from './problem.js';
import { validateProblem } from './validate.js';

/**
 * Product-space size up to which callers may prefer enumeration to the ILP: a million genomes take ~0.3 s with
 * loose limits (less when limits prune), and 5^6 under 1 ms to a few ms, while a warm solveIlp on the NB201 and
 * MathNAS tables costs 0.2-3 ms (bench/solve-times.ts; a fractional objective 2-4 solves). HiGHS's first solve of a
 * process, ~0.4 s of Wasm loading and compilation, is paid only by problems the branch and bound hands over.
 */
export const enumerationFeasibleLimit = 1_000_000;

/** Number of genomes in the product space (before rules); may exceed 2^53 for huge spaces, as a float. */
export function spaceSizeOf(problem: Pick<Problem, 'radix'>): number {
  return problem.radix.reduce((acc, r) => acc * r, 1);
}

/** A flattened additive table: entry offsets[i] + j is node i, block j. */
interface Bound {
  readonly table: Float64Array;
  readonly lo: number;
  readonly hi: number;
}

function offsetsOf(radix: readonly number[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const r of radix) {
    out.push(o);
    o += r;
  }
  return out;
}

function flatten(values: readonly (readonly number[])[]): Float64Array {
  return Float64Array.from(values.flat());
}

/** Per depth d, the min (or max) over nodes >= d of their best block: the bound used to prune a prefix. */
function suffixExtreme(table: Float64Array, radix: readonly number[], offsets: readonly number[], max: boolean): Float64Array {
  const n = radix.length;
  const out = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    let e = table[offsets[i]!]!;
    for (let j = 1; j < radix[i]!; j++) {
      const v = table[offsets[i]! + j]!;
      e = max ? Math.max(e, v) : Math.min(e, v);
    }
    out[i] = out[i + 1]! + e;
  }
  return out;
}

/** Pair terms added into one tracked sum, each applied at the later of its two nodes (when both are chosen). */
interface PairsInto {
  readonly slot: number;
  readonly pairs: readonly PairTerm[];
}

function pairsByDepth(n: number, into: PairsInto | undefined): PairTerm[][] {
  const out: PairTerm[][] = Array.from({ length: n }, () => []);
  for (const p of into?.pairs ?? []) out[Math.max(p.i, p.j)]!.push(p);
  return out;
}

/**
 * Depth-first walk over every genome in rank order that keeps each bounded sum within [lo, hi], carrying prefix
 * sums so each step costs O(tables) instead of O(nodes·tables). A prefix is cut as soon as no completion can
 * bring a sum back inside its bounds, so tight limits prune most of the space. `visit` receives the genome and the
 * full sums (bounds first, then tracked tables) at offset `at` of `sums`; both buffers are reused.
 */
function enumerate(
  radix: readonly number[],
  bounds: readonly Bound[],
  tracked: readonly Float64Array[],
  visit: (g: Int32Array, sums: Float64Array, at: number) => void,
  pairsInto?: PairsInto,
): void {
  const n = radix.length;
  const offsets = offsetsOf(radix);
  const tables = [...bounds.map((b) => b.table), ...tracked];
  const k = tables.length;
  const nb = bounds.length;
  const lo = bounds.map((b) => b.lo);
  const hi = bounds.map((b) => b.hi);
  const sufMin = bounds.map((b) => suffixExtreme(b.table, radix, offsets, false));
  const sufMax = bounds.map((b) => suffixExtreme(b.table, radix, offsets, true));
  const sums = new Float64Array((n + 1) * k);
  const g = new Int32Array(n);
  const pairsAt = pairsByDepth(n, pairsInto);
  const slot = nb + (pairsInto?.slot ?? 0);
  const step = (d: number): void => {
    if (d === n) {
      visit(g, sums, n * k);
      return;
    }
    const base = d * k;
    const next = base + k;
    const off = offsets[d]!;
    const pairs = pairsAt[d]!;
    for (let j = 0; j < radix[d]!; j++) {
      g[d] = j;
      for (let t = 0; t < k; t++) sums[next + t] = sums[base + t]! + tables[t]![off + j]!;
      for (const p of pairs) sums[next + slot] = sums[next + slot]! + p.values[g[p.i]!]![g[p.j]!]!;
      let ok = true;
      for (let b = 0; b < nb; b++) {
        const s = sums[next + b]!;
        if (s + sufMin[b]![d + 1]! > hi[b]! || s + sufMax[b]![d + 1]! < lo[b]!) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      step(d + 1);
    }
  };
  step(0);
}

function ruleBoundsOf(problem: Problem): Bound[] {
  return problem.rules.map((rule) => ({ table: flatten(ruleTable(rule, problem.radix)), ...ruleBounds(rule) }));
}

/** Smallest value of each limited metric under the rules alone; null when no genome obeys the rules. */
function minAchievable(problem: Problem): Record<string, number> | null {
  const { limits } = problem;
  const nb = problem.rules.length;
  const best = new Float64Array(limits.length).fill(Infinity);
  const argmin: (number[] | null)[] = limits.map(() => null);
  let any = false;
  enumerate(problem.radix, ruleBoundsOf(problem), limits.map((l) => flatten(l.model.values)), (g, sums, at) => {
    any = true;
    for (let m = 0; m < limits.length; m++) {
      const v = sums[at + nb + m]!;
      if (v < best[m]!) {
        best[m] = v;
        argmin[m] = Array.from(g);
      }
    }
  });
  if (!any || limits.length === 0) return null;
  const out: Record<string, number> = {};
  // Recomputed with additive() so the value is bit-for-bit what the models give, as in the ILP answer.
  limits.forEach((l, m) => (out[l.metric] = additive(l.model, argmin[m]!)));
  return out;
}

/**
 * Optimal architecture by enumerating the product space (respecting rules and limits). Exact and solver-free;
 * the reference the ILP is tested against, and the faster choice for small spaces (see spaceSizeOf). Ties go to the
 * first genome in rank order.
 */
export function solveExhaustive(problem: Problem): Solution {
  const t0 = performance.now();
  validateProblem(problem);
  const { model, scale } = problem.objective;
  const limitBounds: Bound[] = problem.limits.map((l) => ({
    table: flatten(l.model.values),
    lo: -Infinity,
    hi: l.max - l.model.intercept + limitTolerance(l.max),
  }));
  const bounds = [...limitBounds, ...ruleBoundsOf(problem)];
  const den: AdditiveModel | undefined = scale?.denominator;
  const tracked = den ? [flatten(model.values), flatten(den.values)] : [flatten(model.values)];
  const nb = bounds.length;
  const reference = scale?.reference ?? 1;
  const dIntercept = den?.intercept ?? 0;
  let bestValue = -Infinity;
  let best: Genome | null = null;
  const pairs = problem.objective.pairs ?? [];
  const visit = (g: Int32Array, sums: Float64Array, at: number): void => {
    const v = den ? (reference * sums[at + nb]!) / (dIntercept + sums[at + nb + 1]!) : sums[at + nb]!;
    if (v > bestValue || best === null) {
      bestValue = v;
      best = Array.from(g);
    }
  };
  enumerate(problem.radix, bounds, tracked, visit, { slot: 0, pairs });
  const genome = best as Genome | null;
  if (!genome) return infeasibleSolution('exhaustive', performance.now() - t0, 1, minAchievable(problem));
  return optimalSolution(problem, genome, 'exhaustive', performance.now() - t0, 1);
}
