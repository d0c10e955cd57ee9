import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadOfaMbv3, OFA_MBV3_FILES } from '../benchmarks/ofa-mbv3/index.js';
import { requireDataDir } from '../data/dir.js';
import { fieldError, UserError } from '../errors.js';
import type { EvolveTarget } from '../evolve/target.js';
import { countGenomes } from '../space/count.js';
import type { TargetEntry } from './types.js';

const OFA_DEVICES = ['note10', 'i7-8700k'];

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

export const PREDICTOR_TARGETS: readonly TargetEntry[] = [
  {
    name: 'ofa-mbv3',
    kind: 'predictor',
    description: "once-for-all MobileNetV3 (ImageNet): kernel, expand ratio and depth per stage; accuracy from OFA's published predictor, latency from its Note10 and i7-8700K tables (evolve only: too large for a block table)",
    files: Object.values(OFA_MBV3_FILES),
    defaults: { dataset: 'imagenet', device: 'note10' },
    capabilities: ['evolve'],
    describe(dataDir) {
      const t = ofaTarget(requireDataDir(dataDir));
      return { nodes: t.space.nodes.length, size: Number(countGenomes(t.space)), datasets: ['imagenet'], devices: OFA_DEVICES, metrics: t.metrics.map((m) => ({ id: m.id, unit: m.unit, source: m.source })) };
    },
    openEvolve(o) {
      if (o.dataset !== undefined && o.dataset !== 'imagenet') throw fieldError('dataset', `space ofa-mbv3 has imagenet only, not "${o.dataset}"`);
      const device = o.device ?? 'note10';
      if (!OFA_DEVICES.includes(device)) throw fieldError('device', `"${device}" is not an ofa-mbv3 device (one of ${OFA_DEVICES.join(', ')})`);
      return { target: ofaTarget(requireDataDir(o.dataDir)), dataset: 'imagenet', device };
    },
  },
];
