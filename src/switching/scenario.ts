import { fieldError } from '../errors.js';
import { createRng } from '../random.js';
import { limitValue } from '../search/problem.js';
import type { Genome } from '../space/types.js';
import type { Pool } from './pool.js';
import { createSwitcher, fastestNetwork, type SwitcherOptions, type SwitchEvent, type SwitchSummary } from './switcher.js';

/** A stretch of the slow-down profile: `from` to `to` linearly over `steps` steps (from = to holds). */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly steps: number;
}

export const DEFAULT_PROFILE = '1:20,1.6:30,1:30';

/** "1:20,1-1.6:10,1.6:30": hold 1 for 20 steps, ramp from 1 to 1.6 over 10, hold 1.6 for 30. */
export function parseProfile(text: string): Segment[] {
  return text.split(',').map((part) => {
    const m = /^\s*([\d.]+)(?:-([\d.]+))?:(\d+)\s*$/.exec(part);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    const steps = Number(m?.[3]);
    if (!m || !(from > 0) || !(to > 0) || !(steps >= 1)) {
      throw fieldError('profile', `expected FACTOR:STEPS or FROM-TO:STEPS separated by commas (e.g. ${DEFAULT_PROFILE}), got "${part}"`);
    }
    return { from, to, steps };
  });
}

/** The slow-down at every step; a ramp reaches `to` on its last step. */
export function profileFactors(segments: readonly Segment[]): number[] {
  return segments.flatMap(({ from, to, steps }) =>
    Array.from({ length: steps }, (_, k) => (from === to ? from : from + ((to - from) * (k + 1)) / steps)),
  );
}

export interface ScenarioOptions extends SwitcherOptions {
  /** The device's slow-down at each step. */
  readonly factors: readonly number[];
  /** Relative standard deviation of the measurement noise (default 0.02). */
  readonly noise?: number;
  readonly seed?: number;
}

export interface ScenarioStep {
  readonly step: number;
  /** The device's true slow-down. */
  readonly factor: number;
  /** What the monitor was fed: the true latency with noise. */
  readonly measured: number;
  /** The running network's true latency (noise-free). */
  readonly latency: number;
  /** Some network meets the limit at this slow-down. */
  readonly feasible: boolean;
  /** Index of the running network in ScenarioResult.networks. */
  readonly network: number;
}

export interface ScenarioResult {
  readonly steps: readonly ScenarioStep[];
  readonly events: readonly SwitchEvent[];
  /** Distinct networks that ran, in order of first use. */
  readonly networks: readonly Genome[];
  /** The network running after the last step. */
  readonly end: Genome;
  readonly pool: Pool;
  readonly summary: SwitchSummary & {
    readonly steps: number;
    /** Steps whose network broke the limit although one that meets it existed. */
    readonly violationSteps: number;
    /** Steps at which no network met the limit. */
    readonly infeasibleSteps: number;
    readonly endsWhereItStarted: boolean;
  };
}

/** Standard normal deviates from the seeded generator (Box-Muller). */
function gaussian(seed: number): () => number {
  const rng = createRng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * A simulated device: the true latency of a network is its predicted latency under the program's own estimates
 * times the slow-down of the step, and each measurement adds seeded Gaussian noise. The switcher sees only the
 * measurements. Deterministic for a seed.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { factors, problem, latency } = options;
  const noise = options.noise ?? 0.02;
  if (!(noise >= 0 && noise < 0.5)) throw fieldError('noise', `expected a relative deviation in [0, 0.5), got ${noise}`);
  if (factors.length === 0) throw fieldError('profile', 'expected at least one step');
  const switcher = await createSwitcher(options);
  const limit = problem.limits.find((l) => l.metric === latency)!;
  const trueLatency = (g: Genome) => limitValue(limit, g);
  const fastest = await fastestNetwork(problem, latency, options.solve);
  const minLatency = fastest ? trueLatency(fastest) : Infinity;
  const z = gaussian(options.seed ?? 0);
  const networks: Genome[] = [];
  const indexOf = (g: Genome) => {
    const k = networks.findIndex((n) => n.every((b, i) => b === g[i]));
    return k >= 0 ? k : networks.push(g) - 1;
  };
  const steps: ScenarioStep[] = [];
  for (let step = 0; step < factors.length; step++) {
    const factor = factors[step]!;
    const g = switcher.genome;
    const exact = trueLatency(g) * factor;
    const measured = exact * Math.max(0.01, 1 + noise * z());
    steps.push({ step, factor, measured, latency: exact, feasible: minLatency * factor <= limit.max, network: indexOf(g) });
    await switcher.observe(measured, step);
  }
  const violationSteps = steps.filter((s) => s.feasible && s.latency > limit.max).length;
  const infeasibleSteps = steps.filter((s) => !s.feasible).length;
  const start = switcher.events[0]!.after.genome;
  const endsWhereItStarted = switcher.genome.every((b, i) => b === start[i]);
  const summary = { ...switcher.summary(), steps: steps.length, violationSteps, infeasibleSteps, endsWhereItStarted };
  return { steps, events: switcher.events, networks, end: switcher.genome, pool: switcher.pool, summary };
}
