import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');

/*
 * highs.mjs reaches for node:module only inside its `if (ENVIRONMENT_IS_NODE)` branch, which never runs in a
 * browser; it stays a dynamic import in the bundle. Any other external import means Node-only code of ours became
 * reachable from the page, which must be cut where it is imported, so the build fails on it.
 */
const ALLOWED_EXTERNAL = new Set(['node:module']);

export interface WebBuild {
  readonly dir: string;
  readonly bundleBytes: number;
  readonly wasmBytes: number;
}

/** Bundles web/src/main.ts (with the src/ code it imports) into web/dist/, beside index.html and highs.wasm. */
export async function buildWeb(outDir = DIST_DIR): Promise<WebBuild> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const out = await build({
    entryPoints: [join(WEB_DIR, 'src', 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    external: [...ALLOWED_EXTERNAL],
    metafile: true,
    logLevel: 'silent',
  });
  const externals = Object.values(out.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !ALLOWED_EXTERNAL.has(i.path));
  if (externals.length > 0) {
    throw new Error(`the web bundle imports Node-only modules: ${[...new Set(externals.map((i) => i.path))].join(', ')}`);
  }
  const wasm = createRequire(import.meta.url).resolve('highs/runtime');
  copyFileSync(wasm, join(outDir, 'highs.wasm'));
  copyFileSync(join(WEB_DIR, 'index.html'), join(outDir, 'index.html'));
  return {
    dir: outDir,
    bundleBytes: statSync(join(outDir, 'main.js')).size,
    wasmBytes: statSync(join(outDir, 'highs.wasm')).size,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const b = await buildWeb();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`built ${b.dir}: main.js ${kb(b.bundleBytes)}, highs.wasm ${kb(b.wasmBytes)} (${(performance.now() - t0).toFixed(0)} ms)`);
}
