import { mathnasEstimator } from './mathnas.js';
import { regressionEstimator } from './regression.js';
import { sampledEstimator } from './sampled.js';
import type { Estimator } from './types.js';

export const ESTIMATORS: readonly Estimator[] = [mathnasEstimator, sampledEstimator, regressionEstimator];
export type { EstimateRequest, Estimator } from './types.js';
