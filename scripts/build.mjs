// Builds everything: generated sources, wasm kernels (assembly/*.ts), TypeScript (dist/), and the browser ESM build (dist/browser/).
import { execFileSync } from 'node:child_process';
import { readdirSync, mkdirSync, rmSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const step = (name) => console.log(`build: ${name}`);

// 1. Generated sources (unicode tables, shader strings, ...): every scripts/gen-*.mjs, in name order.
for (const f of readdirSync(join(root, 'scripts'))
  .filter((f) => /^gen-.*\.mjs$/.test(f))
  .sort()) {
  step(f);
  run(process.execPath, [join(root, 'scripts', f)]);
}

// 2. WebAssembly kernels: each top-level assembly/*.ts is one module; assembly/lib/ and assembly/generated/ hold shared code.
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist', 'kernels'), { recursive: true });
for (const f of readdirSync(join(root, 'assembly'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .sort()) {
  const name = f.slice(0, -3);
  step(`asc ${f}`);
  run(bin('asc'), [
    join('assembly', f),
    '--config',
    'asconfig.json',
    '--target',
    'release',
    '--outFile',
    join('dist', 'kernels', `${name}.wasm`),
  ]);
  // The same kernel over unshared memory, for pages without cross-origin isolation (single-threaded).
  run(bin('asc'), [
    join('assembly', f),
    '--config',
    'asconfig.json',
    '--target',
    'single',
    '--outFile',
    join('dist', 'kernels', `${name}.single.wasm`),
  ]);
}

// 3. TypeScript → dist/ (Node entry, types, CLI).
step('tsc');
run(bin('tsc'), ['-p', 'tsconfig.json']);

// 4. Browser ESM build: the public API and the Web Worker entry, located relative to import.meta.url at run time.
step('esbuild (browser)');
await esbuild.build({
  entryPoints: { index: join(root, 'src/browser.ts'), worker: join(root, 'src/worker/browser.ts') },
  outdir: join(root, 'dist', 'browser'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
const nodeBundle = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
// 5. The Node worker as one CommonJS file: a worker starts faster loading one script than resolving a module graph.
step('esbuild (node workers)');
await esbuild.build({
  entryPoints: [join(root, 'dist/worker/node.js')],
  outfile: join(root, 'dist/worker/node.cjs'),
  format: 'cjs',
  ...nodeBundle,
});
// The same for the child-process entry (isolation: 'process').
await esbuild.build({
  entryPoints: [join(root, 'dist/worker/process.js')],
  outfile: join(root, 'dist/worker/process.cjs'),
  format: 'cjs',
  ...nodeBundle,
});
// 6. The CLI as one file over tsc's dist/cli/main.js: Node starts it ~15 ms sooner than a graph of ~60 modules. Assets
// are found relative to import.meta.url, from dist/cli/ as from the other folders one level below dist/.
step('esbuild (cli)');
await esbuild.build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/cli/main.js'),
  format: 'esm',
  packages: 'external',
  allowOverwrite: true,
  ...nodeBundle,
});

// 7. The analytics page (web/) → dist/web/: its modules bundled with esbuild; `poolkit` stays an import of the browser
// build next to it (../browser/index.js), so the page and its workers share one copy that finds its own workers.
step('esbuild (web page)');
const external = {
  name: 'poolkit-external',
  setup: (b) => b.onResolve({ filter: /^poolkit$/ }, () => ({ path: '../browser/index.js', external: true })),
};
await esbuild.build({
  entryPoints: ['main', 'job-worker', 'scatter-worker', 'elbow-task', 'samples', 'colours'].map((n) =>
    join(root, 'web', `${n}.ts`),
  ),
  outdir: join(root, 'dist', 'web'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  plugins: [external],
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'web', f), join(root, 'dist', 'web', f));
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('build: dist/cli/main.js missing');
console.log('build: done');
