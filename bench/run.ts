import { loadNb201 } from '../src/benchmarks/nb201.js';
import { benchDataDir, timeIt } from './common.js';
import { benchEstimators } from './nb201-estimators.js';
import { benchSearch } from './nb201-search.js';

/**
 * `npm run bench [-- --quick]`: every figure is measured in this run, against a baseline measured in the same
 * run (published tables, exhaustive enumeration, enumeration of the true best).
 */
const quick = process.argv.includes('--quick');
const dataDir = benchDataDir();
if (!dataDir) {
  console.error('bench: benchmark data not found: set BLOCKNAS_DATA or put the data at ../shared/data');
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
console.log(`# blocknas benchmarks (${quick ? 'quick' : 'full'}), node ${process.version}, data ${dataDir}`);
const { value: bench, ms } = await timeIt(() => loadNb201(dataDir));
console.log(`NB201 loaded in ${ms.toFixed(0)} ms`);
const budgets = quick ? [100, 400] : [50, 100, 200, 400];
await benchEstimators(bench, dataDir, budgets, quick ? 3 : 5);
await benchSearch(bench, quick ? [100, 400] : [100, 400], 20);
