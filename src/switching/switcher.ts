import { UserError } from '../errors.js';
import type { AdditiveModel, PairTerm } from '../core/additive.js';
import { solveIlp } from '../search/ilp.js';
import { limitValue, objectiveValue, type Limit, type Problem, type Solution } from '../search/problem.js';
import type { Genome } from '../space/types.js';
import { median } from '../stats/summary.js';
import { createLatencyMonitor, type MonitorOptions, type Trigger } from './monitor.js';
import { paretoPool, toFull, type Pool } from './pool.js';

export type Solve = (problem: Problem) => Promise<Solution>;

export interface SwitcherOptions {
  /** The search program under nominal estimates; its limit on `latency` is the one the device's slow-down scales. */
  readonly problem: Problem;
  readonly latency: string;
  /** Solve for limit × (1 − margin), so measurement noise does not push the chosen network over (default 0.03). */
  readonly margin?: number;
  readonly monitor?: Omit<MonitorOptions, 'limit'>;
  /** Default: solveIlp (proven optimal). */
  readonly solve?: Solve;
  /** Predicted accuracy of a network, for reports (default: the program's objective). */
  readonly accuracy?: (g: Genome) => number;
}

export interface BlockChange {
  readonly node: number;
  readonly from: number;
  readonly to: number;
}

export interface BlockLatency {
  readonly node: number;
  readonly block: number;
  /** ms on the device as it is now. */
  readonly latency: number;
}

export interface NetworkState {
  readonly genome: Genome;
  readonly accuracy: number;
  /** Predicted latency at the slow-down of the event (ms). */
  readonly latency: number;
}

export interface SwitchEvent {
  readonly step: number;
  /** start, a monitor trigger, or blocks: per-block measurements changed the estimates. */
  readonly reason: 'start' | Trigger['reason'] | 'blocks';
  /** Mean measured latency behind the trigger (null at the start). */
  readonly measured: number | null;
  /** The slow-down solved for. */
  readonly factor: number;
  readonly solveMs: number;
  /** False when no network meets the limit at this slow-down: the fastest network is chosen instead. */
  readonly feasible: boolean;
  /** Only the nodes whose block changed. */
  readonly changed: readonly BlockChange[];
  readonly before: NetworkState | null;
  readonly after: NetworkState;
}

export interface SwitchSummary {
  /** Re-solves after the start, and how many of them changed the network. */
  readonly solves: number;
  readonly switches: number;
  readonly blocksChanged: number;
  /** Over the re-solves after the start; NaN when there were none. */
  readonly solveMs: { readonly median: number; readonly max: number };
  readonly startSolveMs: number;
  /** Re-solves at which no network met the limit. */
  readonly infeasible: number;
  readonly pool: { readonly kept: number; readonly blocks: number };
}

export interface Switcher {
  readonly genome: Genome;
  readonly events: readonly SwitchEvent[];
  readonly pool: Pool;
  /** Predicted latency of a network under the current nominal estimates (no slow-down). */
  nominalLatency(g: Genome): number;
  /** One measured end-to-end latency of the running network; re-solves when the monitor triggers. */
  observe(measured: number, step: number): Promise<SwitchEvent | null>;
  /**
   * Latencies of single blocks measured on the device: each block's nominal estimate becomes measured / the slow-down
   * last solved for, the pool is rebuilt (uneven changes can reorder blocks) and the program is solved again at once.
   */
  measureBlocks(measured: readonly BlockLatency[], step: number): Promise<SwitchEvent>;
  summary(): SwitchSummary;
}

const scaled = (m: AdditiveModel, f: number): AdditiveModel => ({ intercept: m.intercept * f, values: m.values.map((r) => r.map((v) => v * f)) });
const scaledPairs = (pairs: readonly PairTerm[], f: number): PairTerm[] => pairs.map((p) => ({ ...p, values: p.values.map((r) => r.map((v) => v * f)) }));

/** A limit's model and pair terms scaled by f (a device slow-down, or −1 to minimise it). */
const scaledLimit = (l: Limit, f: number): Pick<Limit, 'model' | 'pairs'> => ({ model: scaled(l.model, f), ...(l.pairs ? { pairs: scaledPairs(l.pairs, f) } : {}) });

/** The network with the smallest latency under the rules and the other limits, or null when none obeys them. */
export async function fastestNetwork(problem: Problem, latency: string, solve: Solve = solveIlp): Promise<Genome | null> {
  const { model, pairs } = scaledLimit(problem.limits.find((l) => l.metric === latency)!, -1);
  const others = problem.limits.filter((l) => l.metric !== latency);
  const sol = await solve({ radix: problem.radix, objective: { model, ...(pairs ? { pairs } : {}) }, limits: others, rules: problem.rules });
  return sol.genome;
}

