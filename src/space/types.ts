/** One alternative for a block node: an operation with its attributes (op, kernel, FLOPs, params, ...). */
export interface Block {
  readonly id: string;
  readonly label: string;
  readonly attrs: Readonly<Record<string, string | number>>;
}

/** A position in the network that is filled by exactly one of its blocks. */
export interface BlockNode {
  readonly id: string;
  readonly label: string;
  readonly blocks: readonly Block[];
}

/** An architecture: the chosen block index for every node, in node order. */
export type Genome = readonly number[];

/** Indicator of "node `node` uses block `block`", weighted by `coef`. */
export interface ChoiceTerm {
  readonly node: number;
  readonly block: number;
  readonly coef: number;
}

/**
 * A linear rule over choice indicators: Σ coef·[g[node] = block] (op) rhs. Rules couple nodes, e.g. "layer k may
 * only be used when layer k-1 is", and go straight into the integer program as constraints.
 */
export interface CouplingRule {
  readonly name: string;
  readonly terms: readonly ChoiceTerm[];
  readonly op: '<=' | '>=' | '=';
  readonly rhs: number;
}

export interface SearchSpace {
  readonly name: string;
  readonly nodes: readonly BlockNode[];
  /** Rules every valid architecture satisfies. */
  readonly rules: readonly CouplingRule[];
  /** Canonical string form of an architecture. */
  format(genome: Genome): string;
  /** Inverse of `format`; throws UserError on a malformed string. */
  parse(text: string): Genome;
  /**
   * Optional graph semantics: the architecture with blocks that cannot influence the output replaced by the node's
   * null block, or `null` when the network computes nothing from its input (no input-to-output path).
   */
  effective?(genome: Genome): Genome | null;
  /**
   * Rules that hold exactly for the architectures that are their own effective form and are connected. Searching
   * under them loses nothing when dead blocks only add cost, and makes graph-aware predictions linear.
   */
  readonly effectiveRules?: readonly CouplingRule[];
  /**
   * Optional: the other architectures that build the same network (the same function from the same blocks, as
   * NB201 cells that differ only in where skips route a signal). A measurement of one says what the others would
   * measure up to training noise, which surrogates use (src/surrogate/equivalents.ts).
   */
  equivalents?(genome: Genome): readonly Genome[];
}
