import { trueBest } from '../benchmarks/true-best.js';
import type { BlockTable } from '../core/block-table.js';
import { withResiduals } from '../predict/cost-model.js';
import { costInterval, DEFAULT_CONFIDENCE, type Interval } from '../predict/interval.js';
import { floorCost } from '../predict/measured-range.js';
import { predict } from '../predict/predict.js';
import type { LimitSpec } from '../search/from-table.js';
import type { Genome } from '../space/types.js';
import type { TableTarget } from '../targets/types.js';
import { openTarget, type OpenTargetOptions } from './open-target.js';

export interface Described {
  readonly arch: string;
  /** The benchmark's own index, where there is ground truth. */
  readonly index?: number;
  readonly predicted: Record<string, number>;
  /** True metrics, where there is ground truth. */
  readonly true?: Record<string, number>;
}

export function describe(s: TableTarget, g: Genome): Described {
  const predicted = predict(s.table, s.space, g);
  const arch = s.space.format(g);
  if (!s.bench) return { arch, predicted };
  const index = s.bench.indexOf(g);
  const truth = Object.fromEntries(s.table.metrics.map((t) => [t.metric, s.bench!.values(t.metric)[index]!]));
  return { arch, index, predicted, true: truth };
}

/** The true best under the same limits and the regret of the choice, on a tabular benchmark. */
export function judge(s: TableTarget, chosen: Described, limits: readonly LimitSpec[]) {
  if (!s.bench || !chosen.true) return null;
  const best = trueBest(s.bench, s.accuracy, limits);
  return {
    trueBest: best ? describe(s, best.genome) : null,
    regret: best ? best.value - chosen.true[s.accuracy]! : NaN,
    trueLimitsViolated: limits.filter((l) => chosen.true![l.metric]! > l.max * (1 + 1e-9)).map((l) => l.metric),
  };
}

/** One cost of the answer as reported: the prediction (floored at the lowest measured value), its interval. */
export interface ReportedCost {
  readonly metric: string;
  readonly predicted: number;
  /** The raw prediction, when it lay below every measured network and was floored. */
  readonly below?: number;
  readonly interval: Interval | null;
}

/** Every cost of a prediction as reported: floored at the lowest measured value, with its interval at `confidence`. */
export function reportedCosts(
  table: BlockTable,
  accuracy: string,
  predicted: Readonly<Record<string, number>>,
  confidence: number,
): ReportedCost[] {
  return table.metrics
    .filter((t) => t.metric !== accuracy)
    .map((t) => {
      const raw = predicted[t.metric]!;
      const { value, floored } = floorCost(table, t.metric, raw);
      return { metric: t.metric, predicted: value, ...(floored ? { below: raw } : {}), interval: costInterval(t, confidence) };
    });
}


export interface PredictOptions extends Omit<OpenTargetOptions, 'for'> {
  /** A registry space name, or a target already opened (openTarget). */
  readonly space: string | TableTarget;
  /** The architecture in the space's canonical string. */
  readonly arch: string;
  /** Confidence of the cost intervals (default 0.95). */
  readonly confidence?: number;
}

export interface Prediction extends Described {
  /** Every cost as reported: floored at the lowest measured value, with its interval. */
  readonly costs: readonly ReportedCost[];
  /** The table the prediction came from (with intervals added where it lacked them). */
  readonly table: BlockTable;
}

/** One architecture's predicted metrics, cost intervals and (on a tabular benchmark) true metrics. */
export async function predictArchitecture(o: PredictOptions): Promise<Prediction> {
  const { space, arch, confidence = DEFAULT_CONFIDENCE, ...open } = o;
  const t = typeof space === 'string' ? await openTarget(space, { ...open, for: 'predict' }) : space;
  const table = withResiduals(t.table, t.space, t.table.metrics.map((m) => m.metric).filter((m) => m !== t.accuracy));
  const d = describe({ ...t, table }, t.space.parse(arch));
  return { ...d, costs: reportedCosts(table, t.accuracy, d.predicted, confidence), table };
}
