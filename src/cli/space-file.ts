import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { findTarget, targetNames } from '../targets/registry.js';
import { spaceFileEntry, type SpaceFileEvaluation } from '../targets/space-file.js';
import type { Capability, TargetEntry } from '../targets/types.js';

export interface SpaceFileFlags {
  spaceFile?: string;
  evaluator?: string;
  command?: string;
  mode?: string;
  timeout?: string;
  retries?: string;
}

/** Flags of the commands that take a user's own space (estimate, search, evolve). */
export function withSpaceFile(cmd: Command, { evaluator = false } = {}): Command {
  cmd
    .option('--space-file <file>', 'your own space, declared in a JSON space file (examples/own-space), instead of a space name')
    .option('--command <cmd>', 'with --space-file: the trainer, run through the external protocol (--evaluator external)')
    .option('--mode <mode>', 'with --command: per-arch (one process per network, default) or batch (one process, JSON lines)')
    .option('--timeout <s>', 'with --command: seconds per evaluation before the process group is killed and the network failed')
    .option('--retries <n>', 'with --command: further tries of a failed evaluation (default 0)');
  if (evaluator) cmd.option('--evaluator <kind>', 'with --space-file: external (the only evaluator of a space file)');
  return cmd;
}

/** The trainer settings of a space file from the flags; failures are printed as they happen (and told to `extra.onFailure`). */
function evaluation(opts: SpaceFileFlags, extra: Partial<SpaceFileEvaluation>): SpaceFileEvaluation {
  if (opts.mode !== undefined && opts.mode !== 'per-arch' && opts.mode !== 'batch') throw new UserError(`--mode: expected per-arch or batch, got "${opts.mode}"`);
  const timeout = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeout !== undefined && !(timeout > 0 && Number.isFinite(timeout))) throw new UserError(`--timeout: expected a positive number of seconds, got "${opts.timeout}"`);
  const retries = opts.retries === undefined ? undefined : Number(opts.retries);
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) throw new UserError(`--retries: expected an integer >= 0, got "${opts.retries}"`);
  return {
    ...(opts.command !== undefined ? { command: opts.command } : {}),
    ...(opts.mode ? { mode: opts.mode as 'per-arch' | 'batch' } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...extra,
    onFailure: (f) => {
      extra.onFailure?.(f);
      process.stderr.write(`blocknas: failed, recorded and skipped: ${f.reason}${f.attempts > 1 ? ` (${f.attempts} tries)` : ''}\n`);
    },
  };
}

/**
 * The registry entry a command works on: the named space, or with --space-file the user's own (not both). The
 * trainer flags belong to a space file only.
 */
export function openEntry(space: string | undefined, opts: SpaceFileFlags, capability: Capability, extra: Partial<SpaceFileEvaluation> = {}): TargetEntry {
  if (opts.spaceFile === undefined) {
    const stray = (['command', 'mode', 'timeout', 'retries'] as const).find((f) => opts[f] !== undefined);
    if (stray) throw new UserError(`--${stray}: only with --space-file (a space of your own, evaluated by your command)`);
    if (opts.evaluator === 'external') throw new UserError('--evaluator: external needs --space-file (the space your command evaluates)');
    if (space === undefined) throw new UserError('give a space name or --space-file');
    return findTarget(space, capability);
  }
  if (space !== undefined) throw new UserError(`--space-file: give either a space name ("${space}") or --space-file, not both`);
  if (opts.evaluator !== undefined && opts.evaluator !== 'external') throw new UserError(`--evaluator: a space file is evaluated by its command (external), not "${opts.evaluator}"`);
  return spaceFileEntry(opts.spaceFile, evaluation(opts, extra), targetNames());
}
