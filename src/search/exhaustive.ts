import type { AdditiveModel, PairTerm } from '../core/additive.js';
import type { Genome } from '../space/types.js';
import { infeasibleSolution, limitTolerance, optimalSolution, pairsByLaterNode, ruleBounds, ruleTable } from './common.js';
import { limitValue, type Problem, type Solution } from './problem.js';
import { validateProblem } from './validate-problem.js';

/**
 * Product-space size up to which callers may prefer enumeration to the ILP: up to it enumerating stays well under a
 * second, and a space of NB201's size takes about what a warm solveIlp does (docs/notes/2026-12-08-solve-times.md). HiGHS's first
 * solve of a process (Wasm loading and compilation) is paid only by problems the branch and bound hands over.
 */
export const enumerationFeasibleLimit = 1_000_000;

/** Number of genomes in the product space (before rules); may exceed 2^53 for huge spaces, as a float. */
export function spaceSizeOf(problem: Pick<Problem, 'radix'>): number {
  return problem.radix.reduce((acc, r) => acc * r, 1);
}

/** A flattened additive table (entry offsets[i] + j is node i, block j) and pair terms added into the same sum. */
interface Sum {
  readonly table: Float64Array;
  readonly pairs?: readonly PairTerm[] | undefined;
}

/** A sum that must stay within [lo, hi]. */
interface Bound extends Sum {
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

/**
 * Per depth d, the min (or max) over nodes >= d of their best block, plus the extreme entry of each pair term not
 * yet added (its later node >= d): the bound used to prune a prefix. Valid for pair terms, if loose.
 */
function suffixExtreme(sum: Sum, radix: readonly number[], offsets: readonly number[], max: boolean): Float64Array {
  const { table } = sum;
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
  if (!sum.pairs || sum.pairs.length === 0) return out;
  const atDepth = new Float64Array(n + 1);
  for (const p of sum.pairs) {
    const flat = p.values.flat();
    atDepth[Math.max(p.i, p.j)]! += max ? Math.max(...flat) : Math.min(...flat);
  }
  let acc = 0;
  for (let d = n - 1; d >= 0; d--) {
    acc += atDepth[d]!;
    out[d] = out[d]! + acc;
  }
  return out;
}

/**
 * Depth-first walk over every genome in rank order that keeps each bounded sum within [lo, hi], carrying prefix
 * sums so each step costs O(tables) instead of O(nodes·tables). A prefix is cut as soon as no completion can
 * bring a sum back inside its bounds, so tight limits prune most of the space. Each pair term is added at the later
 * of its two nodes, in the order of common.ts orderedSum. `visit` receives the genome and the full sums (bounds
 * first, then tracked sums) at offset `at` of `sums`; both buffers are reused.
 */
function enumerate(
  radix: readonly number[],
  bounds: readonly Bound[],
  tracked: readonly Sum[],
  visit: (g: Int32Array, sums: Float64Array, at: number) => void,
): void {
  const n = radix.length;
  const offsets = offsetsOf(radix);
  const all: readonly Sum[] = [...bounds, ...tracked];
  const tables = all.map((t) => t.table);
  const k = tables.length;
  const nb = bounds.length;
  const lo = bounds.map((b) => b.lo);
  const hi = bounds.map((b) => b.hi);
  const sufMin = bounds.map((b) => suffixExtreme(b, radix, offsets, false));
  const sufMax = bounds.map((b) => suffixExtreme(b, radix, offsets, true));
  const sums = new Float64Array((n + 1) * k);
  const g = new Int32Array(n);
  // Per depth, the pair terms applied there and the sum each goes into.
  const pairsAt: PairTerm[][] = Array.from({ length: n }, () => []);
  const slotsAt: number[][] = Array.from({ length: n }, () => []);
  all.forEach((t, slot) => {
    pairsByLaterNode(t.pairs, n).forEach((ps, d) => {
      for (const p of ps) {
        pairsAt[d]!.push(p);
        slotsAt[d]!.push(slot);
      }
    });
  });
  const step = (d: number): void => {
    if (d === n) {
      visit(g, sums, n * k);
      return;
    }
    const base = d * k;
    const next = base + k;
    const off = offsets[d]!;
    const pairs = pairsAt[d]!;
    const slots = slotsAt[d]!;
    for (let j = 0; j < radix[d]!; j++) {
      g[d] = j;
      for (let t = 0; t < k; t++) sums[next + t] = sums[base + t]! + tables[t]![off + j]!;
      for (let q = 0; q < pairs.length; q++) {
        const p = pairs[q]!;
        const at = next + slots[q]!;
        sums[at] = sums[at]! + p.values[g[p.i]!]![g[p.j]!]!;
      }
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
  const metrics = limits.map((l) => ({ table: flatten(l.model.values), pairs: l.pairs }));
  enumerate(problem.radix, ruleBoundsOf(problem), metrics, (g, sums, at) => {
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
  // Recomputed with limitValue() so the value is bit-for-bit what the models give, as in the ILP answer.
  limits.forEach((l, m) => (out[l.metric] = limitValue(l, argmin[m]!)));
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
    pairs: l.pairs,
    lo: -Infinity,
    hi: l.max - l.model.intercept + limitTolerance(l.max),
  }));
  const bounds = [...limitBounds, ...ruleBoundsOf(problem)];
  const den: AdditiveModel | undefined = scale?.denominator;
  const pairs = problem.objective.pairs;
  const tracked: Sum[] = den ? [{ table: flatten(model.values), pairs }, { table: flatten(den.values) }] : [{ table: flatten(model.values), pairs }];
  const nb = bounds.length;
  const reference = scale?.reference ?? 1;
  const dIntercept = den?.intercept ?? 0;
  let bestValue = -Infinity;
  let best: Genome | null = null;
  const visit = (g: Int32Array, sums: Float64Array, at: number): void => {
    const v = den ? (reference * sums[at + nb]!) / (dIntercept + sums[at + nb + 1]!) : sums[at + nb]!;
    if (v > bestValue || best === null) {
      bestValue = v;
      best = Array.from(g);
    }
  };
  enumerate(problem.radix, bounds, tracked, visit);
  const genome = best as Genome | null;
  if (!genome) return infeasibleSolution('exhaustive', performance.now() - t0, 1, minAchievable(problem));
  return optimalSolution(problem, genome, 'exhaustive', performance.now() - t0, 1);
}
