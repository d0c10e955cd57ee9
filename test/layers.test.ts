import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/cli.js';

/*
 * The folders of src/, bottom to top. A file may import from its own folder and from any folder of a lower tier;
 * folders of one tier are peers that may import each other as long as no cycle forms. '' stands for the files
 * directly in src/ (utilities: errors, random, number formats), which rank at the bottom; src/index.ts, the public
 * entry point, ranks above everything. A new folder must be placed here before this test passes.
 */
const TIERS: readonly (readonly string[])[] = [
  [''],
  // Generic utilities and the genome/space types everything speaks in.
  ['stats', 'data', 'space'],
  // Basic types: metrics and evaluators, the additive model the ILP solves, the block-table format, tabular benchmarks.
  ['core'],
  ['moo'],
  ['store'],
  // TensorFlow.js networks and kernels; evaluators run them; spaces wire both into their networks and evaluators.
  ['tfjs'],
  ['eval'],
  ['spaces'],
  // Block tables from measurements, then search over them.
  ['predict'],
  ['search'],
  ['surrogate', 'zc'],
  ['benchmarks'],
  ['switching', 'evolve', 'analysis'],
  ['builtin'],
  // Every space blocknas knows, with how to open it; then the two ways in: the library's API and the command line.
  ['targets'],
  ['api'],
  ['cli'],
  ['index.ts'],
];

const SRC = join(ROOT, 'src');

function tsFiles(dir: string, recursive: boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return recursive ? tsFiles(p, true) : [];
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Import {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** The imported path, resolved, for a relative specifier. */
  readonly target: string;
}

/** Relative imports of a file: static import/export ... from, side-effect imports and import('...') with a literal. */
function relativeImports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.filter((f) => f.fileName.startsWith('.'))
    .map((f) => ({
      file: relative(ROOT, file),
      line: text.slice(0, f.pos).split('\n').length,
      specifier: f.fileName,
      target: resolve(dirname(file), f.fileName),
    }));
}

/** The src folder a path belongs to: its first directory under src/, '' for a file directly in src/ (bar index.ts). */
function folderOf(path: string): string | null {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  if (parts.length > 1) return parts[0]!;
  return /^index\.(ts|js)$/.test(parts[0]!) ? 'index.ts' : '';
}

const tierOf = new Map(TIERS.flatMap((tier, rank) => tier.map((f) => [f, rank] as const)));
const show = (folder: string) => (folder === '' ? 'src/ (root files)' : folder === 'index.ts' ? 'src/index.ts' : `src/${folder}/`);

test('every src folder has a place in the layer order', () => {
  const folders = readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory() && tsFiles(join(SRC, e.name), true).length > 0)
    .map((e) => e.name);
  const unplaced = folders.filter((f) => !tierOf.has(f));
  assert.deepEqual(unplaced, [], `src folders missing from TIERS in test/layers.test.ts: ${unplaced.join(', ')} (place each in a tier)`);
  assert.equal(tierOf.size, TIERS.flat().length, 'a folder is listed twice in TIERS');
});

test('src imports read downward only, and no folders import each other in a cycle', () => {
  const problems: string[] = [];
  const edges = new Map<string, Map<string, Import>>();
  for (const file of tsFiles(SRC, true)) {
    const from = folderOf(file)!;
    for (const imp of relativeImports(file)) {
      const to = folderOf(imp.target);
      if (to === null) {
        problems.push(`${imp.file}:${imp.line} imports ${imp.specifier}, outside src/`);
        continue;
      }
      if (to === from) continue;
      const rf = tierOf.get(from);
      const rt = tierOf.get(to);
      if (rf === undefined || rt === undefined) continue; // reported by the placement test
      if (rt > rf) problems.push(`${imp.file}:${imp.line} imports ${imp.specifier}: ${show(from)} (tier ${rf}) reads up from ${show(to)} (tier ${rt})`);
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, imp);
    }
  }
  // Cycles between folders (possible among peers of one tier): every strongly connected component of more than one.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) {
        // The imports that close it: those not pointing to a lower tier (the downward ones are in their place).
        const closing = scc.flatMap((a) => scc.filter((b) => edges.get(a)?.has(b) && tierOf.get(b)! >= tierOf.get(a)!).map((b) => edges.get(a)!.get(b)!));
        problems.push(`cycle between ${scc.map(show).join(', ')}, closed by ${closing.map((i) => `${i.file}:${i.line} imports ${i.specifier}`).join('; ')}`);
      }
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(problems, []);
});

test('the browser page and the benchmarks import nothing from src/cli/', () => {
  const files = [...tsFiles(join(ROOT, 'web'), true).filter((f) => !f.includes(`${sep}dist${sep}`)), ...tsFiles(join(ROOT, 'bench'), false)];
  assert.ok(files.length > 0);
  const cli = join(SRC, 'cli');
  const bad = files.flatMap(relativeImports).filter((i) => i.target === cli || i.target.startsWith(cli + sep));
  assert.deepEqual(bad.map((i) => `${i.file}:${i.line} imports ${i.specifier}`), []);
});
