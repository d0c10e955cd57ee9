import { UserError } from '../errors.js';
import type { Genome, SearchSpace } from '../space/types.js';
import type { BlockTable, MetricTable } from '../core/block-table.js';
import { applyLink } from './link.js';
import { additive, pairSum } from '../core/additive.js';

export function predictMetric(t: MetricTable, space: SearchSpace, g: Genome): number {
  let eff: Genome | null = g;
  if (t.graph) {
    if (!space.effective) throw new UserError(`space ${space.name} has no graph semantics for a graph-aware table`);
    eff = space.effective(g);
    if (eff === null) return t.graph.disconnected;
    if (t.graph.form === 'drawn') eff = g;
  }
  let sum = pairSum(t.pairs, eff);
  for (let i = 0; i < eff.length; i++) sum += t.values[i]![eff[i]!]!;
  const score = t.scale ? t.intercept + (t.scale.reference * sum) / additive(t.scale.denominator, g) : t.intercept + sum;
  return t.link ? applyLink(t.link, score) : score;
}

export function predict(table: BlockTable, space: SearchSpace, g: Genome): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of table.metrics) out[t.metric] = predictMetric(t, space, g);
  return out;
}

/** Checks that a table fits a space (node and block counts) before it is used. */
export function checkTableFits(table: BlockTable, space: SearchSpace): void {
  if (table.space !== space.name) throw new UserError(`block table is for space "${table.space}", not "${space.name}"`);
  for (const t of table.metrics) {
    const ok =
      t.values.length === space.nodes.length && t.values.every((row, i) => row.length === space.nodes[i]!.blocks.length);
    if (!ok) throw new UserError(`block table metric ${t.metric}: values do not match the ${space.name} nodes and blocks`);
  }
}
