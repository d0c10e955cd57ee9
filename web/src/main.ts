import { UserError } from '../../src/errors.js';
import type { LimitSpec } from '../../src/search/from-table.js';
import { highsStats, setHighsLoaderOptions, warmUpHighs } from '../../src/search/highs.js';
import { searchTable, type SearchOutcome } from './solve.js';
import { defaultObjective, describeTable, limitableMetrics, loadTable, unitOf, type LoadedTable } from './table.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const fileInput = $<HTMLInputElement>('table-file');
const drop = $('drop');
const form = $<HTMLFormElement>('search');
const objectiveSelect = $<HTMLSelectElement>('objective');
const limitsBox = $('limits');
const message = $('message');
const result = $('result');

// build.ts copies highs.wasm beside the bundle; the loader would otherwise look beside highs.mjs in node_modules.
setHighsLoaderOptions({ locateFile: (file: string) => new URL(file, import.meta.url).href });
// Loading and compiling 3.5 MB of WebAssembly is not part of a solve: done once, up front, and reported apart.
const solverReady = warmUpHighs().then(async (ms) => {
  const { version } = await highsStats();
  $('solver-info').textContent = `HiGHS ${version} (WebAssembly) loaded and warmed up in ${ms.toFixed(0)} ms`;
});
solverReady.catch((err: unknown) => showMessage('error', `HiGHS failed to load: ${String(err)}`));

let loaded: LoadedTable | null = null;
let runs = 0;
/** Limits typed so far, by metric: switching the objective away from a metric and back keeps its limit. */
const typedLimits = new Map<string, string>();

function showMessage(kind: 'error' | 'infeasible', text: string): void {
  message.textContent = text;
  message.className = kind;
  message.hidden = false;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(2) : Number(v.toPrecision(5)).toString());

function row(cells: readonly string[], tag: 'td' | 'th' = 'td'): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const c of cells) tr.appendChild(Object.assign(document.createElement(tag), { textContent: c }));
  return tr;
}

function fillTable(id: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const table = $<HTMLTableElement>(id);
  table.replaceChildren(row(header, 'th'), ...rows.map((r) => row(r)));
}

function renderLimits(): void {
  if (!loaded) return;
  const metrics = limitableMetrics(loaded.table, objectiveSelect.value);
  const inputs = metrics.map((metric) => {
    const label = document.createElement('label');
    const value = typedLimits.get(metric) ?? '';
    const input = Object.assign(document.createElement('input'), { type: 'number', step: 'any', name: metric, value });
    input.addEventListener('input', () => typedLimits.set(metric, input.value));
    input.dataset['metric'] = metric;
    label.append(`${metric} ≤ `, input, ` ${unitOf(metric)}`);
    return label;
  });
  const none = Object.assign(document.createElement('p'), { textContent: 'the table has no other additive metric to limit' });
  limitsBox.replaceChildren(limitsBox.querySelector('legend')!, ...(inputs.length > 0 ? inputs : [none]));
}

function showTable(t: LoadedTable): void {
  $('table-info').textContent = describeTable(t);
  const objective = defaultObjective(t.table);
  objectiveSelect.replaceChildren(
    ...t.table.metrics.map((m) => Object.assign(document.createElement('option'), { value: m.metric, textContent: m.metric })),
  );
  objectiveSelect.value = objective;
  typedLimits.clear();
  const nodes = t.space.nodes;
  const blocks = nodes.reduce((n, node) => n * node.blocks.length, 1);
  const rules = t.space.rules.length > 0 ? `, ${t.space.rules.length} coupling rules` : '';
  $('space-info').textContent = `${nodes.length} nodes, ${blocks.toLocaleString('en')} block combinations${rules}`;
  $('notes').replaceChildren(...(t.table.notes ?? []).map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  renderLimits();
  $('table-section').hidden = false;
  form.hidden = false;
}

async function openFile(file: File): Promise<void> {
  message.hidden = true;
  result.hidden = true;
  try {
    loaded = loadTable(await file.text(), file.name);
    showTable(loaded);
  } catch (err) {
    loaded = null;
    form.hidden = true;
    $('table-section').hidden = true;
    showMessage('error', err instanceof UserError ? err.message : `could not read ${file.name}: ${String(err)}`);
  }
}

function readLimits(): LimitSpec[] {
  const limits: LimitSpec[] = [];
  for (const input of limitsBox.querySelectorAll<HTMLInputElement>('input[data-metric]')) {
    const text = input.value.trim();
    if (text === '') continue;
    const max = Number(text);
    if (!Number.isFinite(max)) throw new UserError(`limit on ${input.dataset['metric']}: expected a number, got "${text}"`);
    limits.push({ metric: input.dataset['metric']!, max });
  }
  return limits;
}

function showOutcome(t: LoadedTable, out: SearchOutcome): void {
  result.dataset['run'] = String(++runs);
  result.dataset['status'] = out.status;
  $('solve-time').textContent = `solve: ${out.ms.toFixed(2)} ms (solveIlp, timed in this page)`;
  $('solve-time').dataset['ms'] = String(out.ms);
  if (out.status === 'infeasible') {
    showMessage('infeasible', out.message);
    result.hidden = true;
    return;
  }
  message.hidden = true;
  const { space, labelled } = t;
  result.dataset['genome'] = out.genome.join(',');
  result.dataset['objective'] = String(out.objective);
  $('arch').textContent = labelled ? space.format(out.genome) : `block indices [${out.genome.join(', ')}]`;
  $('arch-note').textContent = labelled
    ? `block indices [${out.genome.join(', ')}]`
    : 'this table does not carry its blocks (they come from the data directory), so blocks are shown by index';
  fillTable('nodes', ['node', 'block'], space.nodes.map((n, i) => [n.label, n.blocks[out.genome[i]!]!.label]));
  const rows = t.table.metrics.map((m) => [m.metric, fmt(out.predicted[m.metric]!), unitOf(m.metric)]);
  fillTable('metrics', ['metric', 'predicted', 'unit'], rows);
  const objective = objectiveSelect.value;
  const held = out.held
    .filter((h) => h.interval && h.held < h.max)
    .map((h) => `${h.metric} held at predicted <= ${fmt(h.held)} (${Math.round(100 * h.interval!.confidence)} % upper prediction bound)`);
  $('status').textContent =
    `proven optimal by HiGHS (${out.solverCalls} solve${out.solverCalls > 1 ? 's, Dinkelbach' : ''}); ` +
    `maximised ${objective}: ${fmt(out.objective)}${held.length ? `; ${held.join(', ')}` : ''}`;
  $('objective-value').textContent = String(out.objective);
  result.hidden = false;
}

async function solve(): Promise<void> {
  const t = loaded;
  if (!t) return;
  const button = $<HTMLButtonElement>('solve');
  button.disabled = true;
  try {
    await solverReady;
    showOutcome(t, await searchTable(t, objectiveSelect.value, readLimits()));
  } catch (err) {
    result.hidden = true;
    result.dataset['run'] = String(++runs);
    result.dataset['status'] = 'error';
    showMessage('error', err instanceof UserError ? err.message : `search failed: ${String(err)}`);
  } finally {
    button.disabled = false;
  }
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void openFile(file);
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void openFile(file);
});
objectiveSelect.addEventListener('change', renderLimits);
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void solve();
});
