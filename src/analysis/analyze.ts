import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { archDiversity, type ArchDiversity } from './features.js';
import { DEFAULT_PDS, groupDiversity, PDS_VARIANTS, type GroupDiversity, type PdsVariant } from './pds.js';
import { analysisSpace, type Check } from './spaces.js';

/** A property the data or the published record does not give, with why. */
export interface NotAvailable {
  readonly property: string;
  readonly reason: string;
}

export interface SpaceReport {
  readonly name: string;
  readonly description: string;
  readonly size: {
    /** Decimal strings: exact counts exceed 2^53. */
    readonly total: string;
    readonly unique: string | null;
    readonly log10Total: number;
    readonly log10Unique: number | null;
    readonly totalHow: string;
    readonly uniqueHow: string;
    readonly alternatives?: Readonly<Record<string, number>>;
    readonly references: readonly string[];
  };
  readonly performanceDiversity: {
    readonly proxy: string;
    readonly population: string;
    /** Means over the tasks. */
    readonly pds: Readonly<Record<PdsVariant, number>>;
    readonly kendall: number;
    readonly groups: readonly GroupDiversity[];
  } | null;
  readonly architectureDiversity: ArchDiversity & { readonly population: 'full' | 'sample'; readonly source: string };
  readonly multiTask: {
    readonly count: number;
    readonly tasks: readonly string[];
    /** Where the tasks come from, when not from the performance groups. */
    readonly source?: string;
  };
  readonly checks: readonly Check[];
  readonly notAvailable: readonly NotAvailable[];
  readonly notes: readonly string[];
}

export interface AnalysisReport {
  readonly dataDir: string;
  readonly pdsVariant: PdsVariant;
  readonly spaces: readonly SpaceReport[];
}

const log10 = (x: bigint) => Math.log10(Number(x));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function analyzeSpace(name: string, dataDir: string): SpaceReport {
  const entry = analysisSpace(name);
  const size = entry.size(dataDir);
  const data = entry.load(dataDir);
  const notAvailable: NotAvailable[] = [];
  if (size.unique === null) notAvailable.push({ property: 'size.unique', reason: size.uniqueHow });

  const groups = data.groups.map((g) => groupDiversity(g.task, g.proxy, g.acc));
  let performanceDiversity: SpaceReport['performanceDiversity'] = null;
  if (groups.length === 0) {
    notAvailable.push({ property: 'performanceDiversity', reason: data.perfUnavailable ?? 'no dataset with both jacob_cov and accuracy' });
  } else {
    const pds = {} as Record<PdsVariant, number>;
    for (const v of PDS_VARIANTS) pds[v] = mean(groups.map((g) => g.pds[v]));
    performanceDiversity = {
      proxy: data.proxy,
      population: data.perfPopulation,
      pds,
      kendall: mean(groups.map((g) => g.kendall)),
      groups,
    };
  }

  return {
    name,
    description: entry.description,
    size: {
      total: size.total.toString(),
      unique: size.unique?.toString() ?? null,
      log10Total: log10(size.total),
      log10Unique: size.unique === null ? null : log10(size.unique),
      totalHow: size.totalHow,
      uniqueHow: size.uniqueHow,
      ...(size.alternatives ? { alternatives: size.alternatives } : {}),
      references: size.references,
    },
    performanceDiversity,
    architectureDiversity: { ...archDiversity(data.archs), population: data.archPopulation, source: data.archSource },
    multiTask: data.tasks
      ? { count: data.tasks.length, tasks: data.tasks, ...(data.taskSource ? { source: data.taskSource } : {}) }
      : { count: groups.length, tasks: groups.map((g) => g.task) },
    checks: data.checks,
    notAvailable,
    notes: data.notes,
  };
}

export function analyzeSpaces(names: readonly string[], dataDir: string, pdsVariant: PdsVariant = DEFAULT_PDS): AnalysisReport {
  // Resolve every name and file first, so a typo or a missing file for the last space fails before any loading.
  for (const n of names) {
    const missing = analysisSpace(n).files.filter((f) => !existsSync(join(dataDir, f)));
    if (missing.length > 0) throw new UserError(`space ${n}: missing data file ${missing.join(', ')} in ${dataDir}`);
  }
  return { dataDir, pdsVariant, spaces: names.map((n) => analyzeSpace(n, dataDir)) };
}
