import { nb201Equivalents } from './network-form.js';
import { UserError } from '../../errors.js';
import { createSpace } from '../../space/space.js';
import type { Block, CouplingRule, Genome, SearchSpace } from '../../space/types.js';

/** NB201 op codes, in the order of the NB201 API and MathNAS. */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];
export const NONE = 0;

/** The six edges (from, to) in arch-string order: e0 0→1, e1 0→2, e2 1→2, e3 0→3, e4 1→3, e5 2→3. */
export const NB201_EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

const BLOCKS: Block[] = [
  { id: 'none', label: 'none (zero)', attrs: { op: 'none', kernel: 0 } },
  { id: 'skip_connect', label: 'skip', attrs: { op: 'skip', kernel: 0 } },
  { id: 'nor_conv_1x1', label: 'conv 1x1', attrs: { op: 'conv', kernel: 1 } },
  { id: 'nor_conv_3x3', label: 'conv 3x3', attrs: { op: 'conv', kernel: 3 } },
  { id: 'avg_pool_3x3', label: 'avg pool 3x3', attrs: { op: 'pool', kernel: 3 } },
];

export function formatNb201(g: Genome): string {
  const op = (e: number) => `${NB201_OPS[g[e]!]}~${NB201_EDGES[e]![0]}`;
  return `|${op(0)}|+|${op(1)}|${op(2)}|+|${op(3)}|${op(4)}|${op(5)}|`;
}

const ARCH_RE = /^\|(\w+)~0\|\+\|(\w+)~0\|(\w+)~1\|\+\|(\w+)~0\|(\w+)~1\|(\w+)~2\|$/;

export function parseNb201(text: string): Genome {
  const m = ARCH_RE.exec(text.trim());
  if (!m) {
    throw new UserError(
      `architecture "${text}": expected an NB201 string like |nor_conv_3x3~0|+|skip_connect~0|none~1|+|...~0|...~1|...~2|`,
    );
  }
  return m.slice(1).map((name) => {
    const code = (NB201_OPS as readonly string[]).indexOf(name);
    if (code < 0) throw new UserError(`architecture "${text}": unknown op "${name}" (one of ${NB201_OPS.join(', ')})`);
    return code;
  });
}

/**
 * The cell with every edge that lies on no input-to-output path of non-`none` edges set to `none`, or null when
 * no such path exists. An edge computes something only if its source is reachable from node 0 and its target
 * reaches node 3; otherwise its output is discarded (or is computed from zeros).
 */
export function effectiveNb201(g: Genome): Genome | null {
  const live = (e: number) => g[e] !== NONE;
  const reach = [true, false, false, false];
  for (let v = 1; v <= 3; v++) reach[v] = NB201_EDGES.some(([a, b], e) => b === v && live(e) && reach[a]!);
  if (!reach[3]) return null;
  const coreach = [false, false, false, true];
  for (let v = 2; v >= 0; v--) coreach[v] = NB201_EDGES.some(([a, b], e) => a === v && live(e) && coreach[b]!);
  return g.map((op, e) => {
    const [a, b] = NB201_EDGES[e]!;
    return op !== NONE && reach[a]! && coreach[b]! ? op : NONE;
  });
}

/** [edge is not none] as a choice term with coefficient `coef`: 1 - [edge is none]. */
const notNone = (edge: number) => ({ node: edge, block: NONE, coef: -1 });

/**
 * Clause "a ⇒ b1 ∨ b2 ∨ ..." over "edge is not none" literals, written linearly:
 * (1 - n_a) ... i.e. -[a none] ... Using y_e = 1 - [e none]: y_b1 + ... - y_a >= 0
 * ⇔ -[b1 none] - ... + [a none] >= 1 - k where k is the number of b literals.
 */
function implies(name: string, a: number, bs: readonly number[]): CouplingRule {
  return {
    name,
    terms: [{ node: a, block: NONE, coef: 1 }, ...bs.map(notNone)],
    op: '>=',
    rhs: 1 - bs.length,
  };
}

/**
 * Linear rules that hold exactly for connected cells in which every non-none edge is live (derived from the reach
 * and co-reach conditions above, in conjunctive normal form).
 */
export const NB201_EFFECTIVE_RULES: readonly CouplingRule[] = [
  implies('e0 live: 1 reaches 3 via e4 or e2', 0, [4, 2]),
  implies('e0 live: 1 reaches 3 via e4 or e5', 0, [4, 5]),
  implies('e1 live: 2 reaches 3', 1, [5]),
  implies('e2 live: 1 is reached', 2, [0]),
  implies('e2 live: 2 reaches 3', 2, [5]),
  implies('e4 live: 1 is reached', 4, [0]),
  implies('e5 live: 2 reached via e1 or e0', 5, [1, 0]),
  implies('e5 live: 2 reached via e1 or e2', 5, [1, 2]),
  {
    name: 'connected: some edge is not none',
    terms: [0, 1, 2, 3, 4, 5].map((e) => ({ node: e, block: NONE, coef: 1 })),
    op: '<=',
    rhs: 5,
  },
];

export function createNb201Space(): SearchSpace {
  return createSpace({
    name: 'nb201',
    nodes: NB201_EDGES.map(([a, b], e) => ({ id: `e${e}`, label: `edge ${a}->${b}`, blocks: BLOCKS })),
    format: formatNb201,
    parse: parseNb201,
    effective: effectiveNb201,
    effectiveRules: NB201_EFFECTIVE_RULES,
    equivalents: nb201Equivalents,
  });
}
