import { UserError } from '../errors.js';
import type { BlockNode, CouplingRule, Genome, SearchSpace } from './types.js';

export interface SpaceOptions {
  name: string;
  nodes: readonly BlockNode[];
  rules?: readonly CouplingRule[];
  format?: (g: Genome) => string;
  parse?: (text: string) => Genome;
  effective?: (g: Genome) => Genome | null;
  effectiveRules?: readonly CouplingRule[];
  equivalents?: (g: Genome) => readonly Genome[];
}

/** Builds a search space; the default string form is the block ids joined by ':' in node order. */
export function createSpace(options: SpaceOptions): SearchSpace {
  const { name, nodes } = options;
  const format = options.format ?? ((g: Genome) => g.map((b, i) => nodes[i]!.blocks[b]!.id).join(':'));
  const parse =
    options.parse ??
    ((text: string): Genome => {
      const parts = text.split(':');
      if (parts.length !== nodes.length) {
        throw new UserError(`architecture "${text}": expected ${nodes.length} block ids separated by ':'`);
      }
      return parts.map((id, i) => {
        const b = nodes[i]!.blocks.findIndex((blk) => blk.id === id);
        if (b < 0) {
          const ids = nodes[i]!.blocks.map((blk) => blk.id).join(', ');
          throw new UserError(`architecture "${text}": node ${nodes[i]!.id} has no block "${id}" (one of ${ids})`);
        }
        return b;
      });
    });
  const space: SearchSpace = {
    name,
    nodes,
    rules: options.rules ?? [],
    format,
    parse,
    ...(options.effective ? { effective: options.effective } : {}),
    ...(options.effectiveRules ? { effectiveRules: options.effectiveRules } : {}),
    ...(options.equivalents ? { equivalents: options.equivalents } : {}),
  };
  return space;
}

/** Number of choices per node. */
export function radices(space: SearchSpace): number[] {
  return space.nodes.map((n) => n.blocks.length);
}

/** Size of the unconstrained product space, exact. */
export function productSize(space: SearchSpace): bigint {
  return space.nodes.reduce((acc, n) => acc * BigInt(n.blocks.length), 1n);
}

export function ruleHolds(rule: CouplingRule, g: Genome): boolean {
  let lhs = 0;
  for (const t of rule.terms) if (g[t.node] === t.block) lhs += t.coef;
  const eps = 1e-9;
  if (rule.op === '<=') return lhs <= rule.rhs + eps;
  if (rule.op === '>=') return lhs >= rule.rhs - eps;
  return Math.abs(lhs - rule.rhs) <= eps;
}

export function satisfiesRules(rules: readonly CouplingRule[], g: Genome): boolean {
  return rules.every((r) => ruleHolds(r, g));
}

export function isValidGenome(space: SearchSpace, g: Genome): boolean {
  return (
    g.length === space.nodes.length &&
    g.every((b, i) => Number.isInteger(b) && b >= 0 && b < space.nodes[i]!.blocks.length) &&
    satisfiesRules(space.rules, g)
  );
}

/** Mixed-radix rank of a genome, the first node most significant. */
export function genomeRank(radix: readonly number[], g: Genome): number {
  let r = 0;
  for (let i = 0; i < radix.length; i++) r = r * radix[i]! + g[i]!;
  return r;
}

export function genomeFromRank(radix: readonly number[], rank: number): number[] {
  const g = new Array<number>(radix.length);
  for (let i = radix.length - 1; i >= 0; i--) {
    g[i] = rank % radix[i]!;
    rank = Math.floor(rank / radix[i]!);
  }
  return g;
}

/** Every genome of the product space in rank order (callers filter by rules). */
export function* allGenomes(radix: readonly number[]): Generator<number[]> {
  const g = radix.map(() => 0);
  const m = radix.length;
  if (radix.some((r) => r === 0)) return;
  while (true) {
    yield g.slice();
    let i = m - 1;
    while (i >= 0 && ++g[i]! === radix[i]!) g[i--] = 0;
    if (i < 0) return;
  }
}

export function genomeKey(g: Genome): string {
  return g.join(',');
}

/**
 * Accepts architectures that are their own effective form (every block can reach the output), for spaces with
 * graph semantics. A base network with a dead block would measure nothing when that block is switched.
 */
export function isOwnEffectiveForm(space: SearchSpace): ((g: Genome) => boolean) | undefined {
  if (!space.effective) return undefined;
  return (g) => {
    const e = space.effective!(g);
    return e !== null && e.every((b, i) => b === g[i]);
  };
}
