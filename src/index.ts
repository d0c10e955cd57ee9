/**
 * blocknas's public entry point (`import { searchTable } from 'blocknas'`): spaces, benchmarks, block tables and
 * their estimation, prediction with intervals, and search under limits that hold. The CLI is built on these; the
 * rest of the library is reached by path until the API is widened (issue 19).
 */
export { UserError } from './errors.js';
export type { Genome, SearchSpace, CouplingRule, BlockNode, Block } from './space/types.js';
export { createSpace, isOwnEffectiveForm } from './space/space.js';
export { createNb201Space } from './spaces/nb201/space.js';
export { builtinSpace, shippedTablePath } from './builtin/spaces.js';
export { loadBenchmark } from './benchmarks/registry.js';
export type { TabularBenchmark } from './core/tabular-benchmark.js';
export type { Evaluator, Metrics } from './core/metrics.js';

export { readBlockTable } from './core/block-table-file.js';
export { parseBlockTable, type BlockTable, type MetricTable } from './core/block-table.js';
export { ESTIMATORS, type Estimator, type EstimateRequest } from './predict/estimators/index.js';
export { predict, predictMetric } from './predict/predict.js';
export { costCandidates, fitCostMetric, withResiduals, type CostCandidate, type FittedCost } from './predict/cost-model.js';
export { conformalQuantile, costInterval, DEFAULT_CONFIDENCE, type Interval } from './predict/interval.js';
export { floorCost, measuredRange } from './predict/measured-range.js';

export type { Limit, Problem, Solution } from './search/problem.js';
export { holdLimits, problemFromHeld, problemFromTable, type HeldLimit, type LimitSpec } from './search/from-table.js';
export { solveIlp, type IlpOptions } from './search/ilp.js';
export { solveExhaustive } from './search/exhaustive.js';
export { explainInfeasible } from './search/explain.js';
export { noGood } from './search/no-good.js';
export { meetsLimits, verifiedSearch, type Measure, type VerifiedSearch, type VerifyOptions } from './search/verify.js';
export {
  describeUnreachable,
  searchTable,
  unreachableLimits,
  type SolvedTableSearch,
  type TableSearch,
  type TableSearchOptions,
  type UnreachableLimit,
} from './search/table-search.js';
export { refineSearch, type RefineOptions, type RefineResult } from './search/refine.js';

// The high-level API: a registry space opened by name, searched with one options object.
export { openTarget, type OpenTargetOptions } from './api/open-target.js';
export { search, type SearchOptions, type SearchResult } from './api/search.js';
export { findTarget, targetNames, TARGETS } from './targets/registry.js';
export type { Capability, OpenOptions, TableTarget, TargetEntry, TargetInfo, TargetKind } from './targets/types.js';
export { spaceForTable, TABLE_SPACE_NAMES } from './targets/table-spaces.js';
export { fieldError } from './errors.js';

// Your own space and trainer: a declarative space file and the external-command evaluator behind it.
export { parseSpaceFile, readSpaceFile, spaceFromDefinition, type SpaceFile } from './spaces/space-file/space.js';
export { createSpaceFileEvaluator, spaceFileEvaluatorKey } from './spaces/space-file/evaluator.js';
export { createExternalEvaluator, type ExternalEvaluatorOptions } from './eval/external.js';
export { failureOf, type EvaluationFailure } from './eval/failure.js';
export { spaceFileEntry, type SpaceFileEvaluation } from './targets/space-file.js';
export { regressionEstimator } from './predict/estimators/regression.js';
export { openSqliteStore } from './store/sqlite.js';
export { cachedEvaluator } from './eval/cached.js';

// Published block tables and predictors, and run-time block switching.
export { mathnasTable, MATHNAS_SPACES, type MathnasSpaceName } from './benchmarks/mathnas-tables.js';
export { loadOfaMbv3 } from './benchmarks/ofa-mbv3/index.js';
export { createMbv3MiniSpace } from './spaces/mbv3-mini/space.js';
export { createSwitcher } from './switching/switcher.js';
export { parseProfile, profileFactors, runScenario } from './switching/scenario.js';

// The high-level calls every command makes.
export { estimateBlocks, type EstimateOptions, type EstimateResult } from './api/estimate.js';
export { evolve, type EvolveOptions, type EvolveOutcome } from './api/evolve.js';
export { runSearch, limitPolicy, type SearchRun } from './api/search.js';
export { predictArchitecture, type Prediction, type PredictOptions, type ReportedCost } from './api/predict.js';
export { analyze, type AnalyzeOptions, type AnalyzeResult } from './api/analyze.js';
export { simulateSwitching, type SwitchOptions } from './api/switch.js';
export { validate, type ValidateOptions } from './api/validate.js';
