import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type Rng } from '../src/random.js';
import { warmUpHighs } from '../src/search/highs.js';
import { solveIlp } from '../src/search/ilp.js';
import { limitValue, objectiveValue, type Problem } from '../src/search/problem.js';
import { median } from '../src/stats/summary.js';
import { section, table } from './common.js';

/** Sizes as [nodes, blocks]. */
const SIZES: readonly (readonly [number, number])[] = [
  [6, 5],
  [20, 10],
  [50, 20],
  [200, 10],
];

/** mip_rel_gap for the native solves whose answers are checked. */
const EXACT_GAP = 1e-9;

/** HiGHS (WebAssembly) is left out of a size once one of its solves takes longer than this. */
const WASM_SKIP_MS = 5000;

const RECIPE =
  'objective and both limits uniform in [0, 1) per block, no intercepts, rules or pairs; each cap at min + u (max - min) of its own limit, u uniform in [0.4, 0.6]';

/** A two-limit multiple-choice program of the recipe above. */
export function scaleProblem(rng: Rng, nodes: number, blocks: number): Problem {
  const radix = Array.from({ length: nodes }, () => blocks);
  const table = () => radix.map((r) => Array.from({ length: r }, () => rng.next()));
  const limits = [0, 1].map((k) => {
    const values = table();
    const min = values.reduce((s, row) => s + Math.min(...row), 0);
    const max = values.reduce((s, row) => s + Math.max(...row), 0);
    return { metric: `m${k}`, model: { intercept: 0, values }, max: min + (max - min) * (0.4 + 0.2 * rng.next()) };
  });
  return { radix, objective: { model: { intercept: 0, values: table() } }, limits, rules: [] };
}

/** The Python interpreter: $BLOCKNAS_PYTHON, else Debian's (whose scipy is python3-scipy), else whatever python3 is. */
function python(): string {
  return process.env.BLOCKNAS_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

interface NativeRun {
  readonly scipy: string;
  readonly results: { genome: number[] | null; ms: number; status: number }[];
}

/** All problems solved by scipy.optimize.milp in one subprocess (bench/scale_milp.py), or why that failed (no scipy). */
function solveNative(problems: readonly Problem[], options: Record<string, number> = {}): NativeRun | { error: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'scale_milp.py');
  const job = {
    warmup: true,
    options,
    problems: problems.map((p) => ({
      radix: p.radix,
      values: p.objective.model.values,
      limits: p.limits.map((l) => ({ weights: l.model.values, cap: l.max - l.model.intercept })),
    })),
  };
  const r = spawnSync(python(), [script], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) return { error: (r.error?.message ?? r.stderr).trim().split('\n').pop() ?? 'failed' };
  return JSON.parse(r.stdout) as NativeRun;
}

function feasible(p: Problem, g: readonly number[]): boolean {
  return p.limits.every((l) => limitValue(l, g) <= l.max + 1e-9 * Math.max(1, Math.abs(l.max)));
}

/** Whether two answers agree: both infeasible, or both feasible with objectives within relative 1e-6. */
function agree(p: Problem, a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (!a || !b) return a === b;
  if (!feasible(p, a) || !feasible(p, b)) return false;
  const x = objectiveValue(p.objective, a);
  const y = objectiveValue(p.objective, b);
  return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
}

/**
 * `npm run bench -- --only scale`: solveIlp (the branch and bound) against native HiGHS (scipy.optimize.milp) and
 * HiGHS WebAssembly on random two-limit programs of growing size, optima cross-checked.
 */
export async function benchScale({ quick = false }: { quick?: boolean } = {}): Promise<void> {
  const count = quick ? 5 : 20;
  section(`Solve times on random two-limit programs (${count} per size, seeded), branch and bound against native HiGHS`);
  console.log(`recipe: ${RECIPE}`);
  const sets = SIZES.map(([n, b], k) => {
    const rng = createRng(9100 + k);
    return { label: `${n}x${b}`, problems: Array.from({ length: count }, () => scaleProblem(rng, n, b)) };
  });
  const all = sets.flatMap((s) => s.problems);
  // HiGHS stops at a relative gap of 1e-4 by default, so its answers are checked with the gap closed to EXACT_GAP.
  const native = solveNative(all);
  const exact = 'error' in native ? native : solveNative(all, { mip_rel_gap: EXACT_GAP });
  if ('error' in native) console.log(`native HiGHS unavailable (${python()}: ${native.error}); install Debian's python3-scipy to compare`);
  else console.log(`native HiGHS: scipy ${native.scipy} milp (${python()}), one subprocess, only the milp call timed after one warm-up solve; default options, and mip_rel_gap ${EXACT_GAP} ("exact")`);
  await warmUpHighs();
  // One untimed pass per solver first, so that the timed solves run compiled code, as in a long-lived process.
  for (const p of all) await solveIlp(p);
  for (const p of all) await solveIlp(p, { solver: 'highs' });
  const rows: (string | number)[][] = [];
  let offset = 0;
  for (const { label, problems } of sets) {
    const bb: number[] = [];
    const wasm: number[] = [];
    const nat: number[] = [];
    const natExact: number[] = [];
    let differs = 0;
    let defaultWorse = 0;
    let infeasible = 0;
    let skipWasm = false;
    for (const [k, p] of problems.entries()) {
      const s = await solveIlp(p);
      const g = s.genome ?? null;
      bb.push(s.solveMs);
      if (s.status !== 'optimal') infeasible++;
      if (!('error' in native) && !('error' in exact)) {
        const [r, e] = [native.results[offset + k]!, exact.results[offset + k]!];
        nat.push(r.ms);
        natExact.push(e.ms);
        if (!agree(p, g, e.genome)) differs++;
        if (!agree(p, g, r.genome)) defaultWorse++;
      }
      if (!skipWasm) {
        const h = await solveIlp(p, { solver: 'highs' });
        wasm.push(h.solveMs);
        skipWasm = h.solveMs > WASM_SKIP_MS;
        if (!agree(p, g, h.genome ?? null)) differs++;
      }
    }
    offset += problems.length;
    const cell = (xs: number[]) => (xs.length > 0 ? median(xs).toFixed(2) : '-');
    const ratio = (xs: number[]) => (xs.length > 0 ? `${(median(bb) / median(xs)).toFixed(2)}x` : '-');
    const wasmCell = wasm.length === problems.length ? cell(wasm) : `skipped (${wasm.at(-1)!.toFixed(0)} ms on one)`;
    rows.push([label, problems.length, infeasible, cell(bb), cell(nat), ratio(nat), cell(natExact), ratio(natExact), wasmCell, differs, nat.length > 0 ? defaultWorse : '-']);
  }
  table(
    ['nodes x blocks', 'problems', 'infeasible', 'solveIlp ms', 'native ms', 'solveIlp / native', 'native exact ms', 'solveIlp / exact', 'HiGHS wasm ms', 'optimum differs', 'native default off'],
    rows,
  );
  console.log('ms: medians over the problems, solveIlp and HiGHS wasm timed after an untimed pass of each over all problems. optimum differs: solveIlp against native exact and HiGHS wasm (objective, relative 1e-6); native default off: default-gap answers short of the optimum.');
}
