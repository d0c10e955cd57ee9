import { UserError } from '../errors.js';
import type { LimitSpec } from '../search/from-table.js';
import type { Session } from './session.js';

export interface LimitOptions {
  maxLatency?: string;
  maxEnergy?: string;
  maxFlops?: string;
  maxParams?: string;
  limit?: string[];
}

function num(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new UserError(`${flag}: expected a non-negative number, got "${v}"`);
  return x;
}

/** --max-latency etc. name the session's metrics; --limit METRIC=VALUE names any metric of the table. */
export function parseLimits(s: Session, o: LimitOptions): LimitSpec[] {
  const out: LimitSpec[] = [];
  if (o.maxLatency !== undefined) {
    if (!s.latency) throw new UserError(`--max-latency: space ${s.name} has no latency table${s.device ? ` for ${s.device}` : ''}`);
    out.push({ metric: s.latency, max: num('--max-latency', o.maxLatency) });
  }
  if (o.maxEnergy !== undefined) {
    if (!s.energy) throw new UserError(`--max-energy: no energy data for ${s.device ? `device ${s.device}` : s.name} (only nb201 fpga has energy)`);
    out.push({ metric: s.energy, max: num('--max-energy', o.maxEnergy) });
  }
  if (o.maxFlops !== undefined) {
    if (!s.flops) throw new UserError(`--max-flops: space ${s.name} has no FLOPs table`);
    out.push({ metric: s.flops, max: num('--max-flops', o.maxFlops) });
  }
  if (o.maxParams !== undefined) out.push({ metric: 'params', max: num('--max-params', o.maxParams) });
  for (const spec of o.limit ?? []) {
    const m = /^([\w:.-]+)(?:<=|=)(.+)$/.exec(spec);
    if (!m) throw new UserError(`--limit: expected METRIC=VALUE (e.g. latency:pixel3=20), got "${spec}"`);
    out.push({ metric: m[1]!, max: num(`--limit ${m[1]}`, m[2]!) });
  }
  return out;
}
