import { UserError } from '../../errors.js';
import type { Oracle } from '../../eval/oracle.js';
import type { Metrics } from '../../core/metrics.js';
import type { Genome, SearchSpace } from '../../space/types.js';
import { disconnectedNetwork } from './design.js';

/**
 * Graph awareness costs one extra network: the accuracy of a disconnected architecture stands in for all of
 * them (NB201: chance level, whatever the dead edges hold).
 */
export async function disconnectedAccuracy(space: SearchSpace, oracle: Oracle, metric: string): Promise<number> {
  return (await disconnectedMetrics(space, oracle))?.metrics[metric] ?? NaN;
}

/** The one disconnected network evaluated, with every metric (cost tables need its costs too); null if none exists. */
export async function disconnectedMetrics(space: SearchSpace, oracle: Oracle): Promise<{ genome: Genome; metrics: Metrics } | null> {
  if (!space.effective) throw new UserError(`space ${space.name} has no graph semantics: drop the graph-aware option`);
  const g = disconnectedNetwork(space);
  if (!g) return null;
  const [m] = await oracle.evaluate([g]);
  return { genome: g, metrics: m! };
}

export function wantsGraph(space: SearchSpace, requested: boolean | undefined): boolean {
  return requested ?? space.effective !== undefined;
}
