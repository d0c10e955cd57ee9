import { UserError } from '../errors.js';
import { createSpace } from '../space/space.js';
import type { Block, CouplingRule, SearchSpace } from '../space/types.js';
import type { LayerType } from './features.js';

/**
 * NAS-Bench-101 (Ying et al., ICML 2019): a cell of at most 7 vertices (input, up to 5 op vertices, output) with an
 * upper-triangular adjacency matrix of at most 9 edges, ops from conv3x3-bn-relu, conv1x1-bn-relu, maxpool3x3.
 */
export const NB101_VERTICES = 7;
export const NB101_MAX_EDGES = 9;

/**
 * Distinct trained cells after pruning vertices off every input-output path and merging isomorphic graphs (by the
 * NB101 graph hash), as published in the NAS-Bench-101 paper, section 2.1 ("423,624 unique cells"). Not recomputed
 * here: it needs the NB101 hashing of ~700k adjacency matrices times 3^5 labellings.
 */
export const NB101_UNIQUE_PUBLISHED = 423_624n;

const EDGE: Block[] = [
  { id: '0', label: 'no edge', attrs: { op: 'none' } },
  { id: '1', label: 'edge', attrs: { op: 'edge' } },
];
const NB101_OPS = ['conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3'] as const;
const OP: Block[] = NB101_OPS.map((id) => ({ id, label: id, attrs: { op: id } }));

/**
 * The NB101 encoding space: one node per upper-triangular adjacency entry and one per op vertex, with the ≤ 9 edge
 * limit as a coupling rule. Its genomes are the labelled matrices the NB101 generator starts from, before pruning
 * and isomorphism merging; `countGenomes` gives their number exactly.
 */
export function createNb101EncodingSpace(): SearchSpace {
  const edges: [number, number][] = [];
  for (let i = 0; i < NB101_VERTICES; i++) for (let j = i + 1; j < NB101_VERTICES; j++) edges.push([i, j]);
  const edgeRule: CouplingRule = {
    name: `at most ${NB101_MAX_EDGES} edges`,
    terms: edges.map((_, node) => ({ node, block: 1, coef: 1 })),
    op: '<=',
    rhs: NB101_MAX_EDGES,
  };
  return createSpace({
    name: 'nb101-encoding',
    nodes: [
      ...edges.map(([i, j]) => ({ id: `e${i}${j}`, label: `edge ${i}->${j}`, blocks: EDGE })),
      ...Array.from({ length: NB101_VERTICES - 2 }, (_, v) => ({ id: `v${v + 1}`, label: `vertex ${v + 1}`, blocks: OP })),
    ],
    rules: [edgeRule],
  });
}

const LAYER: Readonly<Record<string, LayerType>> = {
  'conv3x3-bn-relu': 'conv3x3',
  'conv1x1-bn-relu': 'conv1x1',
  maxpool3x3: 'max_pool3x3',
};

export interface Nb101Cell {
  readonly matrix: readonly (readonly number[])[];
  readonly ops: readonly string[];
}

/** Parses NASLib's `{matrix, ops}` JSON, checking the shape so that a bad row fails with its text, not an index error. */
export function parseNb101(text: string): Nb101Cell {
  let cell: unknown;
  try {
    cell = JSON.parse(text);
  } catch {
    throw new UserError(`NB101 architecture "${text.slice(0, 60)}": not JSON`);
  }
  const { matrix, ops } = (cell ?? {}) as { matrix?: unknown; ops?: unknown };
  const names = Array.isArray(ops) ? (ops as unknown[]) : [];
  const n = names.length;
  const square =
    Array.isArray(matrix) && matrix.length === n && matrix.every((r) => Array.isArray(r) && r.length === n);
  if (!square || n < 2 || names[0] !== 'input' || names[n - 1] !== 'output') {
    throw new UserError(`NB101 architecture "${text.slice(0, 60)}": expected {matrix: n×n, ops: [input, ..., output]}`);
  }
  return { matrix: matrix as number[][], ops: names.map(String) };
}

/** Number of edges of a parsed cell (NB101 allows at most 9). */
export function nb101Edges(cell: Nb101Cell): number {
  return cell.matrix.reduce((s, row) => s + row.reduce((a, x) => a + (x ? 1 : 0), 0), 0);
}

/**
 * Op layers of the vertices on some input-to-output path. NB101 prunes the others before building the network, so
 * they are not layers of the trained model.
 */
export function nb101Layers(text: string): LayerType[] {
  const { matrix, ops } = parseNb101(text);
  const n = ops.length;
  const reach = ops.map((_, v) => v === 0);
  for (let v = 1; v < n; v++) reach[v] = matrix.some((row, u) => u < v && reach[u]! && row[v] === 1);
  const coreach = ops.map((_, v) => v === n - 1);
  for (let v = n - 2; v >= 0; v--) coreach[v] = matrix[v]!.some((x, w) => w > v && x === 1 && coreach[w]!);
  const layers: LayerType[] = [];
  for (let v = 1; v < n - 1; v++) {
    if (!reach[v] || !coreach[v]) continue;
    const t = LAYER[ops[v]!];
    if (!t) throw new UserError(`NB101 architecture: unknown op "${ops[v]}" (one of ${NB101_OPS.join(', ')})`);
    layers.push(t);
  }
  return layers;
}
