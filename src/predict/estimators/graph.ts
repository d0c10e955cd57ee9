import { UserError } from '../../errors.js';
import type { Oracle } from '../../eval/oracle.js';
import type { Metrics } from '../../eval/types.js';
import type { SearchSpace } from '../../space/types.js';
import { disconnectedNetwork } from './design.js';

/**
 * Graph awareness costs one extra network: the accuracy of a disconnected architecture stands in for all of
 * them (NB201: chance level, whatever the dead edges hold).
 */
export async function disconnectedAccuracy(space: SearchSpace, oracle: Oracle, metric: string): Promise<number> {
  return (await disconnectedMetrics(space, oracle))[metric] ?? NaN;
}

/** Every metric of the one disconnected network evaluated (an effective-form cost table needs its cost too). */
export async function disconnectedMetrics(space: SearchSpace, oracle: Oracle): Promise<Metrics> {
  if (!space.effective) throw new UserError(`space ${space.name} has no graph semantics: drop the graph-aware option`);
  const g = disconnectedNetwork(space);
  if (!g) return {};
  const [m] = await oracle.evaluate([g]);
  return m!;
}

export function wantsGraph(space: SearchSpace, requested: boolean | undefined): boolean {
  return requested ?? space.effective !== undefined;
}
