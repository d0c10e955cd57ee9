import highsDefault from 'highs';
import type { Highs, LegacyHighsOptions, LegacyHighsSolution, ModelData } from 'highs';
import { modelToLp } from './lp-format.js';
import type { MipModel } from './mip-model.js';

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
 * objective units), so that tolerance is lowered and formulation.ts scales objectives so it is ~1e-12 of their range.
 */
const BASE_OPTIONS: Options = {
  output_flag: false,
  presolve: 'on',
  mip_rel_gap: 0,
  mip_abs_gap: 0,
  mip_feasibility_tolerance: 1e-9,
};

/**
 * The feasibility-jump primal heuristic (recent HiGHS) costs more than the rest of the solve in this Wasm build even
 * on a small problem (docs/notes/2026-12-08-solve-times.md); it only finds a first incumbent, which these small assignment problems
 * never lack. Older builds reject unknown option names, hence the probe.
 */
const OPTIONAL_OFF = ['mip_heuristic_run_feasibility_jump'] as const;

/**
 * Extra settings for programs with pair terms, started from a heuristic incumbent (ilp.ts). With default settings a
 * solve of an NB201 pair problem spent most of its time at the root, in sub-MIP heuristics (RINS/RENS, pointless once
 * an incumbent is given), restarts, strong branching and rounds of cuts that barely moved the bound; these settings
 * made those solves several times faster, and each mattered on its own (docs/notes/2026-12-08-solve-times.md). Symmetry detection and
 * cuts at nodes made no difference and keep their defaults, as does presolve (off helps the easy solves but hurts
 * the hard ones). Proof does not depend on them: the gaps stay 0.
 */
const PAIR_OPTIONS: Readonly<Record<string, boolean | number>> = {
  mip_heuristic_effort: 0,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_allow_restart: false,
  mip_pool_soft_limit: 1,
  mip_pscost_minreliable: 0,
};

export interface HighsRuntime {
  readonly highs: Highs;
  readonly options: Options;
  /** Option names this build knows; tuning options it lacks are left out rather than failing the solve. */
  readonly names: ReadonlySet<string>;
}

let runtime: Promise<HighsRuntime> | null = null;
let solves = 0;
let loads = 0;
let loaderOptions: Parameters<HighsLoader>[0];

/**
 * Options for the Wasm loader, for the next load. Node needs none (the loader reads highs.wasm beside its module);
 * a browser bundle passes `locateFile` to say where it serves highs.wasm (web/src/main.ts).
 */
export function setHighsLoaderOptions(options: Parameters<HighsLoader>[0]): void {
  loaderOptions = options;
  runtime = null;
}

async function load(): Promise<HighsRuntime> {
  const highs = await highsLoader(loaderOptions);
  loads++;
  let names: readonly string[] = [];
  try {
    names = highs.withModel((m) => m.options.names());
  } catch {
    // Older runtimes have no persistent API: keep only the options every version knows.
  }
  const options: Options = { ...BASE_OPTIONS };
  for (const name of OPTIONAL_OFF) if (names.includes(name)) (options as Record<string, unknown>)[name] = false;
  return { highs, options, names: new Set(names) };
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

export interface ModelSolveOptions {
  /** A feasible value for every column: HiGHS starts from it as its incumbent and need only prove or beat it. */
  readonly start?: readonly number[];
  /** Use the settings tuned for pair-term programs (PAIR_OPTIONS). */
  readonly pairTuned?: boolean;
}

function toModelData(highs: Highs, model: MipModel): ModelData {
  const inf = highs.infinity;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (const row of model.rows) {
    // A loop, not push(...cols): spreading a long limit row could overflow the call stack.
    for (let k = 0; k < row.cols.length; k++) {
      indices.push(row.cols[k]!);
      values.push(row.coefs[k]!);
    }
    starts.push(indices.length);
    rowLower.push(row.op === '<=' ? -inf : row.rhs);
    rowUpper.push(row.op === '>=' ? inf : row.rhs);
  }
  const numCols = model.colNames.length;
  const numRows = model.rows.length;
  return {
    numCols,
    numRows,
    sense: model.sense === 'maximize' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(model.cost),
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows,
      numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integrality: Int32Array.from(model.binary, (b) => (b ? 1 : 0)),
  };
}

/**
 * Solves a MipModel as a proven-optimal MIP through HiGHS's persistent API. Passing arrays skips writing and parsing
 * LP text, which cost most of a solve for the NB201 pair programs, and it is the API that accepts a start. Names are
 * not passed (they cost time too; docs/notes/2026-12-08-solve-times.md); columns are matched by index.
 *
 * A start rather than objective_bound: for a maximisation HiGHS applies objective_bound to its internal minimisation
 * objective, so the cutoff must be written as −(incumbent + δ); the natural value makes HiGHS answer "infeasible" at
 * once, which reads like a proof. Even with the right sign HiGHS reported "optimal" with an architecture worse than
 * the cutoff on 2 of 40 NB201 problems, and it was no faster than a start, which HiGHS keeps unless it finds better.
 */
export async function solveModel(model: MipModel, opts: ModelSolveOptions = {}): Promise<MipResult> {
  const { highs, options, names } = await loadHighs();
  // package.json admits builds from before the persistent API; they still solve the same program, from text.
  if (typeof highs.createModel !== 'function') return solveMip(modelToLp(model));
  const m = highs.createModel();
  let status: number;
  let values: Float64Array | null = null;
  try {
    m.passModel(toModelData(highs, model));
    const set: Record<string, boolean | number | string> = { ...options };
    if (opts.pairTuned) for (const [k, v] of Object.entries(PAIR_OPTIONS)) if (names.has(k)) set[k] = v;
    m.options.set(set);
    if (opts.start) m.setSolution({ colValue: Float64Array.from(opts.start) });
    status = m.run().modelStatus;
    if (status === highs.constants.modelStatus.optimal) values = m.getSolution().colValue;
  } catch (err) {
    runtime = null;
    throw err;
  } finally {
    m.dispose();
  }
  solves++;
  const codes = highs.constants.modelStatus;
  // Every column is bounded, so "unbounded" is impossible and the ambiguous verdict means infeasible.
  if (status === codes.infeasible || status === codes.unboundedOrInfeasible) {
    return { status: 'infeasible', columns: new Map() };
  }
  if (!values) throw new Error(`HiGHS did not prove optimality: model status ${status}`);
  const columns = new Map<string, number>();
  model.colNames.forEach((name, c) => columns.set(name, values[c]!));
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
  // The array path has its own first-call costs; solveIlp takes it.
  const rows = [{ name: 'c', cols: [0], coefs: [1], op: '<=' as const, rhs: 1 }];
  const tiny: MipModel = { sense: 'maximize', colNames: ['x'], cost: [1], binary: [true], rows };
  await solveModel(tiny, { start: [1], pairTuned: true });
  return performance.now() - t0;
}
