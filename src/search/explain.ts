import { limitTolerance } from './common.js';
import type { Limit, Problem, Solution } from './problem.js';

/**
 * Shortest form of `min` that still reads as larger than `max`: "1.13", not "1.1300000000000001", yet never
 * rounded down onto a value that would look feasible.
 */
function formatAbove(min: number, max: number): string {
  for (let p = 3; p <= 17; p++) {
    const s = min.toPrecision(p);
    if (Number(s) > max) return String(Number(s));
  }
  return String(min);
}

function withUnit(value: string, metric: string, units: Readonly<Record<string, string>>): string {
  const unit = units[metric];
  return unit ? `${value} ${unit}` : value;
}

/**
 * One line saying why no architecture was found, for the CLI and logs, e.g.
 * `no architecture satisfies latency:fpga <= 1 (smallest achievable: latency:fpga 1.13)`. Names the limits that are
 * impossible on their own; when each is achievable alone, says they conflict together.
 */
export function explainInfeasible(
  problem: Problem,
  solution: Solution,
  units: Readonly<Record<string, string>> = {},
): string {
  if (solution.status !== 'infeasible') throw new Error('explainInfeasible: the solution is not infeasible');
  const min = solution.minAchievable;
  if (!min || problem.limits.length === 0) {
    const names = problem.rules.map((r) => r.name).join(', ');
    return `no architecture satisfies the coupling rules (${problem.rules.length} rule(s): ${names})`;
  }
  const limitText = (l: Limit) => `${l.metric} <= ${withUnit(String(l.max), l.metric, units)}`;
  const minOf = (l: Limit) => min[l.metric] ?? Number.NaN;
  const impossible = problem.limits.filter((l) => minOf(l) > l.max + limitTolerance(l.max));
  if (impossible.length > 0) {
    const limits = impossible.map(limitText).join(', ');
    const smallest = impossible
      .map((l) => `${l.metric} ${withUnit(formatAbove(minOf(l), l.max), l.metric, units)}`)
      .join(', ');
    return `no architecture satisfies ${limits} (smallest achievable: ${smallest})`;
  }
  const limits = problem.limits.map(limitText).join(' and ');
  const smallest = problem.limits
    .map((l) => `${l.metric} ${withUnit(String(Number(minOf(l).toPrecision(4))), l.metric, units)}`)
    .join(', ');
  return `no architecture satisfies ${limits} together (each alone is achievable; smallest: ${smallest})`;
}
