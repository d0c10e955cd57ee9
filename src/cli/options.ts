import { Option, type Command } from 'commander';
import { TARGETS } from '../targets/registry.js';

/** Each space's default for a field, for help texts: "nb201 imagenet16-120, mobilenetv3 imagenet, ...". */
export function perSpace(field: 'dataset' | 'device', capability: 'search' | 'evolve' = 'search'): string {
  const named = TARGETS.filter((t) => t.defaults[field] !== undefined && t.capabilities.includes(capability)).map((t) => `${t.name} ${t.defaults[field]}`);
  const fromTable = TARGETS.filter((t) => t.kind === 'builtin').map((t) => t.name);
  const own = capability === 'search' ? "its table's" : 'its evaluation settings';
  return `default per space: ${named.join(', ')}${fromTable.length ? `; ${fromTable.join(', ')}: ${own}` : ''}`;
}

/** Flags shared by the commands that need a benchmark and a block table. */
export function withCommon(cmd: Command, { table = true } = {}): Command {
  cmd
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--dataset <name>', `dataset whose accuracy is predicted (${perSpace('dataset')})`)
    .option('--device <name>', `device whose latency (and energy) is predicted (${perSpace('device')})`)
    .option('--estimator <name>', 'block estimator: mathnas, mathnas-sampled, regression (default: regression)')
    .option('--budget <n>', 'cap on distinct evaluated networks when estimating')
    .option('--seed <n>', 'random seed (default 0)')
    .addOption(new Option('--no-graph', 'predict without the cell-graph semantics (MathNAS as published)'))
    .option('--json', 'machine-readable JSON output');
  if (table) cmd.option('--table <file>', 'block table from `blocknas estimate` (default: estimate now)');
  return cmd;
}

/** Flags of the commands that evaluate a built-in space's networks here (estimate, evolve). */
export function withBuiltinFlags(cmd: Command): Command {
  return cmd
    .option('--evaluator <kind>', 'built-in spaces: how accuracy is measured: supernet (weight sharing, default) or train (every network from scratch)')
    .option('--epochs <n>', 'built-in spaces: training epochs (super-network, or each network)')
    .option('--train-size <n>', 'built-in spaces: training images used')
    .option('--val-size <n>', 'built-in spaces: validation images accuracy is measured on')
    .option('--test-size <n>', 'built-in spaces: test images (reported only)')
    .option('--calibration-images <n>', 'built-in spaces: training images BN statistics are recomputed on')
    .option('--random-subnets <n>', 'built-in spaces, supernet: random sub-networks per step besides the largest and smallest')
    .option('--repeats <n>', 'built-in spaces: timed runs per network for latency')
    .option('--workers <n>', 'built-in spaces: worker threads for accuracy evaluations (default: one per core; latency is always timed in the main thread)');
}
