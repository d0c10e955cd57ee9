import type { SpaceFile } from './space.js';
import { combineEvaluators } from '../../eval/combine.js';
import { createExternalEvaluator, type ExternalEvaluatorOptions } from '../../eval/external.js';
import type { Evaluator } from '../../core/metrics.js';

export type SpaceFileEvaluatorOptions = Omit<ExternalEvaluatorOptions, 'space' | 'metrics'>;

/**
 * The evaluator of a space file (space.ts): the trainer command reports the measured metrics through the
 * external protocol (external.ts, with its timeout, retries and failure policy), and the metrics with per-block
 * costs are summed here. A failed architecture keeps its failure mark (eval/failure.ts) and its computed costs.
 */
export function createSpaceFileEvaluator(sf: SpaceFile, options: SpaceFileEvaluatorOptions): Evaluator {
  const external = createExternalEvaluator({ ...options, space: sf.space, metrics: sf.metrics.filter((m) => m.source === 'measured') });
  // The computed metrics last: what the space file says a block costs wins over anything extra the trainer prints.
  return sf.analytic ? combineEvaluators(external.name, [external, sf.analytic]) : external;
}

/**
 * The store key of a space file's evaluations: two runs share evaluations exactly when the space's definition (its
 * fingerprint), the command and the measured metrics agree. Anything else that changes the trainer's answers (a
 * seed or dataset passed in the command line, an environment variable) belongs in `extra`.
 */
export function spaceFileEvaluatorKey(sf: SpaceFile, command: string | readonly string[], extra = ''): string {
  const cmd = typeof command === 'string' ? command : JSON.stringify(command);
  return `space-file:${sf.space.name}:${sf.fingerprint}:${sf.measured.join(',')}:${cmd}${extra ? `:${extra}` : ''}`;
}
