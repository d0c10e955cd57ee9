import { analyzeSpaces, type AnalysisReport } from '../analysis/analyze.js';
import { DEFAULT_PDS, PDS_VARIANTS, type PdsVariant } from '../analysis/pds.js';
import { radarData, radarSvg, type RadarData } from '../analysis/radar.js';
import { requireDataDir } from '../data/dir.js';
import { fieldError } from '../errors.js';
import { findTarget } from '../targets/registry.js';

export interface AnalyzeOptions {
  /** Registry spaces to compare side by side (any with the analyze capability). */
  readonly spaces: readonly string[];
  readonly dataDir?: string;
  /** The performance diversity score's variant (default robust). */
  readonly pds?: string;
}

export interface AnalyzeResult {
  readonly report: AnalysisReport;
  readonly radar: RadarData;
  /** The radar chart as a standalone SVG document. */
  readonly svg: string;
}

/** The pre-search analysis of spaces (size, performance and architecture diversity, tasks), as `blocknas analyze`. */
export function analyze(o: AnalyzeOptions): AnalyzeResult {
  const pds = o.pds ?? DEFAULT_PDS;
  if (!(PDS_VARIANTS as readonly string[]).includes(pds)) throw fieldError('pds', `expected one of ${PDS_VARIANTS.join(', ')}, got "${pds}"`);
  if (o.spaces.length === 0) throw fieldError('spaces', 'give at least one space');
  for (const s of o.spaces) findTarget(s, 'analyze');
  const report = analyzeSpaces(o.spaces, requireDataDir(o.dataDir), pds as PdsVariant);
  return { report, radar: radarData(report), svg: radarSvg(report) };
}
