import type { CouplingRule, Genome, SearchSpace } from './types.js';
import { satisfiesRules } from './space.js';

/** Same tolerance as `ruleHolds`, so counting and checking agree on rules with fractional coefficients. */
const EPS = 1e-9;

function holds(op: CouplingRule['op'], lhs: number, rhs: number): boolean {
  if (op === '<=') return lhs <= rhs + EPS;
  if (op === '>=') return lhs >= rhs - EPS;
  return Math.abs(lhs - rhs) <= EPS;
}

/** coef[node][block] of one rule, summed when a rule names the same choice twice. */
function ruleCoefficients(rule: CouplingRule, space: SearchSpace): Map<number, Float64Array> {
  const byNode = new Map<number, Float64Array>();
  for (const t of rule.terms) {
    const node = space.nodes[t.node];
    // A term on a block the node does not have can never be chosen, so it contributes nothing.
    if (!node || t.block < 0 || t.block >= node.blocks.length) continue;
    let row = byNode.get(t.node);
    if (!row) byNode.set(t.node, (row = new Float64Array(node.blocks.length)));
    row[t.block]! += t.coef;
  }
  return byNode;
}

interface State {
  readonly sums: readonly number[];
  count: bigint;
}

/**
 * Exact number of genomes of `space` that satisfy `rules`, by dynamic programming over the nodes in order. The state
 * is the vector of partial left-hand sides of the rules that have started but not yet seen their last node, so the
 * cost grows with the number of distinct partial sums rather than with the size of the space (a rule over all nodes
 * with 0/1 coefficients keeps at most n+1 states). Counts are BigInt because real spaces exceed 2^53.
 */
export function countGenomes(space: SearchSpace, rules: readonly CouplingRule[] = space.rules): bigint {
  const coefs = rules.map((r) => ruleCoefficients(r, space));
  const nodeSets = coefs.map((c) => [...c.keys()]);
  for (let r = 0; r < rules.length; r++) {
    // A rule with no reachable term is a constant; it either rules out everything or nothing.
    if (nodeSets[r]!.length === 0 && !holds(rules[r]!.op, 0, rules[r]!.rhs)) return 0n;
  }
  const first = nodeSets.map((ns) => (ns.length ? Math.min(...ns) : -1));
  const last = nodeSets.map((ns) => (ns.length ? Math.max(...ns) : -1));

  let active: number[] = [];
  let states = new Map<string, State>([['', { sums: [], count: 1n }]]);
  for (let i = 0; i < space.nodes.length; i++) {
    const starting = rules.map((_, r) => r).filter((r) => first[r] === i);
    const nextActive = [...active, ...starting];
    const rows = nextActive.map((r) => coefs[r]!.get(i));
    const ending = nextActive.map((r) => last[r] === i);
    const kept = nextActive.filter((_, k) => !ending[k]);
    const next = new Map<string, State>();
    for (const st of states.values()) {
      const base = [...st.sums, ...starting.map(() => 0)];
      for (let b = 0; b < space.nodes[i]!.blocks.length; b++) {
        const sums: number[] = [];
        let ok = true;
        for (let k = 0; k < nextActive.length && ok; k++) {
          const s = base[k]! + (rows[k]?.[b] ?? 0);
          if (ending[k]) ok = holds(rules[nextActive[k]!]!.op, s, rules[nextActive[k]!]!.rhs);
          else sums.push(s);
        }
        if (!ok) continue;
        const key = sums.join(',');
        const hit = next.get(key);
        if (hit) hit.count += st.count;
        else next.set(key, { sums, count: st.count });
      }
    }
    active = kept;
    states = next;
  }
  let total = 0n;
  for (const st of states.values()) total += st.count;
  return total;
}

/**
 * Every genome satisfying `rules`, in mixed-radix order (first node most significant). Brute force: meant for spaces
 * small enough to list, and as the reference `countGenomes` is tested against.
 */
export function* enumerateGenomes(space: SearchSpace, rules: readonly CouplingRule[] = space.rules): Generator<Genome> {
  const radix = space.nodes.map((n) => n.blocks.length);
  if (radix.some((r) => r === 0)) return;
  const g = new Array<number>(radix.length).fill(0);
  for (;;) {
    if (satisfiesRules(rules, g)) yield g.slice();
    let i = radix.length - 1;
    while (i >= 0 && ++g[i]! === radix[i]) g[i--] = 0;
    if (i < 0) return;
  }
}
