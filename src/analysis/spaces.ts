import { UserError } from '../errors.js';
import { satisfiesRules } from '../space/space.js';
import { parseNb201 } from '../spaces/nb201/space.js';
import { enumerateGenomes } from '../space/count.js';
import { ANALYSIS_FILES, JACOV_SENTINEL, loadNb201Full, tnbMicroFullArchs, zcGroups, type ZcGroup } from './data.js';
import { dartsLayers } from './darts.js';
import { MATHNAS_ANALYSIS_SPACES } from './mathnas.js';
import type { LayerType } from './features.js';
import { nb101Edges, nb101Layers, NB101_MAX_EDGES, parseNb101 } from './nb101.js';
import { nb201LayersOf } from './nb201-layers.js';
import { natsUniqueString } from './nb201-iso.js';
import { nb101Size, nb201Size, nb301Size, tnbMacroSize, tnbMicroSize, type SizeInfo } from './size.js';
import { createTnbMacroSpace, tnbMacroLayers, tnbMicroLayers } from './tnb101.js';

/** Proxy scores against accuracy, one group per dataset or task. */
export interface PerfGroup {
  readonly task: string;
  readonly proxy: Float64Array;
  readonly acc: Float64Array;
}

export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

/** What the data directory says about a space. */
export interface SpaceData {
  readonly proxy: string;
  readonly perfPopulation: string;
  readonly groups: readonly PerfGroup[];
  /** Layer lists of the architectures the diversity is taken over. */
  readonly archs: readonly (readonly LayerType[])[];
  readonly archPopulation: 'full' | 'sample';
  readonly archSource: string;
  /** Cross-checks of the computed sizes and rules against the data. */
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
  /** Why there is no performance group, where the space has none (else a generic reason is given). */
  readonly perfUnavailable?: string;
  /** Datasets or tasks with results, where they are not the performance groups' (a space without proxy scores). */
  readonly tasks?: readonly string[];
  readonly taskSource?: string;
}

export interface AnalysisSpace {
  readonly name: string;
  readonly description: string;
  /** Data files `load` reads, checked up front so a missing one fails before any loading. */
  readonly files: readonly string[];
  /** Most sizes follow from the space's definition alone; a space built from data files reads them from `dataDir`. */
  size(dataDir: string): SizeInfo;
  load(dataDir: string): SpaceData;
}

const NASLIB_JACOV = 'jacov (NASLib zero-cost benchmark, batch 32)';

function sentinelNote(groups: readonly ZcGroup[]): string[] {
  const hits = groups.map((g) => g.jacov.filter((x) => x === JACOV_SENTINEL).length);
  const total = hits.reduce((a, b) => a + b, 0);
  return total ? [`${total} jacov values are NASLib's ${JACOV_SENTINEL} floor (${hits.join('/')} per task); kept: they set the min-max range of the literal PDS, not the quantiles of the robust one`] : [];
}

function fromZc(dataDir: string, benchmark: string, layersOf: (arch: string) => LayerType[], what: string) {
  const groups = zcGroups(dataDir, benchmark);
  if (groups.length === 0) throw new UserError(`data file ${ANALYSIS_FILES.zc} has no rows for benchmark ${benchmark}`);
  const distinct = [...new Set(groups.flatMap((g) => g.archs))];
  const sizes = groups.map((g) => g.archs.length);
  return {
    groups,
    perf: {
      proxy: NASLIB_JACOV,
      perfPopulation: `NASLib sample, ${sizes.join('/')} archs per task`,
      groups: groups.map((g) => ({ task: g.task, proxy: g.jacov, acc: g.acc })),
    },
    distinct,
    archs: { archs: distinct.map(layersOf), archPopulation: 'sample' as const, archSource: `${distinct.length} distinct sampled ${what} of ${ANALYSIS_FILES.zc}` },
  };
}

