import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadOfaMbv3, OFA_MBV3_FILES } from '../benchmarks/ofa-mbv3/index.js';
import { requireDataDir } from '../data/dir.js';
import { UserError } from '../errors.js';
import type { EvolveTarget } from '../evolve/target.js';
import { tabularTarget } from '../evolve/target.js';
import { openBenchmark } from './session.js';

export interface TargetOptions {
  dataDir?: string;
  dataset?: string;
  device?: string;
}

/** The once-for-all MobileNetV3 space: too large to enumerate, so there is no true front; truth is computed on demand. */
export function ofaTarget(dataDir: string): EvolveTarget {
  const missing = Object.values(OFA_MBV3_FILES).filter((f) => !existsSync(join(dataDir, f)));
  if (missing.length > 0) throw new UserError(`space ofa-mbv3: missing data file ${missing.join(', ')} in ${dataDir}`);
  const ofa = loadOfaMbv3(dataDir);
  return {
    name: 'ofa-mbv3',
    space: ofa.space,
    metrics: ofa.metrics,
    evaluator: (ids) => ofa.evaluator(ids),
    fineTune: {
      available: false,
      reason: "ofa-mbv3's accuracy comes from OFA's accuracy predictor, not from a network blocknas can train or fine-tune",
    },
  };
}

/** The space `evolve` runs on, with the dataset and device that bare objective names refer to. */
export function openEvolveTarget(space: string, opts: TargetOptions): { target: EvolveTarget; dataset: string; device: string } {
  if (space === 'ofa-mbv3') {
    if (opts.dataset !== undefined && opts.dataset !== 'imagenet') throw new UserError(`--dataset: space ofa-mbv3 has imagenet only, not "${opts.dataset}"`);
    const device = opts.device ?? 'note10';
    if (!['note10', 'i7-8700k'].includes(device)) throw new UserError(`--device: "${device}" is not an ofa-mbv3 device (one of note10, i7-8700k)`);
    return { target: ofaTarget(requireDataDir(opts.dataDir)), dataset: 'imagenet', device };
  }
  const { bench, dataset, device } = openBenchmark(space, opts);
  return { target: tabularTarget(bench), dataset, device };
}
