// The analytics page at scale, from `poolkit serve`: a 1 GB text file counted in slices with the page's memory
// bounded, and a 1e6-point k-means drawn in full; in both the page thread never runs a task of 100 ms or more.
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './harness.mjs';
import { kmeans, wordCount } from '../../dist/index.js';
import { sampleBlobs, sampleText } from '../../dist/web/samples.js';
import {
  TMP,
  downloadJson,
  longestTask,
  npy,
  poolkitServe,
  press,
  rendererPids,
  residentMemory,
  resetLongestTask,
  shoot,
} from './web-helpers.mjs';

const GB = 1_000_000_000;

describe('the analytics page at scale (poolkit serve)', function () {
  let browser;
  let server;
  let page;
  before(async () => {
    server = await poolkitServe();
    // A browser of its own, so its renderer's memory holds this page only.
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('#env[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('counts a 1 GB file in slices: exact counts, renderer memory far below the file, no long task', async () => {
    // The sample text, newline-ended so copies do not join words, repeated to 1 GB: the counts are known exactly.
    const piece = Buffer.concat([Buffer.from(sampleText()), Buffer.from('\n')]);
    const copies = Math.ceil(GB / piece.length);
    const file = join(TMP, 'one-gigabyte.txt');
    const fd = openSync(file, 'w');
    try {
      for (let i = 0; i < copies; i++) writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    try {
      const one = await wordCount(piece, { backend: 'js' });
      await page.getByRole('tab', { name: 'Words', exact: true }).click();
      await page.getByRole('spinbutton', { name: 'Top', exact: true }).fill('10');
      // setInputFiles with a path hands Chromium the file on disk; the page reads it through Blob slices.
      await page.getByLabel('File', { exact: true }).setInputFiles(file);
      const pids = rendererPids();
      assert.ok(pids.length > 0, 'no renderer process found');
      const before = new Map(pids.map((pid) => [pid, residentMemory(pid).rss]));
      await resetLongestTask(page);
      await press(page);
      // Read before the download below, whose click and save are the test's doing, not the page's work.
      const longest = await longestTask(page);
      assert.equal(await page.locator('#error').isHidden(), true, await page.locator('#error').textContent());
      const json = await downloadJson(page);
      assert.equal(json.bytes, copies * piece.length);
      assert.equal(json.total, copies * one.total);
      assert.equal(json.unique, one.unique);
      assert.deepEqual(
        json.top,
        one.top(10).map(([w, c]) => [w, c * copies]),
      );
      // The page and all its workers (the job worker, the wasm threads) live in one renderer process: its peak
      // resident memory bounds every JS heap, ArrayBuffer and wasm memory there. Reading the file whole would add
      // at least its 1 GB; slices keep the growth to the counting tables and a few slices in flight.
      const growth = Math.max(...pids.map((pid) => residentMemory(pid).peak - before.get(pid)));
      console.log(
        `      1 GB word count: ${json.seconds.toFixed(1)} s, renderer peak growth ${(growth / 2 ** 20).toFixed(0)} MiB, longest main-thread task ${longest} ms (loaded machine)`,
      );
      assert.ok(growth < 320 * 2 ** 20, `renderer memory grew ${(growth / 2 ** 20).toFixed(0)} MiB`);
      assert.ok(longest < 100, `longest main-thread task ${longest} ms`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('clusters 1e6 points, draws every one, and keeps the page thread free (< 100 ms tasks)', async () => {
    const n = 1_000_000;
    const values = sampleBlobs(n, 2, 6, 11);
    const file = join(TMP, 'million.npy');
    writeFileSync(file, npy(values, n, 2));
    await page.getByRole('tab', { name: 'Clusters', exact: true }).click();
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('6');
    await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('1');
    await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('wasm');
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await resetLongestTask(page);
    await press(page);
    await page.waitForFunction(() => document.getElementById('scatter').dataset.points === '1000000', null, {
      timeout: 60_000,
    });
    const longest = await longestTask(page);
    const json = await downloadJson(page);
    const ref = await kmeans(values, { k: 6, dims: 2, seed: 1, backend: 'wasm' });
    assert.equal(json.n, n);
    assert.equal(json.backend, 'wasm');
    assert.ok(Math.abs(json.inertia - ref.inertia) <= 1e-6 * ref.inertia, `${json.inertia} vs ${ref.inertia}`);
    const drawMs = await page.locator('#scatter').getAttribute('data-draw-ms');
    console.log(
      `      1e6-point k-means: ${json.seconds.toFixed(2)} s, scatter drawn in ${drawMs} ms in its worker, longest main-thread task ${longest} ms (loaded machine)`,
    );
    assert.ok(longest < 100, `longest main-thread task ${longest} ms`);
    await shoot(page, 'clusters-1e6');
    assert.deepEqual(page.errors, []);
  });
});
