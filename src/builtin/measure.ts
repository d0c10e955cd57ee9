import { fieldError } from '../errors.js';
import type { LatencySettings } from '../eval/latency.js';
import type { Evaluator } from '../core/metrics.js';
import type { BlockTable } from '../core/block-table.js';
import type { Measure } from '../search/verify.js';
import type { BackendName } from '../tfjs/backend.js';
import { ANALYTIC_METRICS } from '../eval/analytic.js';
import { builtinAnalyticEvaluator, builtinLatencyEvaluator, BUILTIN_DEVICES, type BuiltinSpaceName } from './spaces.js';

/**
 * The latency settings a built-in table was timed with, from the settings its estimation recorded in the notes
 * (`...; settings {"space":...,"latency":{...}}`); none recorded: the defaults every estimation starts from.
 */
export function tableLatencySettings(table: Pick<BlockTable, 'notes'>): Partial<LatencySettings> {
  for (const note of table.notes ?? []) {
    const at = note.indexOf('; settings {');
    if (at < 0) continue;
    try {
      const latency = (JSON.parse(note.slice(at + '; settings '.length)) as { latency?: Partial<LatencySettings> }).latency;
      if (latency) return latency;
    } catch {
      // A note that only looks like recorded settings is not one: keep looking.
    }
  }
  return {};
}

/**
 * Measures a built-in space's costs without training anything: latency:<backend> timed on this machine with the
 * estimation's protocol (src/builtin/spaces.ts builtinLatencyEvaluator, the reference network timed alongside, its
 * scale this process's first timing of it), FLOPs and params counted exactly. Accuracy cannot be measured here.
 */
export function builtinMeasure(name: BuiltinSpaceName, latency: Partial<LatencySettings> = {}): Measure {
  const timers = new Map<BackendName, Evaluator>();
  const timer = (backend: BackendName) => {
    let t = timers.get(backend);
    if (!t) timers.set(backend, (t = builtinLatencyEvaluator(backend, latency)));
    return t;
  };
  const analytic = builtinAnalyticEvaluator(name);
  const counted = new Set(ANALYTIC_METRICS.map((m) => m.id));
  return async (genomes, metrics) => {
    const backends = metrics.flatMap((m) => {
      const b = m.startsWith('latency:') ? (m.slice('latency:'.length) as BackendName) : null;
      if (b && BUILTIN_DEVICES.includes(b)) return [b];
      if (counted.has(m)) return [];
      throw fieldError('verify', `${m} of space ${name} cannot be measured without training; verify limits on ${[...BUILTIN_DEVICES.map((d) => `latency:${d}`), ...counted].join(', ')} only, or do not verify`);
    });
    const rows = genomes.map((): Record<string, number> => ({}));
    const parts = [...(metrics.some((m) => counted.has(m)) ? [analytic] : []), ...backends.map(timer)];
    for (const part of parts) (await part.evaluate(genomes)).forEach((r, i) => Object.assign(rows[i]!, r));
    return rows.map((r) => Object.fromEntries(metrics.map((m) => [m, r[m]!])));
  };
}
