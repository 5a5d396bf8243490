// `poolkit serve`: the URL first on stdout, the page and the browser build with cross-origin isolation headers, no
// file outside dist/, bad arguments exiting 2, and a clean exit on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Starts `poolkit serve` with `args`; resolves with its URL (the first stdout line) and the child. */
function start(...args) {
  const env = typeof args.at(-1) === 'object' ? args.pop() : process.env;
  const child = spawn(process.execPath, [main, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ url: out.split('\n')[0], child });
    });
    child.once('exit', (code) => reject(new Error(`poolkit serve exited ${code} before printing its URL`)));
  });
}

/** One raw HTTP request (the path is sent as written, not normalized as fetch would). */
function get(url, path, method = 'GET') {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Runs `poolkit serve` with bad arguments; resolves with its exit code and stderr. */
function fails(...args) {
  const child = spawn(process.execPath, [main, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, err })));
}

describe('poolkit serve', function () {
  let server;
  before(async () => {
    server = await start('--port', '0');
  });
  after(() => server?.child.kill('SIGTERM'));

  it('prints http://127.0.0.1:PORT/ as its first line', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the page and the browser build with COOP, COEP and CORP', async () => {
    const root = await get(server.url, '/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/web/');
    const page = await get(server.url, '/web/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.body, /<title>poolkit analytics<\/title>/);
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(page.headers['cross-origin-resource-policy'], 'same-origin');
    for (const path of ['/web/main.js', '/web/job-worker.js', '/web/scatter-worker.js', '/browser/index.js']) {
      const r = await get(server.url, path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers['content-type'], /^text\/javascript/, path);
      assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', path);
    }
    const head = await get(server.url, '/web/index.html', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('refuses paths outside dist/ and methods other than GET and HEAD', async () => {
    // An encoded slash survives URL parsing, so this reaches the server's own check: ../../package.json exists.
    assert.equal((await get(server.url, '/web/..%2f..%2fpackage.json')).status, 403);
    assert.equal((await get(server.url, '/web/nothing-here.js')).status, 404);
    assert.equal((await get(server.url, '/web/', 'POST')).status, 405);
  });

  it('--open hands the URL to the system opener (xdg-open here)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'poolkit-open-'));
    const opened = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" > '${opened}'\n`, { mode: 0o755 });
    const other = await start('--port', '0', '--open', { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    try {
      for (let i = 0; i < 100 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(readFileSync(opened, 'utf8').trim(), other.url);
    } finally {
      other.child.kill('SIGTERM');
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line for a bad port or host, and 0 on SIGTERM', async () => {
    for (const [args, message] of [
      [['--port', '70000'], /--port: expected an integer from 0 to 65535, got '70000'/],
      [['--port', 'x'], /--port/],
      [['--host', ''], /--host: expected a host name or address/],
      [['--bogus'], /--bogus/],
    ]) {
      const { code, err } = await fails(...args);
      assert.equal(code, 2, `${args.join(' ')}: ${err}`);
      assert.match(err, message);
      assert.equal(err.trim().split('\n').length, 1, err);
    }
    const other = await start('--port', '0');
    const exited = new Promise((resolve) => other.child.once('exit', (code, signal) => resolve(code ?? signal)));
    other.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
