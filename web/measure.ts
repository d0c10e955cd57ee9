import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { problemFromTable } from '../src/search/from-table.js';
import { warmUpHighs } from '../src/search/highs.js';
import { solveIlp } from '../src/search/ilp.js';
import { sweepLimits, sweepRange } from '../src/search/pareto.js';
import { buildWeb } from './build.js';
import { serveStatic } from './serve.js';
import { defaultObjective, limitableMetrics, loadTable, type LoadedTable } from './src/table.js';

/*
 * Solve time of the same problems in Node and in Chromium (the page's own performance.now() around solveIlp):
 * for each table, `--limits` limits spanning the feasible range of its first limitable metric, each solved
 * `--repeats` times in both, after HiGHS is loaded and warmed up in both. Prints medians and counts the solves
 * whose genomes differ (none should).
 *   node --import tsx web/measure.ts TABLE.json [TABLE.json ...] [--limits 10] [--repeats 3]
 */

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { limits: { type: 'string', default: '10' }, repeats: { type: 'string', default: '3' } },
});
const count = Number(opts.limits);
const repeats = Number(opts.repeats);
if (files.length === 0) throw new Error('usage: node --import tsx web/measure.ts TABLE.json [...] [--limits N] [--repeats N]');

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Plan {
  readonly loaded: LoadedTable;
  readonly file: string;
  readonly objective: string;
  readonly metric: string;
  readonly limits: readonly number[];
}

async function plan(file: string): Promise<Plan> {
  // The page's own loader, so Node solves exactly the problem the page builds.
  const loaded = loadTable(readFileSync(file, 'utf8'), basename(file));
  const objective = defaultObjective(loaded.table);
  const metric = limitableMetrics(loaded.table, objective)[0];
  if (!metric) throw new Error(`${file}: no metric to limit`);
  const model = loaded.table.metrics.find((m) => m.metric === metric)!;
  const free = problemFromTable(loaded.table, loaded.space, objective, []);
  const range = await sweepRange(free, { metric, model });
  if (!range) throw new Error(`${file}: no architecture obeys the rules`);
  return { loaded, file: resolve(file), objective, metric, limits: sweepLimits(range.min, range.max, count) };
}

interface Timings {
  readonly node: number[];
  readonly web: number[];
  readonly mismatches: number;
  readonly warmUp: string;
}

/** Node and page solves alternate, so a change in machine load between them hits both alike. */
async function measure(page: Page, url: string, p: Plan): Promise<Timings> {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('solver-info')?.textContent?.includes('loaded'));
  await page.setInputFiles('#table-file', p.file);
  await page.selectOption('#objective', p.objective);
  const node: number[] = [];
  const web: number[] = [];
  let mismatches = 0;
  let run = 0;
  for (const max of p.limits) {
    const problem = problemFromTable(p.loaded.table, p.loaded.space, p.objective, [{ metric: p.metric, max }]);
    await page.fill(`input[data-metric="${p.metric}"]`, String(max));
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const sol = await solveIlp(problem);
      node.push(performance.now() - t0);
      await page.click('#solve');
      await page.waitForSelector(`#result[data-run="${++run}"]`, { state: 'attached' });
      web.push(Number(await page.getAttribute('#solve-time', 'data-ms')));
      const status = await page.getAttribute('#result', 'data-status');
      const genome = status === 'optimal' ? await page.getAttribute('#result', 'data-genome') : 'infeasible';
      if (genome !== (sol.genome?.join(',') ?? 'infeasible')) mismatches++;
    }
  }
  return { node, web, mismatches, warmUp: (await page.textContent('#solver-info')) ?? '' };
}

const nodeWarmUp = await warmUpHighs();
const plans = [];
for (const f of files) plans.push(await plan(f));
const built = await buildWeb();
const server = await serveStatic(built.dir);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  console.log(`Node ${process.version}: HiGHS loaded and warmed up in ${nodeWarmUp.toFixed(0)} ms; Chromium ${browser.version()}`);
  for (const p of plans) {
    const t = await measure(page, server.url, p);
    const [n, w] = [median(t.node), median(t.web)];
    console.log(`${basename(p.file)}: ${p.objective} under ${p.limits.length} limits on ${p.metric}, ${repeats} solve${repeats > 1 ? 's' : ''} each`);
    console.log(`  Chromium: ${t.warmUp}`);
    console.log(`  median solve ms: Node ${n.toFixed(2)}, Chromium ${w.toFixed(2)} (Chromium/Node ${(w / n).toFixed(2)}); genomes differing: ${t.mismatches}`);
  }
} finally {
  await browser.close();
  await server.close();
}
