import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launch } from './harness.mjs';
import http from 'node:http';
import { readFile } from 'node:fs/promises';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('a Vite app importing poolkit', function () {
  let dir;
  before(() => {
    // The app lives outside the repository with poolkit in its node_modules, as an installed dependency would be.
    dir = mkdtempSync(join(tmpdir(), 'poolkit-vite-'));
    cpSync(fileURLToPath(new URL('../fixtures/vite-app/', import.meta.url)), join(dir, 'app'), { recursive: true });
    mkdirSync(join(dir, 'app', 'node_modules'));
    symlinkSync(repo, join(dir, 'app', 'node_modules', 'poolkit'), 'dir');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds with vite and runs Pool, k-means and word count in Chromium', async () => {
    const out = join(dir, 'out');
    // What a user's vite.config would say; optimizeDeps.exclude matters for the dev server only (pre-bundling would
    // move poolkit away from the workers and .wasm it locates next to itself).
    await build({
      configFile: false,
      root: join(dir, 'app'),
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true, target: 'es2022' },
      optimizeDeps: { exclude: ['poolkit'] },
    });
    const server = http.createServer(async (req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      try {
        const body = await readFile(join(out, path === '/' ? 'index.html' : path));
        const type = path.endsWith('.js')
          ? 'text/javascript'
          : path.endsWith('.wasm')
            ? 'application/wasm'
            : 'text/html';
        res
          .writeHead(200, {
            'Content-Type': type,
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Embedder-Policy': 'require-corp',
          })
          .end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      const r = await page.evaluate(() => window.result);
      assert.equal(r.error, undefined, r.error);
      assert.deepEqual(r.squares, [1, 4, 9, 16]);
      assert.equal(r.isolated, true);
      assert.equal(r.threads > 1, true);
      assert.ok(Math.abs(r.inertia - 1) < 1e-5, `inertia ${r.inertia}`);
      assert.equal(r.vite, 3);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
