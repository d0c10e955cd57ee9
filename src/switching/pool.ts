import type { AdditiveModel, PairTerm } from '../core/additive.js';
import type { Limit, Problem } from '../search/problem.js';
import type { CouplingRule, Genome } from '../space/types.js';

/**
 * The blocks worth keeping at each node (MathNAS §3.4: switching searches only Pareto-optimal blocks) and the
 * smaller program over them. `problem` is indexed by position in `kept`; toFull / toPool translate genomes.
 */
export interface Pool {
  readonly problem: Problem;
  /** kept[i]: the original indices of the blocks kept at node i, ascending. */
  readonly kept: readonly (readonly number[])[];
  /** Blocks removed over all nodes. */
  readonly removed: number;
  /** Nodes left whole because removing a dominated block there would not be exact, and why. */
  readonly whole: readonly { readonly node: number; readonly reason: 'pair terms' | 'scaled objective' }[];
}

/** Coefficient of (node, block) in every rule, as one comparable key: blocks with different keys are not exchangeable. */
function ruleSignatures(rules: readonly CouplingRule[], radix: readonly number[]): string[][] {
  const coefs = radix.map((r) => Array.from({ length: r }, () => new Array<number>(rules.length).fill(0)));
  rules.forEach((rule, k) => {
    for (const t of rule.terms) coefs[t.node]![t.block]![k]! += t.coef;
  });
  return coefs.map((row) => row.map((c) => c.join(',')));
}

/**
 * Block a dominates block b at a node: exchangeable under every rule, no worse in the objective and in every limited
 * metric, and better in one of them, or identical with the lower index (so that exactly one of equal blocks stays).
 * This is a strict partial order, so every dominated block is dominated by a kept one.
 */
function dominates(problem: Problem, node: number, a: number, b: number, signature: readonly string[]): boolean {
  if (signature[a] !== signature[b]) return false;
  const obj = problem.objective.model.values[node]!;
  if (obj[a]! < obj[b]!) return false;
  let strict = obj[a]! > obj[b]!;
  for (const l of problem.limits) {
    const row = l.model.values[node]!;
    if (row[a]! > row[b]!) return false;
    if (row[a]! < row[b]!) strict = true;
  }
  return strict || a < b;
}

/**
 * Per node, the blocks no other block dominates in (objective contribution, each limited metric). Exact: for any
 * architecture using a removed block, the same architecture with its dominator obeys the same rules (identical rule
 * coefficients), meets every limit it met and scores no lower, so the optimum over the pool equals the optimum over
 * the whole space for every limit. This needs the objective to be a sum over nodes at the node in question, hence:
 * nodes in a pair term of the objective or a limit stay whole (a block's worth or cost depends on the partner node), and with a FLOPs-scaled objective
 * (Eq. 5, a ratio) every node stays whole. Scaling a limited metric by a positive factor (a device slow-down)
 * changes no comparison, so one pool serves every slow-down; a per-block latency update needs a new pool.
 */
export function paretoPool(problem: Problem): Pool {
  const { radix, objective } = problem;
  const signatures = ruleSignatures(problem.rules, radix);
  const allPairs = [...(objective.pairs ?? []), ...problem.limits.flatMap((l) => l.pairs ?? [])];
  const paired = new Set(allPairs.flatMap((p) => [p.i, p.j]));
  const whole: { node: number; reason: 'pair terms' | 'scaled objective' }[] = [];
  const kept = radix.map((r, node) => {
    const all = Array.from({ length: r }, (_, b) => b);
    if (objective.scale) {
      whole.push({ node, reason: 'scaled objective' });
      return all;
    }
    if (paired.has(node)) {
      whole.push({ node, reason: 'pair terms' });
      return all;
    }
    return all.filter((b) => !all.some((a) => a !== b && dominates(problem, node, a, b, signatures[node]!)));
  });
  const removed = radix.reduce((s, r, i) => s + r - kept[i]!.length, 0);
  return { problem: restrict(problem, kept), kept, removed, whole };
}

function restrictModel(model: AdditiveModel, kept: readonly (readonly number[])[]): AdditiveModel {
  return { intercept: model.intercept, values: kept.map((blocks, i) => blocks.map((b) => model.values[i]![b]!)) };
}

function restrictPair(p: PairTerm, kept: readonly (readonly number[])[]): PairTerm {
  return { i: p.i, j: p.j, values: kept[p.i]!.map((a) => kept[p.j]!.map((b) => p.values[a]![b]!)) };
}

/** The program over the kept blocks: a rule term on a removed block is dropped, since that indicator is always 0. */
export function restrict(problem: Problem, kept: readonly (readonly number[])[]): Problem {
  const position = kept.map((blocks) => new Map(blocks.map((b, k) => [b, k])));
  const { model, pairs, scale } = problem.objective;
  const rules: CouplingRule[] = problem.rules.map((rule) => ({
    ...rule,
    terms: rule.terms.flatMap((t) => {
      const k = position[t.node]!.get(t.block);
      return k === undefined ? [] : [{ ...t, block: k }];
    }),
  }));
  const limits: Limit[] = problem.limits.map((l) => ({
    ...l,
    model: restrictModel(l.model, kept),
    ...(l.pairs ? { pairs: l.pairs.map((p) => restrictPair(p, kept)) } : {}),
  }));
  return {
    radix: kept.map((blocks) => blocks.length),
    objective: {
      model: restrictModel(model, kept),
      ...(pairs ? { pairs: pairs.map((p) => restrictPair(p, kept)) } : {}),
      ...(scale ? { scale: { reference: scale.reference, denominator: restrictModel(scale.denominator, kept) } } : {}),
    },
    limits,
    rules,
  };
}

/** A genome over the pool's positions as original block indices. */
export function toFull(pool: Pool, g: Genome): number[] {
  return g.map((k, i) => pool.kept[i]![k]!);
}

/** An original genome as pool positions, or null when it uses a removed block. */
export function toPool(pool: Pool, g: Genome): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < g.length; i++) {
    const k = pool.kept[i]!.indexOf(g[i]!);
    if (k < 0) return null;
    out.push(k);
  }
  return out;
}
