import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { HAT_LATENCY_CSV } from '../src/benchmarks/mathnas-hat-layer.js';
import { MATHNAS_TABLES } from '../src/benchmarks/mathnas-nb201.js';
import { mathnasTable, type MathnasSpaceName } from '../src/benchmarks/mathnas-tables.js';
import { loadNb201, NB201_FILES } from '../src/benchmarks/nb201.js';
import { mathnasEstimator } from '../src/predict/estimators/mathnas.js';
import { regressionEstimator } from '../src/predict/estimators/regression.js';
import { searchTable } from '../src/search/table-search.js';
import type { BlockTable } from '../src/core/block-table.js';
import { explainInfeasible } from '../src/search/explain.js';
import { problemFromTable, type LimitSpec } from '../src/search/from-table.js';
import { solveIlp } from '../src/search/ilp.js';
import { sweepRange } from '../src/search/pareto.js';
import type { Problem } from '../src/search/problem.js';
import type { SearchSpace } from '../src/space/types.js';
import { buildWeb } from '../web/build.js';
import { serveStatic, type StaticServer } from '../web/serve.js';
import { unitOf } from '../web/src/table.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Like needsData: a skip reason without Chromium, a failure under CI=true (where .ci/run installs it). */
function needsChromium(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

const skip = needsChromium() || needsData(MATHNAS_TABLES, HAT_LATENCY_CSV);
const skipNb201 = skip || needsData(NB201_FILES.accuracy, NB201_FILES.latency);

interface Case {
  readonly table: BlockTable;
  readonly space: SearchSpace;
  readonly file: string;
  readonly limit: LimitSpec;
}

/**
 * A limit halfway between the metric's smallest achievable value and its value at the unconstrained optimum, so it
 * binds: the answer differs from the unconstrained one and the solver has to work for it.
 */
async function bindingLimit(table: BlockTable, space: SearchSpace, metric: string): Promise<LimitSpec> {
  const model = table.metrics.find((m) => m.metric === metric)!;
  const range = await sweepRange(problemFromTable(table, space, table.metrics[0]!.metric, []), { metric, model });
  assert.ok(range && range.min < range.max, `${metric} must have room below the unconstrained optimum`);
  return { metric, max: Number(((range.min + range.max) / 2).toPrecision(6)) };
}

async function makeCase(dir: string, name: MathnasSpaceName, device: string): Promise<Case> {
  const { table, space } = mathnasTable(DATA_DIR, name, device);
  const file = join(dir, `${name}-${device}.json`);
  writeFileSync(file, JSON.stringify(table));
  return { table, space, file, limit: await bindingLimit(table, space, `latency:${device}`) };
}

/** Sets the limit inputs, clicks Solve and waits for this run's outcome. */
async function solveInPage(page: Page, limits: readonly LimitSpec[]): Promise<void> {
  for (const l of limits) await page.fill(`input[data-metric="${l.metric}"]`, String(l.max));
  const run = Number((await page.getAttribute('#result', 'data-run')) ?? 0) + 1;
  await page.click('#solve');
  await page.waitForSelector(`#result[data-run="${run}"]`, { state: 'attached' });
}

async function openTable(page: Page, url: string, c: Case): Promise<void> {
  await page.goto(url);
  await page.setInputFiles('#table-file', c.file);
  await page.waitForSelector('#search', { state: 'visible' });
}

describe('browser search page', { skip }, () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let mbv3: Case;
  let st: Case;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blocknas-web-'));
    const built = await buildWeb(join(dir, 'dist'));
    server = await serveStatic(built.dir);
    mbv3 = await makeCase(dir, 'mobilenetv3', 'raspberrypi');
    st = await makeCase(dir, 'supertransformer', 'raspberrypi');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('loads HiGHS WebAssembly from the bundle and describes the table', async () => {
    await openTable(page, server.url, mbv3);
    await page.waitForFunction(() => document.getElementById('solver-info')?.textContent?.includes('loaded'));
    assert.match((await page.textContent('#table-info')) ?? '', /^mobilenetv3-cpu \(imagenet, raspberrypi\): mathnas-published block table$/, 'table line');
    const objective = await page.inputValue('#objective');
    assert.equal(objective, 'accuracy:imagenet', 'accuracy is the default objective');
    const limitInputs = await page.$$eval('input[data-metric]', (els) => els.map((e) => (e as HTMLElement).dataset['metric']));
    assert.deepEqual(limitInputs, ['latency:raspberrypi'], 'one limit input per metric other than the objective');
    await page.fill('input[data-metric="latency:raspberrypi"]', '900');
    await page.selectOption('#objective', 'latency:raspberrypi');
    const swapped = await page.$$eval('input[data-metric]', (els) => els.map((e) => (e as HTMLElement).dataset['metric']));
    assert.deepEqual(swapped, ['accuracy:imagenet'], 'the limits follow the chosen objective');
    await page.selectOption('#objective', 'accuracy:imagenet');
    assert.equal(await page.inputValue('input[data-metric="latency:raspberrypi"]'), '900', 'a typed limit survives');
  });

  test('a dropped table loads like a chosen one; a malformed one gets a one-line message', async () => {
    await page.goto(server.url);
    const drop = async (name: string, text: string) => {
      const data = await page.evaluateHandle(
        ([n, t]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([t], n, { type: 'application/json' }));
          return dt;
        },
        [name, text] as const,
      );
      await page.dispatchEvent('#drop', 'drop', { dataTransfer: data });
    };
    await drop('bad.json', JSON.stringify({ ...mbv3.table, format: 'something-else' }));
    await page.waitForSelector('#message', { state: 'visible' });
    assert.match((await page.textContent('#message')) ?? '', /^bad\.json: field format: /, 'names the file and the field');
    assert.ok(!(await page.isVisible('#search')), 'no search form for a bad table');
    await drop('good.json', readFileSync(mbv3.file, 'utf8'));
    await page.waitForSelector('#search', { state: 'visible' });
    assert.ok(!(await page.isVisible('#message')), 'the old message is gone');
    assert.match((await page.textContent('#table-info')) ?? '', /^mobilenetv3-cpu /, 'the dropped table is described');
  });

  test('chooses the same network as solveIlp in Node, and shows the solve time', async () => {
    await openTable(page, server.url, mbv3);
    await solveInPage(page, [mbv3.limit]);
    const node = await solveIlp(problemFromTable(mbv3.table, mbv3.space, 'accuracy:imagenet', [mbv3.limit]));
    assert.equal(node.status, 'optimal', 'the binding limit is feasible');
    assert.equal(await page.getAttribute('#result', 'data-status'), 'optimal', 'page status');
    assert.equal(await page.getAttribute('#result', 'data-genome'), node.genome!.join(','), 'same genome as in Node');
    assert.equal(await page.textContent('#objective-value'), String(node.objective), 'same objective as in Node');
    assert.equal(await page.textContent('#arch'), `block indices [${node.genome!.join(', ')}]`, 'indices: the table has no block labels');
    assert.ok(await page.isVisible('#result'), 'result is shown');
    const time = (await page.textContent('#solve-time')) ?? '';
    assert.match(time, /^solve: \d+\.\d\d ms/, 'solve time line');
    const ms = Number(await page.getAttribute('#solve-time', 'data-ms'));
    assert.ok(ms > 0 && ms < 30_000, `solve time ${ms} ms is a measured, plausible duration`);
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  test('shows the canonical string of a space with coupling rules, as solveIlp finds it', async () => {
    await openTable(page, server.url, st);
    await solveInPage(page, [st.limit]);
    const node = await solveIlp(problemFromTable(st.table, st.space, 'accuracy:wmt14-en-de', [st.limit]));
    assert.equal(await page.getAttribute('#result', 'data-genome'), node.genome!.join(','), 'same genome as in Node');
    assert.equal(await page.textContent('#objective-value'), String(node.objective), 'same objective as in Node');
    assert.equal(await page.textContent('#arch'), st.space.format(node.genome!), 'the space canonical string');
    const rows = await page.$$eval('#nodes tr', (trs) => trs.length - 1);
    assert.equal(rows, st.space.nodes.length, 'one row per node');
  });

  test('solves a graph-aware, FLOPs-scaled NB201 table (Dinkelbach, effective-cell rules) as in Node', { skip: skipNb201 }, async () => {
    const bench = loadNb201(DATA_DIR);
    const table = await mathnasEstimator.estimate({
      space: bench.space,
      evaluator: bench.evaluator(['accuracy:imagenet16-120', 'latency:fpga']),
      accuracy: 'accuracy:imagenet16-120',
      costs: ['latency:fpga'],
      flops: bench.flopsModel!('imagenet16-120'),
      seed: 0,
      graphAware: true,
    });
    assert.ok(table.metrics[0]!.scale && table.metrics[0]!.graph, 'the objective is FLOPs-scaled and graph-aware');
    const file = join(dir, 'nb201-mathnas.json');
    writeFileSync(file, JSON.stringify(table));
    const c: Case = { table, space: bench.space, file, limit: await bindingLimit(table, bench.space, 'latency:fpga') };
    await openTable(page, server.url, c);
    await solveInPage(page, [c.limit]);
    const node = await solveIlp(problemFromTable(table, bench.space, 'accuracy:imagenet16-120', [c.limit]));
    assert.ok(node.iterations > 1, `Dinkelbach took ${node.iterations} solves`);
    assert.equal(await page.getAttribute('#result', 'data-genome'), node.genome!.join(','), 'same genome as in Node');
    assert.equal(await page.textContent('#objective-value'), String(node.objective), 'same objective as in Node');
    assert.equal(await page.textContent('#arch'), bench.space.format(node.genome!), 'the NB201 arch string');
    assert.match((await page.textContent('#status')) ?? '', new RegExp(`\\(${node.iterations} solves, Dinkelbach\\)`), 'solver calls');
  });

  test('a fitted table: the page holds the limit at the 95 % upper prediction bound, as the CLI does without measurements', { skip: skipNb201 }, async () => {
    const bench = loadNb201(DATA_DIR);
    const table = await regressionEstimator.estimate({
      space: bench.space,
      evaluator: bench.evaluator(['accuracy:cifar10', 'latency:raspi4']),
      accuracy: 'accuracy:cifar10',
      costs: ['latency:raspi4'],
      budget: 80,
      seed: 0,
      graphAware: true,
    });
    const file = join(dir, 'nb201-regression.json');
    writeFileSync(file, JSON.stringify(table));
    const limit = { metric: 'latency:raspi4', max: 20 };
    await openTable(page, server.url, { table, space: bench.space, file, limit });
    await solveInPage(page, [limit]);
    const node = await searchTable({ table, space: bench.space, objective: 'accuracy:cifar10', limits: [limit], solve: (p) => solveIlp(p), confidence: 0.95 });
    assert.equal(node.status, 'found');
    if (node.status !== 'found') return;
    assert.ok(node.held[0]!.held < 20, 'raspi4 latency has a real interval');
    assert.equal(await page.getAttribute('#result', 'data-genome'), node.solution.genome!.join(','), 'same genome as searchTable in Node');
    assert.match((await page.textContent('#status')) ?? '', /latency:raspi4 held at predicted <= [\d.]+ \(95 % upper prediction bound\)/);
  });

  test('an impossible limit gives the one-line infeasibility message of the CLI', async () => {
    await openTable(page, server.url, mbv3);
    const impossible = { metric: mbv3.limit.metric, max: 1 };
    await solveInPage(page, [impossible]);
    const problem: Problem = problemFromTable(mbv3.table, mbv3.space, 'accuracy:imagenet', [impossible]);
    const sol = await solveIlp(problem);
    assert.equal(sol.status, 'infeasible', `${impossible.metric} <= 1 is impossible`);
    const units = Object.fromEntries(mbv3.table.metrics.map((m) => [m.metric, unitOf(m.metric)]));
    const expected = explainInfeasible(problem, sol, units);
    assert.match(expected, /smallest achievable: latency:raspberrypi \d+(\.\d+)? ms\)$/, 'the message names the smallest value');
    assert.equal(await page.getAttribute('#result', 'data-status'), 'infeasible', 'page status');
    assert.equal(await page.textContent('#message'), expected, 'same message as the CLI');
    assert.ok(await page.isVisible('#message'), 'message is shown');
    assert.ok(!(await page.isVisible('#result')), 'no stale result beside the message');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
