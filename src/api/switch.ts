import { metricTable } from '../core/block-table.js';
import { fieldError, UserError } from '../errors.js';
import { applyLink } from '../predict/link.js';
import { explainInfeasible } from '../search/explain.js';
import { problemFromTable } from '../search/from-table.js';
import { solveIlp } from '../search/ilp.js';
import { objectiveValue } from '../search/problem.js';
import type { Genome } from '../space/types.js';
import { DEFAULT_PROFILE, parseProfile, profileFactors, runScenario, type ScenarioResult } from '../switching/scenario.js';
import type { TableTarget } from '../targets/types.js';

export interface SwitchOptions {
  /** The space with its block table (openTarget). */
  readonly target: TableTarget;
  /** The latency limit on the target's device. */
  readonly maxLatency: number;
  /** Device slow-down over time: FACTOR:STEPS holds, FROM-TO:STEPS ramps, comma-separated. */
  readonly profile?: string;
  /** Relative standard deviation of each latency measurement, in [0, 0.5). */
  readonly noise?: number;
  /** Solve for the limit reduced by this fraction. */
  readonly margin?: number;
  /** Recovery needed before switching back up. */
  readonly hysteresis?: number;
  /** Measurements over the limit in a row that trigger a switch down. */
  readonly samples?: number;
  /** Measurements averaged before a switch up. */
  readonly window?: number;
  readonly seed?: number;
  /** Drop Eq. 5's FLOPs scaling. */
  readonly linear?: boolean;
}

function fraction(field: string, x: number, below = 1): number {
  if (!(x >= 0 && x < below)) throw fieldError(field, `expected a number in [0, ${below}), got ${x}`);
  return x;
}

function count(field: string, x: number): number {
  if (!(Number.isInteger(x) && x >= 1)) throw fieldError(field, `expected an integer >= 1, got ${x}`);
  return x;
}

/**
 * MathNAS's dynamic switching (§3.4) on a simulated device that slows down and recovers, as `blocknas switch`: the
 * switcher watches noisy latency measurements and re-solves the block program when the device drifts.
 */
export async function simulateSwitching(o: SwitchOptions): Promise<ScenarioResult & { readonly latency: string }> {
  const t = o.target;
  if (!t.latency) throw fieldError('maxLatency', `space ${t.name} has no latency table to limit`);
  if (!(o.maxLatency > 0)) throw fieldError('maxLatency', `expected a positive number, got ${o.maxLatency}`);
  const factors = profileFactors(parseProfile(o.profile ?? DEFAULT_PROFILE));
  const noise = fraction('noise', o.noise ?? 0.02, 0.5);
  const margin = fraction('margin', o.margin ?? 0.03);
  const hysteresis = fraction('hysteresis', o.hysteresis ?? 0.05);
  const samples = count('samples', o.samples ?? 3);
  const window = count('window', o.window ?? 20);
  const limits = [{ metric: t.latency, max: o.maxLatency }];
  const problem = problemFromTable(t.table, t.space, t.accuracy, limits, { linear: o.linear ?? false });
  // A limit no network meets on the undisturbed device is a mistake in the input, not a slow-down to ride out.
  const undisturbed = await solveIlp(problem);
  if (undisturbed.status === 'infeasible') throw new UserError(explainInfeasible(problem, undisturbed, t.units));
  // What the switcher maximises, in %: the program's objective through the table's link, which equals the
  // table's prediction on the effective networks it chooses (and is the linear one when linear).
  const { link } = metricTable(t.table, t.accuracy);
  const accuracy = (g: Genome) => (link ? applyLink(link, objectiveValue(problem.objective, g)) : objectiveValue(problem.objective, g));
  const result = await runScenario({ problem, latency: t.latency, factors, noise, seed: o.seed ?? 0, margin, monitor: { samples, window, hysteresis }, accuracy });
  return { ...result, latency: t.latency };
}
