import highsDefault from 'highs';
import type { Highs, LegacyHighsOptions, LegacyHighsSolution } from 'highs';

/*
 * The package ships ESM at runtime (`build/highs.mjs`, default export = loader) but its declarations sit in a
 * `"type": "commonjs"` package, so under NodeNext TypeScript types the default import as the CJS namespace
 * `{ default: loader }`. Accept both shapes so the code is right for the types and for the runtime.
 */
type HighsLoader = typeof highsDefault.default;
const loaded: unknown = highsDefault;
const highsLoader = (typeof loaded === 'function' ? loaded : (loaded as { default: unknown }).default) as HighsLoader;

type Options = { -readonly [K in keyof LegacyHighsOptions]: LegacyHighsOptions[K] };

/**
 * Options that make a MIP answer a proof. Both gaps are 0 because the defaults (rel 1e-4, abs 1e-6) let HiGHS stop
 * on a solution that is only near-optimal, and accuracy differences between architectures are often that small.
 * HiGHS still prunes nodes that cannot beat the incumbent by more than mip_feasibility_tolerance (absolute, in
 * objective units), so that tolerance is lowered and lp-format.ts scales objectives so it is ~1e-12 of their range.
 */
const BASE_OPTIONS: Options = {
  output_flag: false,
  presolve: 'on',
  mip_rel_gap: 0,
  mip_abs_gap: 0,
  mip_feasibility_tolerance: 1e-9,
};

/**
 * The feasibility-jump primal heuristic (recent HiGHS) costs ~13 ms per solve in this Wasm build even on a
 * 30-binary problem, ten times the rest of the solve; it only finds a first incumbent, which these small
 * assignment problems never lack. Older builds reject unknown option names, hence the probe.
 */
const OPTIONAL_OFF = ['mip_heuristic_run_feasibility_jump'] as const;

export interface HighsRuntime {
  readonly highs: Highs;
  readonly options: Options;
}

let runtime: Promise<HighsRuntime> | null = null;
let solves = 0;
let loads = 0;

async function load(): Promise<HighsRuntime> {
  const highs = await highsLoader();
  loads++;
  let names: readonly string[] = [];
  try {
    names = highs.withModel((m) => m.options.names());
  } catch {
    // Older runtimes have no persistent API: keep only the options every version knows.
  }
  const options: Options = { ...BASE_OPTIONS };
  for (const name of OPTIONAL_OFF) if (names.includes(name)) (options as Record<string, unknown>)[name] = false;
  return { highs, options };
}

/** The loaded HiGHS runtime (loaded once; later calls share the promise). */
export function loadHighs(): Promise<HighsRuntime> {
  if (!runtime) {
    runtime = load();
    // A failed load must not poison every later solve.
    runtime.catch(() => {
      runtime = null;
    });
  }
  return runtime;
}

export interface MipResult {
  readonly status: 'optimal' | 'infeasible';
  /** Primal value of every column, by name (empty when infeasible). */
  readonly columns: ReadonlyMap<string, number>;
}

/**
 * Solves CPLEX LP text as a proven-optimal MIP. The one-shot `solve` creates and destroys a native instance per
 * call: 5,000 consecutive solves kept Wasm memory at its initial 21 MB and RSS flat, so no periodic reload is
 * needed. A solver exception (e.g. a Wasm abort) can leave the module unusable, so it is dropped and reloaded on
 * the next call.
 */
export async function solveMip(lp: string): Promise<MipResult> {
  const { highs, options } = await loadHighs();
  let result: LegacyHighsSolution;
  try {
    result = highs.solve(lp, options);
  } catch (err) {
    runtime = null;
    throw err;
  }
  solves++;
  const status = result.Status;
  // Every column is a bounded binary, so "unbounded" is impossible and the ambiguous presolve verdict means infeasible.
  if (status === 'Infeasible' || status === 'Primal infeasible or unbounded') {
    return { status: 'infeasible', columns: new Map() };
  }
  if (status !== 'Optimal') throw new Error(`HiGHS did not prove optimality: status "${status}"`);
  const columns = new Map<string, number>();
  for (const [name, col] of Object.entries(result.Columns)) {
    const primal = (col as { Primal?: number }).Primal;
    if (typeof primal !== 'number') throw new Error(`HiGHS returned no value for column ${name}`);
    columns.set(name, primal);
  }
  return { status: 'optimal', columns };
}

export interface HighsStats {
  readonly solves: number;
  readonly loads: number;
  /** Current Wasm linear-memory capacity (it only grows), or 0 before the first load. */
  readonly memoryBytes: number;
  readonly version: string;
}

/** Counters for leak checks and reports. */
export async function highsStats(): Promise<HighsStats> {
  const { highs } = await loadHighs();
  return { solves, loads, memoryBytes: highs.memoryBytes, version: highs.version.string };
}

/**
 * Loads HiGHS and runs a trivial MIP so that a timed solve measures the solve, not WebAssembly compilation
 * (the first solve of a process costs ~0.4 s). Returns the milliseconds spent.
 */
export async function warmUpHighs(): Promise<number> {
  const t0 = performance.now();
  await solveMip('Maximize\n obj: x\nSubject To\n c: x <= 1\nBinary\n x\nEnd\n');
  return performance.now() - t0;
}
