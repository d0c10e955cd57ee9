import { ANALYSIS_SPACES } from '../analysis/spaces.js';
import type { TargetEntry } from './types.js';

/**
 * Spaces blocknas knows only through published results, for the pre-search analysis (`analyze`); spaces that are
 * also searched (nb201, MathNAS's tables) are analysed under their own entry.
 */
export function analysisOnlyTargets(searched: ReadonlySet<string>): TargetEntry[] {
  return ANALYSIS_SPACES.filter((s) => !searched.has(s.name)).map((s) => ({
    name: s.name,
    kind: 'analysis',
    description: `${s.description} (published results, for the pre-search analysis)`,
    files: s.files,
    defaults: {},
    capabilities: ['analyze'],
  }));
}
