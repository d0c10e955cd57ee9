import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.js';
import { DATA_DIR, needsData } from './helpers/data.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const built = existsSync(join(ROOT, 'dist/index.js')) ? false : 'dist/ is not built (npm ci builds it)';

/** The README's library example and the output it shows. */
function libraryExample(): { code: string; output: string } {
  const m = /### As a library[\s\S]*?```js\n([\s\S]*?)```\s*\n\s*prints\s*\n\s*```\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README has the library example and its output');
  return { code: m[1]!, output: m[2]!.trimEnd() };
}

/**
 * The packed tarball, unpacked as npm installs it into an empty project's node_modules. Its dependencies are this
 * checkout's (installing them again would fetch better-sqlite3's and TensorFlow.js's binaries): what is checked is
 * the package itself, its files list, exports map and bin.
 */
function installPacked(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blocknas-pkg-'));
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  const project = join(dir, 'project');
  const pkg = join(project, 'node_modules', 'blocknas');
  mkdirSync(pkg, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  mkdirSync(join(project, 'node_modules', '.bin'));
  symlinkSync(join('..', 'blocknas', 'dist', 'cli', 'main.js'), join(project, 'node_modules', '.bin', 'blocknas'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, type: 'module' }));
  return project;
}

test('the packed tarball: ships dist, tables and LICENSE, not src or tests; the README example runs from it; npx blocknas --version; the own-space example through the installed CLI', { skip: built || needsData('nb201/nb201_accuracy.csv', 'nb201/nb201_latency_help.csv') }, () => {
  const project = installPacked();
  try {
    const pkg = join(project, 'node_modules', 'blocknas');
    const shipped = readdirSync(pkg);
    for (const f of ['dist', 'tables', 'LICENSE', 'README.md', 'package.json']) assert.ok(shipped.includes(f), `tarball has ${f}`);
    for (const f of ['src', 'test', 'bench', 'web']) assert.ok(!shipped.includes(f), `tarball leaves out ${f}`);
    const { code, output } = libraryExample();
    writeFileSync(join(project, 'example.mjs'), code);
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: project, env: { ...process.env, BLOCKNAS_DATA: DATA_DIR }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd(), output);
    const v = spawnSync('npx', ['--no-install', 'blocknas', '--version'], { cwd: project, encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    // The own-space example, copied into the empty project, through the installed CLI: estimate, search, evolve.
    for (const f of ['space.json', 'trainer.mjs']) copyFileSync(join(ROOT, 'examples/own-space', f), join(project, f));
    const npx = (...args: string[]) => {
      const r = spawnSync('npx', ['--no-install', 'blocknas', ...args], { cwd: project, encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const own = ['--space-file', 'space.json', '--evaluator', 'external', '--command', 'node trainer.mjs', '--mode', 'batch'];
    npx('estimate', ...own, '--budget', '30', '--out', 'own.json');
    const found = JSON.parse(npx('search', ...own, '--table', 'own.json', '--limit', 'latency:cpu=3.2', '--verify', '--json')) as { verified: { measured: Record<string, number> } };
    assert.ok(found.verified.measured['latency:cpu']! <= 3.2, 'the trainer confirms the limit');
    npx('evolve', ...own, '--objectives', 'accuracy:val,latency:cpu', '--budget', '30');
    const report = JSON.parse(readFileSync(join(project, 'blocknas-out', 'evolve', 'result.json'), 'utf8')) as { evaluations: number; space: string };
    assert.equal(report.space, 'tiny-convnet');
    assert.equal(report.evaluations, 30);
  } finally {
    rmSync(join(project, '..'), { recursive: true, force: true });
  }
});
