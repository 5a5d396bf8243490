// Helpers for the analytics page's browser tests: `poolkit serve`, test-made files, and driving the page's controls.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of each task, kept for people to look at. */
export const ARTIFACTS = join(root, 'test/browser/artifacts');
export const TMP = join(tmpdir(), `poolkit-web-${process.pid}`);
mkdirSync(ARTIFACTS, { recursive: true });
mkdirSync(TMP, { recursive: true });
// The files the tests make (tens of MB) go with the test process.
process.once('exit', () => rmSync(TMP, { recursive: true, force: true }));

/** Starts `poolkit serve --port 0` and resolves with its URL (the first stdout line) and a stop function. */
export function poolkitServe() {
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n'))
        resolve({
          url: line,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`poolkit serve exited ${code}`)));
  });
}

/** A PNG (RGBA, 8-bit, no filtering) made here, so the test knows every pixel. */
export function png(width, height, rgba) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function openPage(browser, url, requests) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector('#env[data-ready="true"]');
  return page;
}

/** Presses Run (or another button) and waits until the job has settled. */
export async function press(page, name = 'Run') {
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForFunction(() => document.body.getAttribute('aria-busy') === 'false', null, { timeout: 110_000 });
}

export const shown = (page, panel, key) =>
  page.locator(`#${panel}-summary dd[data-key="${key}"]`).getAttribute('data-value');

export async function downloadJson(page, name = 'Download JSON') {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
  return JSON.parse(readFileSync(await d.path(), 'utf8'));
}

export async function shoot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A NumPy .npy file (float32, C order) of `n` rows of `dims` values. */
export function npy(values, n, dims) {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${dims}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(`${header}${' '.repeat(pad)}\n`, 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
  return Buffer.concat([pre, h, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** Runs the poolkit CLI and resolves with its stdout (rejects on a non-zero exit). */
export function cli(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`poolkit ${args[0]}: ${code} ${err}`))));
  });
}

/** Clears the page's record of its longest main-thread task, so the next reading covers only what follows. */
export const resetLongestTask = (page) =>
  page.evaluate(() => {
    document.body.dataset.longestTask = '0';
  });
export const longestTask = async (page) => Number(await page.evaluate(() => document.body.dataset.longestTask ?? 0));

/** Chromium's renderer processes started under this test process (the page and its workers live in one of them). */
export function rendererPids() {
  const parent = new Map();
  const renderers = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      // The parent pid is the 2nd field after the command name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(Number(p));
    } catch {
      /* the process has gone */
    }
  }
  const ours = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 32; at = parent.get(at) ?? 0, hops++)
      if (at === process.pid) return true;
    return false;
  };
  return renderers.filter(ours);
}

/** A process's resident memory now and its peak so far (VmRSS, VmHWM), in bytes. */
export function residentMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
