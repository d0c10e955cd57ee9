import type { TabularBenchmark } from '../core/tabular-benchmark.js';
import type { EvolveTarget } from '../evolve/target.js';
import type { BlockTable } from '../core/block-table.js';
import type { Measure } from '../search/verify.js';
import type { SearchSpace } from '../space/types.js';

/**
 * Where a target's numbers come from, which decides what can be done with it:
 * - builtin: networks blocknas builds, trains and times itself, no data directory;
 * - tabular: a benchmark with every architecture's metrics (ground truth);
 * - published-table: a block table released with a paper, predictions only;
 * - predictor: a published accuracy predictor and latency tables, too large a space to enumerate;
 * - analysis: published results of a space, read for the pre-search analysis only;
 * - file: a user's own space, declared in a space file and evaluated by their own command.
 */
export type TargetKind = 'builtin' | 'tabular' | 'published-table' | 'predictor' | 'analysis' | 'file';

/** The commands (and library calls) a target can serve. */
export type Capability = 'estimate' | 'predict' | 'search' | 'switch' | 'validate' | 'evolve' | 'analyze';

export interface TargetDefaults {
  /** The dataset bare accuracy refers to; undefined where the table or data decides. */
  readonly dataset?: string;
  /** The device limits refer to; undefined where the table or data decides. */
  readonly device?: string;
}

/** What every registry entry says about itself without opening anything. */
export interface TargetInfo {
  readonly name: string;
  readonly kind: TargetKind;
  readonly description: string;
  /** Files it reads from the data directory (relative to it); empty for built-ins. */
  readonly files: readonly string[];
  readonly defaults: TargetDefaults;
  readonly capabilities: readonly Capability[];
}

/** Options every target opens with; a field a target does not take is refused with its name. */
export interface OpenOptions {
  readonly dataDir?: string;
  readonly dataset?: string;
  /** One device, or several separated by commas (the first is the one a latency limit names). */
  readonly device?: string;
  /** A block table file to use instead of estimating or loading the target's own. */
  readonly table?: string;
  /** Estimation when the target estimates its table on opening (tabular benchmarks). */
  readonly estimator?: string;
  readonly budget?: number;
  readonly seed?: number;
  readonly graphAware?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A space with its block table and the metric names of the chosen dataset and device: what prediction, search and
 * switching work on. `bench` (every architecture's true metrics) exists only for tabular benchmarks.
 */
export interface TableTarget {
  readonly name: string;
  readonly space: SearchSpace;
  readonly bench?: TabularBenchmark;
  readonly dataset: string;
  readonly device?: string;
  readonly accuracy: string;
  readonly latency?: string;
  readonly energy?: string;
  readonly flops?: string;
  readonly table: BlockTable;
  readonly units: Readonly<Record<string, string>>;
  /** Measures costs, so that a search can verify its answer's costs. */
  readonly measure?: Measure;
  /**
   * How `measure` gets a cost: 'lookup' (a tabular benchmark, free), 'timing' (on this machine: the table's own
   * timings, taken elsewhere or on another scale, are not reused as measurements) or 'command' (the user's trainer,
   * as slow as an evaluation). Only a lookup is cheap enough to verify by default.
   */
  readonly measuredBy?: 'lookup' | 'timing' | 'command';
}

/** An evolutionary-search target with the dataset and device that bare objective names refer to. */
export interface OpenedEvolveTarget {
  readonly target: EvolveTarget;
  readonly dataset: string;
  readonly device: string;
}

/** One registry entry: a space with its data, evaluators and defaults. A new space is one new entry. */
export interface TargetEntry extends TargetInfo {
  /** The block table a search or prediction works on. */
  openTable?(o: OpenOptions): Promise<TableTarget>;
  /** What evolutionary search runs on (tabular and predictor targets; built-ins build theirs from settings). */
  openEvolve?(o: OpenOptions): OpenedEvolveTarget;
  /** Ground truth for every architecture (tabular targets). */
  benchmark?(dataDir: string): TabularBenchmark;
  /** What `spaces` reports once the data is there: nodes, size, datasets, devices. */
  describe?(dataDir: string | undefined): TargetDetails;
}

export interface TargetDetails {
  readonly nodes: number;
  readonly size: number;
  readonly datasets: readonly string[];
  readonly devices: readonly string[];
  readonly metrics?: readonly { readonly id: string; readonly unit: string; readonly source: string }[];
}
