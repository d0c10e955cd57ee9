import { ruleHolds } from '../space/space.js';
import type { CouplingRule, SearchSpace } from '../space/types.js';

/**
 * Exact number of architectures that satisfy the space's rules, by dynamic programming over nodes in order. The
 * state is the blocks of the "open" nodes: those already chosen that some rule still needs because it also
 * involves a later node. A rule is checked at its last node, when all of its nodes are chosen. The MathNAS spaces
 * keep at most one node open (the previous decoder layer; the resolution node), so this is instant where
 * enumeration (1.0·10^14 SuperTransformers) is not. Exponential in the number of open nodes in general.
 */
export function countArchitectures(space: SearchSpace, rules: readonly CouplingRule[] = space.rules): bigint {
  const n = space.nodes.length;
  const lastNode = rules.map((r) => Math.max(...r.terms.map((t) => t.node)));
  const checkAt: CouplingRule[][] = Array.from({ length: n }, () => []);
  rules.forEach((r, k) => {
    if (r.terms.length === 0) return;
    checkAt[lastNode[k]!]!.push(r);
  });
  // Node i stays open after step k while a rule that involves it is checked at a later node.
  const openAfter = (k: number) =>
    Array.from({ length: k + 1 }, (_, i) => i).filter((i) =>
      rules.some((r, j) => lastNode[j]! > k && r.terms.some((t) => t.node === i)),
    );
  // A rule with no terms holds or fails for every architecture alike.
  if (!rules.every((r) => r.terms.length > 0 || ruleHolds(r, []))) return 0n;
  const scratch = new Array<number>(n).fill(-1);
  let open: number[] = [];
  let states = new Map<string, { blocks: number[]; count: bigint }>([['', { blocks: [], count: 1n }]]);
  for (let k = 0; k < n; k++) {
    const nextOpen = openAfter(k);
    const next = new Map<string, { blocks: number[]; count: bigint }>();
    for (const { blocks, count } of states.values()) {
      open.forEach((node, i) => (scratch[node] = blocks[i]!));
      for (let b = 0; b < space.nodes[k]!.blocks.length; b++) {
        scratch[k] = b;
        if (!checkAt[k]!.every((r) => ruleHolds(r, scratch))) continue;
        const kept = nextOpen.map((node) => scratch[node]!);
        const key = kept.join(',');
        const s = next.get(key);
        if (s) s.count += count;
        else next.set(key, { blocks: kept, count });
      }
    }
    open = nextOpen;
    states = next;
  }
  let total = 0n;
  for (const s of states.values()) total += s.count;
  return total;
}
