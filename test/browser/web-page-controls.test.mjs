// The analytics page's controls beyond a plain run, from `poolkit serve`: parameters in the URL hash, a file dropped
// anywhere on the page, empty files, comparing backends, cancelling the elbow chart, and the page's transfer size.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './harness.mjs';
import { kmeans } from '../../dist/index.js';
import { sampleBlobs } from '../../dist/web/samples.js';
import { TMP, downloadJson, npy, poolkitServe, press, shoot, shown } from './web-helpers.mjs';

const HASH_KEYS = ['task', 'k', 'seed', 'ninit', 'maxiter', 'colours', 'space', 'top', 'backend', 'threads', 'axis-x'];

describe('the analytics page: hash, drop, empty files, compare, elbow cancel (poolkit serve)', function () {
  let browser;
  let server;
  let page;
  const requests = [];
  const responses = [];

  before(async () => {
    browser = await launch();
    server = await poolkitServe();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => responses.push(r));
    await page.goto(`${server.url}#task=colours&colours=7&space=srgb&backend=js&seed=9&top=33`);
    await page.waitForSelector('#env[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const hash = () => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));

  it('takes its parameters from the URL hash and writes changes back, never the data', async () => {
    assert.equal(await page.getByRole('tab', { name: 'Colours', exact: true }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByRole('tabpanel').count(), 1);
    assert.equal(await page.getByRole('spinbutton', { name: 'Colours', exact: true }).inputValue(), '7');
    assert.equal(await page.getByRole('combobox', { name: 'Colour space' }).inputValue(), 'srgb');
    assert.equal(await page.getByRole('combobox', { name: 'Backend', exact: true }).inputValue(), 'js');
    assert.equal(await page.locator('#seed').inputValue(), '9');
    assert.equal(await page.locator('#top').inputValue(), '33');
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('11');
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).press('Tab');
    await page.getByRole('combobox', { name: 'Colour space' }).selectOption('oklab');
    let h = await hash();
    assert.equal(h.colours, '11');
    assert.equal(h.space, 'oklab');
    await page.getByRole('tab', { name: 'Words', exact: true }).click();
    assert.equal((await hash()).task, 'words');
    // A chosen file and a run leave the hash with parameters only: no file name, no words, no counts.
    const file = join(TMP, 'private-diary.txt');
    writeFileSync(file, 'dear diary today nothing happened\n');
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await press(page);
    h = await hash();
    assert.deepEqual(
      Object.keys(h).filter((key) => !HASH_KEYS.includes(key) && key !== 'axis-y'),
      [],
    );
    const raw = await page.evaluate(() => location.hash);
    assert.doesNotMatch(raw, /diary|happened|private/);
    // Going to a new hash (a bookmark, the back button) sets the controls again.
    await page.evaluate(() => {
      location.hash = 'task=clusters&k=4&seed=3&backend=js';
    });
    await page.waitForFunction(() => document.getElementById('tab-clusters').getAttribute('aria-selected') === 'true');
    assert.equal(await page.getByRole('spinbutton', { name: 'k', exact: true }).inputValue(), '4');
  });

  it('uses a file dropped anywhere on the page', async () => {
    const data = sampleBlobs(2000, 2, 4, 13);
    const lines = [];
    for (let i = 0; i < 2000; i++) lines.push(`${data[2 * i]},${data[2 * i + 1]}`);
    const csv = `${lines.join('\n')}\n`;
    // A real drop: a DataTransfer holding a File, dispatched on the footer (not on the file input).
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    }, csv);
    await page.dispatchEvent('footer', 'dragover', { dataTransfer: transfer });
    assert.equal(await page.evaluate(() => document.body.classList.contains('dragging')), true);
    await page.dispatchEvent('footer', 'drop', { dataTransfer: transfer });
    assert.equal(await page.evaluate(() => document.body.classList.contains('dragging')), false);
    assert.match(await page.locator('#file-hint').textContent(), /using dropped\.csv/);
    await press(page);
    const json = await downloadJson(page);
    const ref = await kmeans(Float64Array.from(lines.flatMap((l) => l.split(',').map(Number))), {
      k: 4,
      dims: 2,
      seed: 3,
      backend: 'js',
    });
    assert.equal(json.n, 2000);
    assert.equal(json.inertia, ref.inertia);
    assert.equal(Number(await shown(page, 'clusters', 'n')), 2000);
  });

  it('compares backends on Clusters: a row per available backend, labels agreeing', async () => {
    await press(page, 'Compare backends');
    const rows = [];
    for (const tr of await page.locator('#compare-rows tr').all()) rows.push(await tr.locator('td').allTextContents());
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['js', 'wasm', 'webgpu'], // WebGPU on SwiftShader
    );
    assert.equal(rows[0][4], 'reference');
    assert.equal(rows[1][4], '100.00 % same labels');
    const gpu = Number(rows[2][4].match(/^([\d.]+) % same labels$/)?.[1]);
    assert.ok(gpu >= 99, rows[2][4]);
    for (const r of rows) assert.ok(Number(r[2]) > 0, `seconds: ${r[2]}`);
    await shoot(page, 'clusters-compare');
  });

  it('Cancel during the elbow chart keeps the points computed so far', async () => {
    const n = 200_000;
    const file = join(TMP, 'elbow.npy');
    writeFileSync(file, npy(sampleBlobs(n, 8, 20, 5), n, 8));
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('40');
    await page.getByRole('button', { name: 'Elbow chart', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('#elbow-chart tbody tr').length >= 2, null, {
      timeout: 90_000,
    });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.body.getAttribute('aria-busy') === 'false');
    const kept = await page.locator('#elbow-chart tbody tr').count();
    assert.ok(kept >= 2 && kept < 44, `elbow rows kept: ${kept}`);
    const status = await page.getByRole('status').textContent();
    assert.match(status, new RegExp(`; ${kept} elbow points kept\\.$`));
    assert.ok(Number(await page.evaluate(() => document.body.dataset.cancelMs)) < 200);
    await shoot(page, 'clusters-elbow-cancelled');
  });

  it('an empty file gets one clear message on Colours and Words, and the page stays usable', async () => {
    const empty = join(TMP, 'nothing.png');
    writeFileSync(empty, '');
    for (const tab of ['Colours', 'Words']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await page.getByLabel('File', { exact: true }).setInputFiles(empty);
      await press(page);
      assert.match(await page.getByRole('alert').textContent(), /^nothing\.png: the file is empty$/);
      assert.match(await page.getByRole('status').textContent(), /^Failed after/);
    }
    // Back to the sample: the file is let go and the run works.
    await page.getByRole('button', { name: 'Use the sample instead', exact: true }).click();
    assert.match(await page.locator('#file-hint').textContent(), /without a file: the sample/);
    await press(page);
    assert.equal(await page.locator('#error').isHidden(), true);
    assert.match(await page.getByRole('status').textContent(), /^Done in .* words, .* unique\.$/);
  });

  it('Colours: a damaged PNG gets a clear message; Compare backends agrees on the sample', async () => {
    await page.getByRole('tab', { name: 'Colours', exact: true }).click();
    const broken = join(TMP, 'broken.png');
    writeFileSync(
      broken,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]),
    );
    await page.getByLabel('File', { exact: true }).setInputFiles(broken);
    await press(page);
    assert.match(
      await page.getByRole('alert').textContent(),
      /^broken\.png: the browser could not decode this PNG image \(damaged or unsupported\)$/,
    );
    await page.getByRole('button', { name: 'Use the sample instead', exact: true }).click();
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('6');
    await press(page, 'Compare backends');
    assert.equal(await page.locator('#error').isHidden(), true);
    const rows = [];
    for (const tr of await page.locator('#compare-rows tr').all()) rows.push(await tr.locator('td').allTextContents());
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['js', 'wasm', 'webgpu'],
    );
    assert.equal(rows[0][4], 'reference');
    // The same start (Wu's palette) on every backend; float32 sums may move a colour by one step, not more.
    for (const r of rows.slice(1)) assert.match(r[4], /^(same palette|ΔPSNR -?0\.0\d\d dB)$/);
    await shoot(page, 'colours-compare');
  });

  it('Colours takes JPEG and WebP too (made and dropped in the page)', async () => {
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('8');
    for (const type of ['image/jpeg', 'image/webp']) {
      const transfer = await page.evaluateHandle(async (mime) => {
        const canvas = new OffscreenCanvas(96, 64);
        const ctx = canvas.getContext('2d');
        const g = ctx.createLinearGradient(0, 0, 96, 64);
        g.addColorStop(0, '#1d3b8f');
        g.addColorStop(0.5, '#f2a541');
        g.addColorStop(1, '#17a398');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, 96, 64);
        const blob = await canvas.convertToBlob({ type: mime, quality: 0.9 });
        const dt = new DataTransfer();
        dt.items.add(new File([blob], `gradient.${mime.slice(6)}`, { type: mime }));
        return dt;
      }, type);
      await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
      await press(page);
      assert.equal(await page.locator('#error').isHidden(), true, await page.locator('#error').textContent());
      assert.equal(await page.locator('#palette .swatch').count(), 8, type);
      const psnr = Number(await shown(page, 'colours', 'psnr'));
      assert.ok(psnr > 20 && psnr < 80, `${type}: PSNR ${psnr}`);
    }
  });

  it('scatter axes: the first two principal components by default, or two chosen columns', async () => {
    await page.getByRole('tab', { name: 'Clusters', exact: true }).click();
    const data = sampleBlobs(1500, 3, 3, 17);
    const rows = ['alpha,beta,gamma'];
    for (let i = 0; i < 1500; i++) rows.push(`${data[3 * i]},${data[3 * i + 1]},${data[3 * i + 2]}`);
    const file = join(TMP, 'three.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('3');
    await press(page);
    const caption = () => page.locator('#scatter-caption').textContent();
    assert.match(await caption(), /principal component 1 against principal component 2/);
    // The axis lists now name the file's columns.
    await page.getByRole('combobox', { name: 'X axis' }).selectOption({ label: 'gamma' });
    await page.getByRole('combobox', { name: 'Y axis' }).selectOption({ label: 'alpha' });
    await press(page);
    assert.match(await caption(), /^1,500 points: gamma against alpha/);
    assert.equal((await hash())['axis-x'], '2');
    await page.waitForFunction(() => document.getElementById('scatter').dataset.points === '1500');
  });

  it('announces start, each phase and the result in the status region; arrow keys move between tabs', async () => {
    await page.evaluate(() => {
      window.announced = [];
      new MutationObserver(() => window.announced.push(document.getElementById('status').textContent)).observe(
        document.getElementById('status'),
        { childList: true, characterData: true, subtree: true },
      );
    });
    await press(page);
    const said = await page.evaluate(() => window.announced);
    assert.match(said[0], /^k-means on three\.csv: started\.$/);
    for (const phase of ['Reading…', 'Parsing…', 'Iterating…']) assert.ok(said.includes(phase), said.join(' | '));
    assert.match(said.at(-1), /^Done in [\d.]+ s: inertia [\d.e+]+ after \d+ iterations on js\.$/);
    await page.getByRole('tab', { name: 'Clusters', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Colours', exact: true }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-colours');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('tab', { name: 'Clusters', exact: true }).getAttribute('aria-selected'), 'true');
  });

  it('n_init and max_iter reach kmeans(); the centroids CSV holds the JSON centroids; out-of-range values are named', async () => {
    await page.getByRole('tab', { name: 'Clusters', exact: true }).click();
    await page.getByRole('button', { name: 'Use the sample instead', exact: true }).click();
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('7');
    await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('5');
    await page.getByRole('spinbutton', { name: 'n_init', exact: true }).fill('3');
    await page.getByRole('spinbutton', { name: 'max_iter', exact: true }).fill('2');
    await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('js');
    await press(page);
    const json = await downloadJson(page);
    const ref = await kmeans(sampleBlobs(), { k: 7, dims: 2, seed: 5, nInit: 3, maxIter: 2, backend: 'js' });
    assert.equal(json.iterations, ref.iterations);
    assert.ok(json.iterations <= 2);
    assert.equal(json.converged, ref.converged);
    assert.equal(json.inertia, ref.inertia);
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download centroids CSV', exact: true }).click(),
    ]);
    const csv = readFileSync(await d.path(), 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv[0], 'cluster,size,x,y');
    assert.deepEqual(
      csv.slice(1).map((line) => line.split(',').slice(2).map(Number)),
      json.centroids,
    );
    const sizes = csv.slice(1).map((line) => Number(line.split(',')[1]));
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      json.n,
    );
    await page.getByRole('spinbutton', { name: 'max_iter', exact: true }).fill('300');
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('0');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'k: expected an integer from 1 to 10000, got "0"');
    await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('5');
    await page.getByRole('tab', { name: 'Colours', exact: true }).click();
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('257');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'Colours: expected an integer from 2 to 256, got "257"');
    await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('16');
  });

  it('sent nothing beyond its origin; the page and its workers transfer under 1 MB', async () => {
    const origin = new URL(server.url).origin;
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')),
      [],
    );
    // Every file the page and its workers fetched, fetched again here to weigh it as served.
    const files = new Set(
      responses.filter((r) => r.url().startsWith(origin) && r.status() === 200).map((r) => r.url()),
    );
    let bytes = 0;
    for (const url of files) bytes += (await (await fetch(url)).arrayBuffer()).byteLength;
    console.log(`      page transfer: ${(bytes / 1024).toFixed(0)} KiB in ${files.size} files (uncompressed)`);
    assert.ok(bytes > 100_000 && bytes < 1_000_000, `${bytes} bytes`);
    assert.deepEqual(page.errors, []);
  });
});