export const ANALYSIS_SPACES: readonly AnalysisSpace[] = [
  {
    name: 'nb101',
    description: 'NAS-Bench-101: 7-vertex cell, 3 ops, ≤ 9 edges; CIFAR-10',
    files: [ANALYSIS_FILES.zc],
    size: nb101Size,
    load(dataDir) {
      const z = fromZc(dataDir, 'nasbench101', nb101Layers, 'cells');
      const over = z.distinct.filter((a) => nb101Edges(parseNb101(a)) > NB101_MAX_EDGES).length;
      const notes = over ? [`${over} of the ${z.distinct.length} sampled cells have more than ${NB101_MAX_EDGES} edges, which NB101 does not allow; their layers are still counted as encoded`] : [];
      return { ...z.perf, ...z.archs, checks: [], notes: [...notes, ...sentinelNote(z.groups)] };
    },
  },
  {
    name: 'nb201',
    description: 'NAS-Bench-201: 6-edge cell, 5 ops; CIFAR-10, CIFAR-100, ImageNet16-120',
    files: [ANALYSIS_FILES.nb201],
    size: nb201Size,
    load(dataDir) {
      const d = loadNb201Full(dataDir);
      const mismatched = d.archs.filter((a, i) => natsUniqueString(parseNb201(a)) !== d.isoUnique[i]).length;
      const computed = nb201Size().unique;
      const checks = [
        {
          ok: BigInt(d.isoClasses) === computed && mismatched === 0,
          detail: `iso_class has ${d.isoClasses} classes, ${computed} computed; ${mismatched} of ${d.archs.length} computed unique strings differ from iso_unique_str`,
        },
      ];
      return {
        proxy: 'jacob_cov (NASWOT v1 on CIFAR-10, batch 256)',
        perfPopulation: `full space, ${d.jacov.filter(Number.isFinite).length} of ${d.archs.length} archs with a finite score`,
        groups: Object.entries(d.acc).map(([task, acc]) => ({ task, proxy: d.jacov, acc })),
        archs: d.archs.map(nb201LayersOf),
        archPopulation: 'full',
        archSource: `all ${d.archs.length} cells of ${ANALYSIS_FILES.nb201}`,
        checks,
        notes: ['one jacob_cov score (computed on CIFAR-10) is ranked against each dataset, as in the published summary'],
      };
    },
  },
  {
    name: 'nb301',
    description: 'NAS-Bench-301: the DARTS space (normal + reduction cell, 7 ops); CIFAR-10 surrogate',
    files: [ANALYSIS_FILES.zc],
    size: nb301Size,
    load(dataDir) {
      const z = fromZc(dataDir, 'nasbench301', dartsLayers, 'genotypes');
      return { ...z.perf, ...z.archs, checks: [{ ok: true, detail: `all ${z.distinct.length} sampled genotypes parse as DARTS cells` }], notes: sentinelNote(z.groups) };
    },
  },
  {
    name: 'tnb101-micro',
    description: 'TransNAS-Bench-101 cell level: 6-edge cell, 4 ops, fixed skeleton; 7 tasks',
    files: [ANALYSIS_FILES.zc, ANALYSIS_FILES.tnbMicroFull],
    size: tnbMicroSize,
    load(dataDir) {
      const z = fromZc(dataDir, 'transbench101_micro', tnbMicroLayers, 'cells');
      const full = tnbMicroFullArchs(dataDir);
      const total = tnbMicroSize().total;
      return {
        ...z.perf,
        archs: full.map(tnbMicroLayers),
        archPopulation: 'full',
        archSource: `all ${full.length} cells of ${ANALYSIS_FILES.tnbMicroFull}`,
        checks: [{ ok: BigInt(full.length) === total, detail: `${ANALYSIS_FILES.tnbMicroFull} holds ${full.length} distinct cells, ${total} computed` }],
        notes: sentinelNote(z.groups),
      };
    },
  },
  {
    name: 'tnb101-macro',
    description: 'TransNAS-Bench-101 macro level: chains of 4–6 ResNet modules; 7 tasks',
    files: [ANALYSIS_FILES.zc],
    size: tnbMacroSize,
    load(dataDir) {
      const z = fromZc(dataDir, 'transbench101_macro', tnbMacroLayers, 'networks');
      const space = createTnbMacroSpace();
      const outside = z.distinct.filter((a) => !satisfiesRules(space.rules, space.parse(a)));
      const all = [...enumerateGenomes(space)].map((g) => tnbMacroLayers(space.format(g)));
      return {
        ...z.perf,
        archs: all,
        archPopulation: 'full',
        archSource: `all ${all.length} networks enumerated under the macro rules`,
        checks: [
          {
            ok: outside.length === 0,
            detail: `${z.distinct.length - outside.length} of ${z.distinct.length} sampled networks satisfy the macro coupling rules${outside.length ? `; e.g. ${outside[0]} does not` : ''}`,
          },
        ],
        notes: sentinelNote(z.groups),
      };
    },
  },
  ...MATHNAS_ANALYSIS_SPACES,
];

export function analysisSpace(name: string): AnalysisSpace {
  const s = ANALYSIS_SPACES.find((x) => x.name === name);
  if (!s) throw new UserError(`unknown space "${name}" (known: ${ANALYSIS_SPACES.map((x) => x.name).join(', ')})`);
  return s;
}
