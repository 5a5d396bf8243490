// Browser test harness: serves the repository over HTTP on loopback (with or without cross-origin isolation headers)
// and drives Debian's Chromium through playwright-core. Never downloads a browser.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css',
  '.wgsl': 'text/plain',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
};

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // For the memory cases of the shared suites: exact performance.memory and a gc() to take a baseline after.
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

/** Starts a static server over the repository. `isolated` adds COOP/COEP so SharedArrayBuffer is available. */
export async function serve({ isolated = true } = {}) {
  const server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) return res.writeHead(404).end();
      const body = await readFile(file);
      const headers = {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      };
      if (isolated)
        Object.assign(headers, {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
          'Cross-Origin-Resource-Policy': 'same-origin',
        });
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches Chromium once per test file. */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens `page` (a path under the repository, default an empty page) and returns it; page errors and console errors
 * are collected in `page.errors`.
 */
export async function open(browser, server, path = '/test/browser/blank.html') {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${server.url}${path}`);
  return page;
}

/**
 * Mocha hooks for a test file: one Chromium and two servers (cross-origin isolated, and plain), closed afterwards.
 * Returns an object whose `browser`, `isolated` and `plain` fields are set once `before` has run.
 */
export function useBrowser() {
  const ctx = {};
  before(async () => {
    [ctx.browser, ctx.isolated, ctx.plain] = await Promise.all([
      launch(),
      serve({ isolated: true }),
      serve({ isolated: false }),
    ]);
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.isolated?.close();
    await ctx.plain?.close();
  });
  return ctx;
}