/**
 * Dynamic network switching (MathNAS §3.4): the most accurate network under a latency limit, kept as the device
 * slows down and recovers. Measured latencies go to a monitor; on a trigger every block's latency estimate is scaled
 * by the estimated slow-down, the program over the Pareto pool is solved again, and only the nodes whose block
 * changed are switched. Unlike the released code's "light search" (one stage moved one candidate up or down, with a
 * full search only when that fails), every re-solve with the default solveIlp is the proven optimum.
 */
export async function createSwitcher(options: SwitcherOptions): Promise<Switcher> {
  const { problem, latency } = options;
  const limit = problem.limits.find((l) => l.metric === latency);
  if (!limit) throw new UserError(`latency: the program has no limit on ${latency}`);
  const margin = options.margin ?? 0.03;
  if (!(margin >= 0 && margin < 1)) throw new UserError(`margin: expected a number in [0, 1), got ${margin}`);
  const solve = options.solve ?? solveIlp;
  const monitor = createLatencyMonitor({ ...options.monitor, limit: limit.max });
  let nominal: AdditiveModel = limit.model;
  let pool = paretoPool(problem);
  const withLatency = (p: Problem, part: Pick<Limit, 'model' | 'pairs'>, max: number): Problem => ({
    ...p,
    limits: p.limits.map((l): Limit => (l.metric === latency ? { ...l, ...part, max } : l)),
  });
  const nominalLatency = (g: Genome) => limitValue({ model: nominal, pairs: limit.pairs }, g);
  const accuracy = options.accuracy ?? ((g: Genome) => objectiveValue(problem.objective, g));
  const state = (g: Genome, factor: number): NetworkState => ({ genome: g, accuracy: accuracy(g), latency: nominalLatency(g) * factor });
  const events: SwitchEvent[] = [];
  let current: Genome | null = null;

  async function resolve(step: number, reason: SwitchEvent['reason'], factor: number, measured: number | null): Promise<SwitchEvent> {
    const t0 = performance.now();
    const restricted = pool.problem.limits.find((l) => l.metric === latency)!;
    const sol = await solve(withLatency(pool.problem, scaledLimit(restricted, factor), limit!.max * (1 - margin)));
    let genome = sol.genome ? toFull(pool, sol.genome) : null;
    const feasible = genome !== null;
    // Nothing meets the limit at this slow-down: run the fastest network and let the report show the violation.
    // Every node's fastest block survives in the pool (only a block at least as fast can dominate it).
    if (!genome) {
      const fastest = await fastestNetwork(pool.problem, latency, solve);
      if (!fastest) throw new UserError('switch: no architecture satisfies the rules and the other limits');
      genome = toFull(pool, fastest);
    }
    const solveMs = performance.now() - t0;
    monitor.solvedFor(factor);
    const before = current;
    const changed = before ? genome.flatMap((to, node) => (to === before[node] ? [] : [{ node, from: before[node]!, to }])) : [];
    const event: SwitchEvent = { step, reason, measured, factor, solveMs, feasible, changed, before: before && state(before, factor), after: state(genome, factor) };
    if (!before || changed.length > 0) current = genome;
    events.push(event);
    return event;
  }

  await resolve(0, 'start', monitor.solvedFactor, null);
  return {
    get genome() {
      return current!;
    },
    events,
    get pool() {
      return pool;
    },
    nominalLatency,
    async observe(measured, step) {
      const trigger = monitor.observe(measured, nominalLatency(current!));
      return trigger ? resolve(step, trigger.reason, trigger.factor, trigger.measured) : null;
    },
    measureBlocks(measured, step) {
      const values = nominal.values.map((row) => [...row]);
      for (const { node, block, latency: ms } of measured) {
        if (!(Number.isInteger(block) && block >= 0 && block < (values[node]?.length ?? 0))) throw new UserError(`block: node ${node} has no block ${block}`);
        if (!(ms >= 0)) throw new UserError(`block latency: expected a non-negative number, got ${ms}`);
        values[node]![block] = ms / monitor.solvedFactor;
      }
      nominal = { intercept: nominal.intercept, values };
      pool = paretoPool(withLatency(problem, { model: nominal }, limit.max));
      return resolve(step, 'blocks', monitor.solvedFactor, null);
    },
    summary() {
      const later = events.slice(1);
      const ms = later.map((e) => e.solveMs);
      const blocks = problem.radix.reduce((s, r) => s + r, 0);
      return {
        solves: later.length,
        switches: later.filter((e) => e.changed.length > 0).length,
        blocksChanged: later.reduce((s, e) => s + e.changed.length, 0),
        solveMs: { median: ms.length > 0 ? median(ms) : NaN, max: ms.length > 0 ? Math.max(...ms) : NaN },
        startSolveMs: events[0]!.solveMs,
        infeasible: later.filter((e) => !e.feasible).length,
        pool: { kept: blocks - pool.removed, blocks },
      };
    },
  };
}
