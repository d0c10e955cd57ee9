import { productSize } from '../space/space.js';
import { countGenomes } from '../space/count.js';
import { createDartsSpace } from './darts.js';
import { createNb101EncodingSpace, NB101_MAX_EDGES, NB101_UNIQUE_PUBLISHED } from './nb101.js';
import { nb201Classes } from './nb201-iso.js';
import { createTnbMacroSpace, createTnbMicroSpace } from './tnb101.js';

/** How big a space is, with how each number was obtained; `unique` is null (with the reason) where nobody knows. */
export interface SizeInfo {
  readonly total: bigint;
  readonly totalHow: string;
  readonly unique: bigint | null;
  readonly uniqueHow: string;
  /** Other counts of distinct architectures under other equivalence rules, for comparison. */
  readonly alternatives?: Readonly<Record<string, number>>;
  readonly references: readonly string[];
}

export function nb101Size(): SizeInfo {
  return {
    total: countGenomes(createNb101EncodingSpace()),
    totalHow: `labelled encodings: 7×7 upper-triangular adjacency with at most ${NB101_MAX_EDGES} edges × 3 ops on 5 vertices, counted exactly under the edge rule (before pruning and isomorphism)`,
    unique: NB101_UNIQUE_PUBLISHED,
    uniqueHow: 'published: distinct cells after pruning and graph-hash isomorphism merging (not recomputed)',
    references: ['Ying et al., NAS-Bench-101: Towards Reproducible Neural Architecture Search, ICML 2019, section 2.1'],
  };
}

let nb201ClassCache: ReturnType<typeof nb201Classes> | undefined;

export function nb201Size(): SizeInfo {
  // Enumerating all cells takes a few hundred ms; the analysis asks twice (size, then the data check).
  const c = (nb201ClassCache ??= nb201Classes());
  return {
    total: c.cells,
    totalHow: '5 ops on each of 6 edges: 5^6 cells',
    unique: BigInt(c.nats),
    uniqueHow:
      "computed: distinct NATS-Bench unique strings (to_unique_str with consider_zero: none/zero inputs give zero, skip passes its input, node terms sorted), the rule behind the benchmark's iso_class",
    alternatives: { functionalEquivalence: c.functional, labelledDagIsomorphism: c.graph },
    references: [
      'Dong & Yang, NAS-Bench-201, ICLR 2020; Dong et al., NATS-Bench, TPAMI 2021 (AutoDL-Projects CellStructure.to_unique_str)',
    ],
  };
}

export function nb301Size(): SizeInfo {
  return {
    total: productSize(createDartsSpace()),
    totalHow: '(Π_{k=0..3} C(k+2,2)·7²)² = (180·7^8)²: per cell, 4 nodes each choosing 2 distinct inputs and an op for each; normal and reduction cells independent',
    unique: null,
    uniqueHow:
      'not available: the count includes cells that differ only in the order of interchangeable intermediate nodes, and no exact isomorphism count of the DARTS space is published',
    references: [
      'Liu et al., DARTS, ICLR 2019 (cell definition)',
      'Siems et al. 2020 / Zela et al., ICLR 2022, NAS-Bench-301 ("10^18 architectures")',
    ],
  };
}

export function tnbMicroSize(): SizeInfo {
  return {
    total: productSize(createTnbMicroSpace()),
    totalHow: '4 ops (none, skip, conv1x1, conv3x3) on each of 6 cell edges: 4^6 cells',
    unique: null,
    uniqueHow:
      "not available: the NB201 rule does not carry over, since edges out of a TNB cell's input node are strided (skip becomes a factorised reduction) in the downsampling modules, and no TNB isomorphism count is published",
    references: ['Duan et al., TransNAS-Bench-101, CVPR 2021 (4,096 cell-level architectures)'],
  };
}

export function tnbMacroSize(): SizeInfo {
  const total = countGenomes(createTnbMacroSpace());
  return {
    total,
    totalHow: 'module chains of length 4–6 over 4 module types with 1–4 downsamplings and 1–3 channel doublings, counted exactly under those coupling rules',
    unique: total,
    uniqueHow: 'every encoding is a distinct linear chain of modules, so no two encodings build the same network',
    references: ['Duan et al., TransNAS-Bench-101, CVPR 2021 (7,352 backbones = 4,096 cell-level + 3,256 macro-level)'],
  };
}
