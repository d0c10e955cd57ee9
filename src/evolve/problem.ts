import { fieldError } from '../errors.js';
import type { Evaluator, MetricInfo, Metrics } from '../core/metrics.js';
import { higherIsBetter } from '../core/metrics.js';
import { radices, ruleHolds } from '../space/space.js';
import type { Genome, SearchSpace } from '../space/types.js';

/** One objective of a multi-objective search: a metric the evaluator returns, and which way is better. */
export interface ObjectiveSpec {
  readonly metric: string;
  readonly info: MetricInfo;
  /** 'max' for accuracy, 'min' for every cost. */
  readonly sense: 'max' | 'min';
}

/**
 * pymoo's split: the problem says what is searched and how it is judged (space, objectives, evaluator, validity);
 * algorithms and termination are separate. Internally every objective is minimised: maximised ones are negated.
 */
export interface MooProblem {
  readonly space: SearchSpace;
  readonly radix: readonly number[];
  readonly objectives: readonly ObjectiveSpec[];
  readonly evaluator: Evaluator;
  /** Valid form of a genome (coupling rules hold; canonical form where the space has one), or null if none. */
  repair(g: Genome): Genome | null;
  toMinimised(m: Metrics): number[];
}

export interface ProblemOptions {
  /**
   * Map every genome to its effective form first (blocks that cannot reach the output become the null block), so
   * two networks that compute the same function are one candidate. Default true where the space defines it.
   */
  readonly canonical?: boolean;
}

export function createProblem(
  space: SearchSpace,
  objectives: readonly ObjectiveSpec[],
  evaluator: Evaluator,
  options: ProblemOptions = {},
): MooProblem {
  if (objectives.length < 1) throw fieldError('objectives', 'give at least one objective');
  const canonical = (options.canonical ?? true) && space.effective !== undefined;
  const repair = (g: Genome): Genome | null => {
    let h = g;
    if (canonical) h = space.effective!(g) ?? g; // a disconnected cell stays as it is: it is a (bad) network too
    for (const r of space.rules) if (!ruleHolds(r, h)) return null;
    return h;
  };
  return {
    space,
    radix: radices(space),
    objectives,
    evaluator,
    repair,
    toMinimised: (m) =>
      objectives.map((o) => {
        const v = m[o.metric];
        if (v === undefined || !Number.isFinite(v)) {
          throw new Error(`evaluator ${evaluator.name} returned no finite ${o.metric} (got ${v})`);
        }
        return o.sense === 'max' ? -v : v;
      }),
  };
}

/**
 * Parses `accuracy,latency:fpga,params`: each item is a metric id, or a bare kind that `defaults` completes
 * (accuracy → accuracy:<dataset>, latency → latency:<device>).
 */
export function parseObjectives(
  text: string,
  available: readonly MetricInfo[],
  defaults: Readonly<Record<string, string>> = {},
): ObjectiveSpec[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw fieldError('objectives', 'expected a comma-separated list such as accuracy,latency:fpga');
  const out: ObjectiveSpec[] = [];
  for (const item of items) {
    const id = item.includes(':') ? item : (defaults[item] ?? item);
    const info = available.find((m) => m.id === id);
    if (!info) {
      throw fieldError('objectives', `unknown metric "${item}" (available: ${available.map((m) => m.id).join(', ')})`);
    }
    if (out.some((o) => o.metric === id)) throw fieldError('objectives', `"${id}" given twice`);
    out.push({ metric: id, info, sense: higherIsBetter(info.kind) ? 'max' : 'min' });
  }
  return out;
}
