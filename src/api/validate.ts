import { fieldError } from '../errors.js';
import { validateTable, type MetricValidation } from '../predict/validate-table.js';
import type { TableTarget } from '../targets/types.js';
import { openTarget, type OpenTargetOptions } from './open-target.js';

export interface ValidateOptions extends Omit<OpenTargetOptions, 'for'> {
  /** A tabular registry space, or a target already opened with its ground truth. */
  readonly space: string | TableTarget;
}

/** Rank correlation and error of every metric of a block table against a tabular benchmark's truth, as `blocknas validate`. */
export async function validate(o: ValidateOptions): Promise<{ readonly target: TableTarget; readonly metrics: MetricValidation[] }> {
  const { space, ...open } = o;
  const t = typeof space === 'string' ? await openTarget(space, { ...open, for: 'validate' }) : space;
  if (!t.bench) throw fieldError('space', `space ${t.name} has no ground truth to validate against (it is not a tabular benchmark)`);
  return { target: t, metrics: validateTable(t.table, t.bench) };
}
