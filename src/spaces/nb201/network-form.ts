import type { Genome } from '../../space/types.js';
import { enumerateGenomes } from '../../space/count.js';
import { createNb201Space, NB201_EDGES, NB201_OPS, NONE } from './space.js';

// space.ts imports this module for its `equivalents`, so nothing from space.ts is read before a call.
const skip = () => NB201_OPS.indexOf('skip_connect');

/**
 * Function-level canonical form: the output as a multiset of terms, where `none` and ops on an all-zero input drop
 * out, `skip_connect` contributes its input's terms, and every other op is op(canonical input). Multisets are sorted
 * term lists, so the form is invariant under any relabelling of the intermediate nodes. It identifies strictly more
 * cells than the NATS rule (every NATS class lies inside one of these classes).
 */
export function functionalForm(g: Genome): string {
  const nodes: string[][] = [['x']];
  for (let v = 1; v <= 3; v++) {
    const terms: string[] = [];
    NB201_EDGES.forEach(([from, to], e) => {
      const input = nodes[from]!;
      if (to !== v || g[e] === NONE || input.length === 0) return;
      if (g[e] === skip()) terms.push(...input);
      else terms.push(`${NB201_OPS[g[e]!]}(${input.join('+')})`);
    });
    nodes.push(terms.sort());
  }
  return nodes[3]!.join('+');
}

/**
 * The same network: the same function (`functionalForm`) built from the same number of each op, dead ones included
 * (they still run). It separates what `functionalForm` merges when one op's output reaches the output along two skip
 * paths (conv(x) twice from one conv, or from two convs with their own weights), so a class holds cells with the
 * same ops and so the same cost; it still merges cells that differ only in where skips route a signal, such as the
 * four single-path identity cells. NB201 trained every cell separately, so accuracies within a class differ by
 * training noise alone.
 */
export function networkForm(g: Genome): string {
  const counts = NB201_OPS.flatMap((_, op) => (op === NONE || op === skip() ? [] : [g.filter((v) => v === op).length]));
  return `${functionalForm(g)}|${counts.join(',')}`;
}

let classes: Map<string, Genome[]> | undefined;

/**
 * The other cells that build the same network as `g` (same `networkForm`), over the whole space; none for a cell
 * that computes nothing. The index is built on first use: 15,625 cells, a few tens of milliseconds.
 */
export function nb201Equivalents(g: Genome): Genome[] {
  const form = networkForm(g);
  if (form.startsWith('|')) return [];
  if (!classes) {
    classes = new Map();
    for (const cell of enumerateGenomes(createNb201Space())) {
      const key = networkForm(cell);
      const members = classes.get(key);
      if (members) members.push(cell);
      else classes.set(key, [cell]);
    }
  }
  return (classes.get(form) ?? []).filter((c) => c.some((v, e) => v !== g[e]));
}
