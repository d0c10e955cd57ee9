import { Option, type Command } from 'commander';

/** Flags shared by the commands that need a benchmark and a block table. */
export function withCommon(cmd: Command, { table = true } = {}): Command {
  cmd
    .option('--data-dir <dir>', 'benchmark data directory (default: $BLOCKNAS_DATA)')
    .option('--dataset <name>', 'dataset whose accuracy is predicted (default: imagenet16-120)')
    .option('--device <name>', 'device whose latency (and energy) is predicted (default: fpga)')
    .option('--estimator <name>', 'block estimator: mathnas, mathnas-sampled, regression (default: regression)')
    .option('--budget <n>', 'cap on distinct evaluated networks when estimating')
    .option('--seed <n>', 'random seed: sampling estimators, and the simulated device of switch (default 0)')
    .addOption(new Option('--no-graph', 'predict without the cell-graph semantics (MathNAS as published)'))
    .option('--json', 'machine-readable JSON output');
  if (table) cmd.option('--table <file>', 'block table from `blocknas estimate` (default: estimate now)');
  return cmd;
}
