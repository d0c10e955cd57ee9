import type { Genome } from '../space/types.js';
import type { ChoiceProgram, Domains } from './choice-program.js';
import { Search } from './choice-search.js';

export interface BranchBoundOptions {
  /** Genomes to start from; the best feasible one is the first incumbent. */
  readonly seeds?: readonly Genome[];
  /** Block evaluations (free blocks scored, summed over search nodes) after which a search gives up. */
  readonly workLimit?: number;
}

export type BranchBoundResult =
  | { readonly status: 'optimal'; readonly genome: number[]; readonly nodes: number }
  | { readonly status: 'infeasible'; readonly nodes: number }
  /** The work limit was reached: the best genome met so far (not proven optimal), if any. */
  | { readonly status: 'unfinished'; readonly genome: number[] | null; readonly nodes: number };

/**
 * Default work limit: ~0.1 s on a loaded 2-core machine. The MathNAS and NB201 problems need at most ~6,000 to find
 * and prove the optimum (SuperViT); a problem past the limit goes to HiGHS with the incumbent (ilp.ts).
 */
export const DEFAULT_WORK_LIMIT = 500_000;

/** Work allowed for breaking ties: this multiple of the search's, at least TIE_BREAK_WORK (and at most the limit). */
const TIE_BREAK_RATIO = 10;
const TIE_BREAK_WORK = 20_000;

/**
 * Exact optimum of a choice program (see Search in choice-search.ts). Once the optimum is known, firstOptimal turns it into the first
 * optimal genome in rank order, so ties go where enumeration puts them (exhaustive.ts); if that exceeds the work
 * limit, the optimum found first is returned. 'unfinished' when the search for the optimum exceeds the work limit.
 */
export function branchAndBound(p: ChoiceProgram, options: BranchBoundOptions = {}): BranchBoundResult {
  const workLimit = options.workLimit ?? DEFAULT_WORK_LIMIT;
  const s = new Search(p, workLimit);
  for (const seed of options.seeds ?? []) {
    if (!s.holds(seed)) continue;
    const f = s.value(seed);
    if (f > s.best) [s.best, s.bestGenome] = [f, [...seed]];
  }
  const root = s.root();
  if (!root) return s.bestGenome ? { status: 'optimal', genome: s.bestGenome, nodes: 0 } : { status: 'infeasible', nodes: 0 };
  const mu = s.seedFromRoot(root);
  s.run(root, { kind: 'best' }, mu);
  if (s.exhausted) return { status: 'unfinished', genome: s.bestGenome, nodes: s.nodes };
  if (!s.bestGenome) return { status: 'infeasible', nodes: s.nodes };
  const optimum = s.bestGenome;
  // Breaking ties may cost a few times the search itself (at most ~5x on the MathNAS and NB201 problems), but no more.
  const searchWork = s.work;
  s.work = 0;
  s.workLimit = Math.min(workLimit, Math.max(TIE_BREAK_WORK, TIE_BREAK_RATIO * searchWork));
  const first = firstOptimal(s, root, mu, optimum, s.best);
  return { status: 'optimal', genome: first ?? optimum, nodes: s.nodes };
}

/**
 * The first genome in rank order whose value reaches `target`, given one (`witness`) that does: node by node, the
 * smallest block below the witness's that still admits such a genome (a 'reach' search under the prefix, which
 * also gives the next witness), else the witness's block. Searching in rank order directly would branch on nodes in
 * index order, which the rules make slow (the SuperTransformer's decoder depth comes last); this keeps the fast
 * branching order inside each check. Null when the checks exceed the work limit.
 */
function firstOptimal(s: Search, root: Domains, mu: Float64Array, witness: number[], target: number): number[] | null {
  let d = root.slice();
  // Most blocks of a large program are in no optimum by their reduced costs alone; they need no check.
  if (!s.narrow(d, target, mu, witness)) throw new Error('branch and bound: the witness genome breaks a rule or limit');
  for (let j = 0; j < d.length; j++) {
    for (const a of d[j]!) {
      if (a >= witness[j]!) break;
      const child = d.slice();
      child[j] = [a];
      if (!s.propagate(child, [j])) continue;
      s.bestGenome = null;
      // The root's multipliers, refitted once the domains shrink: most checks end at their first bound.
      s.run(child, { kind: 'reach', target }, mu);
      if (s.exhausted) return null;
      if (s.bestGenome) {
        witness = s.bestGenome;
        break;
      }
    }
    if (d[j]!.length === 1) continue;
    d = d.slice();
    d[j] = [witness[j]!];
    if (!s.propagate(d, [j])) throw new Error('branch and bound: the witness genome breaks a rule or limit');
  }
  return witness;
}

/**
 * The domains after propagation, narrowed to the blocks that some genome of value at least `target` (less the
 * margin) may use by the bound at the root's multipliers: the reduced-cost fixing the search applies at every node,
 * on its own for tests. Null when the limits and rules leave no genome.
 */
export function openBlocks(p: ChoiceProgram, target: number): Domains | null {
  const s = new Search(p, Infinity);
  const d: Domains = p.radix.map((r) => Array.from({ length: r }, (_, a) => a));
  if (!s.propagate(d, d.map((_, i) => i))) return null;
  return s.narrow(d, target, s.fitRoot(d), []) ? d : null;
}
