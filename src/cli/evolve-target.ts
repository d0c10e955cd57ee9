import { tabularTarget, type EvolveTarget } from '../evolve/target.js';
import { openBenchmark } from './session.js';

export interface TargetOptions {
  dataDir?: string;
  dataset?: string;
  device?: string;
}

/** The space `evolve` runs on, with the dataset and device that bare objective names refer to. */
export function openEvolveTarget(space: string, opts: TargetOptions): { target: EvolveTarget; dataset: string; device: string } {
  const { bench, dataset, device } = openBenchmark(space, opts);
  return { target: tabularTarget(bench), dataset, device };
}
