import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { DEFAULT_PROFILE, type ScenarioResult } from '../../switching/scenario.js';
import { simulateSwitching } from '../../api/switch.js';
import type { NetworkState, SwitchEvent } from '../../switching/switcher.js';
import type { Genome } from '../../space/types.js';
import { fmt, printJson, renderTable } from '../format.js';
import { parseLimits } from '../limits.js';
import { withCommon } from '../options.js';
import { openSession, parseIntOption, parseSeedOption, type CommonOptions, type Session } from '../session.js';

type SwitchOptions = CommonOptions & {
  maxLatency?: string;
  profile: string;
  noise: string;
  margin: string;
  hysteresis: string;
  samples: string;
  window: string;
  linear?: boolean;
};

/** A number flag; its range is the library's to check (the error names the flag all the same). */
function num(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UserError(`${flag}: expected a number, got "${v}"`);
  return x;
}

export function registerSwitch(program: Command): void {
  withCommon(
    program
      .command('switch <space>')
      .description('dynamic network switching (MathNAS §3.4) on a simulated device that slows down and recovers')
      .option('--max-latency <ms>', 'latency limit on the (first) --device')
      .option('--profile <list>', 'device slow-down over time: FACTOR:STEPS holds, FROM-TO:STEPS ramps, comma-separated', DEFAULT_PROFILE)
      .option('--noise <sd>', 'relative standard deviation of each latency measurement', '0.02')
      .option('--margin <fraction>', 'solve for the limit reduced by this fraction, headroom for noise', '0.03')
      .option('--hysteresis <fraction>', 'switch up only once the device has recovered this much from the slow-down that forced the last switch down', '0.05')
      .option('--samples <n>', 'measurements in a row over the limit that trigger a switch down', '3')
      .option('--window <n>', 'measurements averaged before a switch up; they must show a steady device, faster by --hysteresis', '20')
      .option('--linear', 'drop the FLOPs scaling of Eq. 5 from the objective (as the released MathNAS search code)'),
  ).action(async (space: string, opts: SwitchOptions) => {
    if (opts.maxLatency === undefined) throw new UserError('--max-latency: switch needs a latency limit');
    const noise = num('--noise', opts.noise);
    const margin = num('--margin', opts.margin);
    const hysteresis = num('--hysteresis', opts.hysteresis);
    const samples = parseIntOption('--samples', opts.samples, 1)!;
    const window = parseIntOption('--window', opts.window, 1)!;
    const seed = parseSeedOption(opts.seed) ?? 0;
    const s = await openSession(space, opts, 'switch');
    const limits = parseLimits(s, { maxLatency: opts.maxLatency });
    const result = await simulateSwitching({ target: s, maxLatency: limits[0]!.max, profile: opts.profile, noise, margin, hysteresis, samples, window, seed, linear: opts.linear ?? false });
    const run = { profile: opts.profile, noise, seed, margin, hysteresis, samples, window, limit: limits[0]! };
    if (opts.json) return printJson(toJson(s, result, run));
    report(s, result, run);
  });
}

const arch = (s: Session, g: Genome) => s.space.format(g);
const block = (s: Session, node: number, b: number) => s.space.nodes[node]!.blocks[b]!.id;
const network = (s: Session, n: NetworkState) => ({ arch: arch(s, n.genome), accuracy: n.accuracy, latency: n.latency });

function changes(s: Session, e: SwitchEvent) {
  return e.changed.map((c) => ({ node: s.space.nodes[c.node]!.id, from: block(s, c.node, c.from), to: block(s, c.node, c.to) }));
}

interface Run {
  profile: string;
  noise: number;
  seed: number;
  margin: number;
  hysteresis: number;
  samples: number;
  window: number;
  limit: { metric: string; max: number };
}

function toJson(s: Session, r: ScenarioResult, run: Run) {
  const events = r.events.map((e) => ({
    step: e.step,
    reason: e.reason,
    measured: e.measured,
    factor: e.factor,
    solveMs: e.solveMs,
    feasible: e.feasible,
    changed: changes(s, e),
    before: e.before && network(s, e.before),
    after: network(s, e.after),
  }));
  return {
    space: s.name,
    dataset: s.dataset,
    device: s.device ?? null,
    estimator: s.table.estimator,
    ...run,
    networks: r.networks.map((g) => arch(s, g)),
    events,
    steps: r.steps,
    summary: r.summary,
  };
}

function report(s: Session, r: ScenarioResult, run: Run): void {
  const unit = s.units[run.limit.metric] ?? '';
  const start = r.events[0]!;
  const sum = r.summary;
  console.log(
    `switch ${s.name} on ${s.device}: ${run.limit.metric} <= ${fmt(run.limit.max)} ${unit}, profile ${run.profile} (${sum.steps} steps), noise ${run.noise}, seed ${run.seed}`,
  );
  console.log(`pool: ${sum.pool.kept} of ${sum.pool.blocks} blocks kept${wholeNodes(s, r)}`);
  console.log(`start: ${arch(s, start.after.genome)}  ${fmt(start.after.accuracy)} ${s.units[s.accuracy] ?? ''}, ${fmt(start.after.latency)} ${unit} (first solve ${fmt(start.solveMs)} ms)${start.feasible ? '' : '; no network meets the limit, so the fastest runs'}`);
  const later = r.events.slice(1);
  if (later.length > 0) {
    console.log(
      renderTable(
        ['step', 'reason', `measured ${unit}`, 'slow-down', 'solve ms', 'accuracy before', 'accuracy after', `latency before`, 'latency after', 'blocks changed'],
        later.map((e) => [e.step, e.feasible ? e.reason : `${e.reason} (none fits)`, e.measured ?? NaN, e.factor, e.solveMs, e.before!.accuracy, e.after.accuracy, e.before!.latency, e.after.latency, e.changed.length]),
      ),
    );
    for (const e of later) {
      if (e.changed.length > 0) console.log(`  step ${e.step}: ${changes(s, e).map((c) => `${c.node} ${c.from} -> ${c.to}`).join(', ')}`);
    }
  }
  console.log(
    `summary: ${sum.switches} switches in ${sum.solves} re-solves, ${sum.blocksChanged} blocks changed; solve median ${fmt(sum.solveMs.median)} ms, max ${fmt(sum.solveMs.max)} ms`,
  );
  console.log(`limit: broken on ${sum.violationSteps} of ${sum.steps} steps while a network that meets it existed; no network met it on ${sum.infeasibleSteps}`);
  console.log(`end: ${sum.endsWhereItStarted ? 'the network it started with' : arch(s, r.end)}`);
}

/** Nodes the pool could not prune exactly, grouped by why. */
function wholeNodes(s: Session, r: ScenarioResult): string {
  const by = new Map<string, string[]>();
  for (const w of r.pool.whole) by.set(w.reason, [...(by.get(w.reason) ?? []), s.space.nodes[w.node]!.id]);
  return [...by].map(([reason, nodes]) => `; ${nodes.join(', ')} kept whole (${reason})`).join('');
}
