export * from './types.js';
export { findTarget, missingTargetFiles, targetNames, TARGETS } from './registry.js';
export { benchmarkChoice, DEFAULT_ESTIMATOR, estimateBenchmarkTable } from './tabular.js';
export { PUBLISHED_TABLE_NOTE } from './published.js';
export { ofaTarget } from './predictor.js';
