// The analytics page (dist/web/) in Chromium, loaded from `poolkit serve` (cross-origin isolated) and from a plain
// static server (single-threaded). Results shown and downloaded are checked against the library in Node.
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serve } from './harness.mjs';
import { TMP, cli, downloadJson, npy, openPage, png, poolkitServe, press, shoot, shown } from './web-helpers.mjs';
import { kmeans, wordCount } from '../../dist/index.js';
import { sampleBlobs, sampleText } from '../../dist/web/samples.js';
import { quantize } from '../../dist/web/colours.js';

for (const isolated of [true, false]) {
  describe(`the analytics page ${isolated ? 'from poolkit serve (cross-origin isolated)' : 'from a plain static server (not isolated)'}`, function () {
    let browser;
    let server;
    let page;
    const requests = [];
    let origin;
    before(async () => {
      browser = await launch();
      server = isolated ? await poolkitServe() : await serve({ isolated: false });
      const url = isolated ? server.url : `${server.url}/dist/web/index.html`;
      if (isolated) assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      origin = new URL(url).origin;
      page = await openPage(browser, url, requests);
    });
    after(async () => {
      await browser?.close();
      await (isolated ? server?.stop() : server?.close());
    });

    it(`reports ${isolated ? 'wasm threads' : 'single-threaded mode'} and has the named controls`, async () => {
      assert.equal(await page.evaluate(() => crossOriginIsolated), isolated);
      const env = await page.locator('#env').textContent();
      assert.match(
        env,
        isolated ? /wasm threads: \d+ cores/ : /single-threaded: this page is not cross-origin isolated/,
      );
      for (const name of ['Clusters', 'Colours', 'Words'])
        assert.equal(await page.getByRole('tab', { name, exact: true }).count(), 1);
      for (const name of ['Run', 'Cancel', 'Compare backends'])
        assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1);
      for (const name of ['k', 'Seed'])
        assert.equal(await page.getByRole('spinbutton', { name, exact: true }).count(), 1);
      assert.equal(await page.getByRole('combobox', { name: 'Backend', exact: true }).count(), 1);
      assert.equal(await page.getByLabel('File', { exact: true }).count(), 1);
      assert.equal(await page.getByRole('status').count(), 1);
      // WebGPU on SwiftShader is offered; wasm is enabled in both modes.
      assert.equal(await page.locator('#backend option[value="webgpu"]').isDisabled(), false);
    });

    it('Clusters on the sample matches kmeans() in Node for every backend, shown and downloaded', async () => {
      await page.getByRole('tab', { name: 'Clusters', exact: true }).click();
      await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('5');
      await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('3');
      const ref = await kmeans(sampleBlobs(), { k: 5, dims: 2, seed: 3, backend: 'js' });
      for (const backend of ['js', 'wasm', 'webgpu']) {
        await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption(backend);
        await press(page);
        assert.equal(await page.locator('#error').isHidden(), true, await page.locator('#error').textContent());
        const json = await downloadJson(page);
        assert.deepEqual(Object.keys(json), [
          'n',
          'dims',
          'k',
          'inertia',
          'iterations',
          'converged',
          'backend',
          'threads',
          'algorithm',
          'seconds',
          'centroids',
        ]);
        assert.equal(json.backend, backend);
        assert.equal(json.n, 20000);
        assert.equal(Number(await shown(page, 'clusters', 'inertia')), json.inertia);
        assert.ok(
          Math.abs(json.inertia - ref.inertia) <= 1e-4 * ref.inertia,
          `${backend}: inertia ${json.inertia} vs ${ref.inertia}`,
        );
        if (backend === 'js') {
          assert.equal(json.inertia, ref.inertia);
          assert.equal(json.iterations, ref.iterations);
          assert.deepEqual(json.centroids.flat(), Array.from(ref.centroids));
        }
      }
      if (isolated) await shoot(page, 'clusters');
    });

    it('Clusters on an uploaded CSV matches Node; a ragged CSV names line and column; the page stays usable', async () => {
      const rows = ['a,b,c'];
      const data = sampleBlobs(3000, 3, 4, 21);
      for (let i = 0; i < 3000; i++) rows.push(`${data[3 * i]},${data[3 * i + 1]},${data[3 * i + 2]}`);
      const good = join(TMP, 'points.csv');
      writeFileSync(good, `${rows.join('\n')}\n`);
      await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('js');
      await page.getByLabel('File', { exact: true }).setInputFiles(good);
      await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('4');
      await press(page);
      const json = await downloadJson(page);
      const ref = await kmeans(Float64Array.from(rows.slice(1).flatMap((r) => r.split(',').map(Number))), {
        k: 4,
        dims: 3,
        seed: 3,
        backend: 'js',
      });
      assert.equal(json.inertia, ref.inertia);
      assert.equal(json.dims, 3);
      // The download is `poolkit kmeans --json` on the same file and seed, field for field (but the time taken).
      const labelsOut = join(TMP, `cli-labels-${isolated}.csv`);
      const fromCli = JSON.parse(
        await cli('kmeans', good, '--k', '4', '--seed', '3', '--backend', 'js', '--json', '--labels', labelsOut),
      );
      assert.deepEqual(Object.keys(json), Object.keys(fromCli));
      assert.deepEqual({ ...json, seconds: 0 }, { ...fromCli, seconds: 0 });
      const [labels] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download labels CSV', exact: true }).click(),
      ]);
      assert.equal(readFileSync(await labels.path(), 'utf8'), readFileSync(labelsOut, 'utf8'));
      const bad = join(TMP, 'ragged.csv');
      writeFileSync(bad, 'x,y\n1,2\n3,4,5\n');
      await page.getByLabel('File', { exact: true }).setInputFiles(bad);
      await press(page);
      assert.match(await page.getByRole('alert').textContent(), /ragged\.csv:3: row has 3 fields, expected 2/);
      const nan = join(TMP, 'nan.csv');
      writeFileSync(nan, '1,2\n3,oops\n');
      await page.getByLabel('File', { exact: true }).setInputFiles(nan);
      await press(page);
      assert.match(await page.getByRole('alert').textContent(), /nan\.csv:2:3: field 2 is "oops"/);
      const empty = join(TMP, 'empty.csv');
      writeFileSync(empty, '');
      await page.getByLabel('File', { exact: true }).setInputFiles(empty);
      await press(page);
      assert.match(await page.getByRole('alert').textContent(), /empty\.csv: the file is empty/);
      await page.getByLabel('File', { exact: true }).setInputFiles(good);
      await press(page);
      assert.equal(await page.locator('#error').isHidden(), true);
      if (isolated) await shoot(page, 'clusters-error-recovered');
    });

    it('the elbow chart fills in from Pool tasks, a point at a time as each finishes', async () => {
      await page.evaluate(() => {
        window.elbowSizes = [];
        new MutationObserver(() =>
          window.elbowSizes.push(document.querySelectorAll('#elbow-chart tbody tr').length),
        ).observe(document.getElementById('elbow-chart'), { childList: true });
      });
      await press(page, 'Elbow chart');
      const rows = await page.locator('#elbow-chart tbody tr').count();
      assert.equal(rows, 10); // k = 1 … max(10, k + 4), with k at most 6 here
      // Drawn again after every point: 1, 2, … rows, not once at the end.
      const sizes = await page.evaluate(() => [...new Set(window.elbowSizes)]);
      assert.deepEqual(
        sizes,
        Array.from({ length: rows }, (_, i) => i + 1),
      );
      const ks = (await page.locator('#elbow-chart tbody tr td:first-child').allTextContents()).map(Number);
      assert.deepEqual(
        ks,
        Array.from({ length: rows }, (_, i) => i + 1),
      );
    });

    it('Cancel (and Esc) stops a long k-means within 200 ms and keeps the page usable', async () => {
      const big = join(TMP, 'big.npy');
      const n = 400_000;
      const dims = 8;
      const values = sampleBlobs(n, dims, 20, 5);
      writeFileSync(big, npy(values, n, dims));
      await page.getByLabel('File', { exact: true }).setInputFiles(big);
      await page.getByRole('spinbutton', { name: 'k', exact: true }).fill('50');
      await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('js');
      for (const how of ['button', 'Escape']) {
        await page.getByRole('button', { name: 'Run', exact: true }).click();
        await page.waitForFunction(() => /Iterating/.test(document.getElementById('progress').textContent), null, {
          timeout: 60_000,
        });
        const t0 = Date.now();
        if (how === 'button') await page.getByRole('button', { name: 'Cancel', exact: true }).click();
        else await page.keyboard.press('Escape');
        await page.waitForFunction(() => document.body.getAttribute('aria-busy') === 'false');
        const ms = Date.now() - t0;
        // The page times its own stop, from the click or key to the job settled: under 200 ms. Seen from here it also
        // includes the CDP round trips, which a loaded machine can stretch.
        const inPage = Number(await page.evaluate(() => document.body.dataset.cancelMs));
        assert.ok(inPage > 0 && inPage < 200, `cancel by ${how} took ${inPage} ms in the page`);
        assert.ok(ms < 1000, `cancel by ${how} took ${ms} ms seen from the test`);
        assert.match(
          await page.getByRole('status').textContent(),
          /Cancelled after .* \(stopped \d+ ms after Cancel\)/,
        );
        assert.equal(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), true);
      }
    });

    it('Colours on the sample and on an uploaded PNG matches the same quantizer in Node', async () => {
      await page.getByRole('tab', { name: 'Colours', exact: true }).click();
      await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('8');
      await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('js');
      await press(page);
      assert.equal(await page.locator('#error').isHidden(), true, await page.locator('#error').textContent());
      const sample = await downloadJson(page);
      assert.equal(sample.palette.length, 8);
      if (isolated) await shoot(page, 'colours-sample');
      const w = 48,
        hgt = 32;
      const rgba = new Uint8ClampedArray(w * hgt * 4);
      for (let i = 0; i < w * hgt; i++) rgba.set([(i * 7) % 256, (i * 13) % 200, (i % w) * 5, 255], 4 * i);
      const file = join(TMP, 'stripes.png');
      writeFileSync(file, png(w, hgt, rgba));
      await page.getByLabel('File', { exact: true }).setInputFiles(file);
      for (const space of ['oklab', 'srgb']) {
        await page.getByRole('combobox', { name: 'Colour space' }).selectOption(space);
        await press(page);
        const json = await downloadJson(page);
        const ref = await quantize(rgba, { k: 8, space, backend: 'js' }, kmeans);
        assert.deepEqual(json.palette, ref.palette);
        assert.equal(json.psnr, ref.psnr);
        // Math.cbrt and ** may differ in the last bit between Node's and Chromium's V8.
        assert.ok(Math.abs(json.deltaE - ref.deltaE) <= 1e-12 * ref.deltaE, `ΔE ${json.deltaE} vs ${ref.deltaE}`);
        assert.equal(Number(await shown(page, 'colours', 'psnr')), ref.psnr);
      }
      const [d] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download PNG', exact: true }).click(),
      ]);
      assert.deepEqual([...readFileSync(await d.path()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
      const text = join(TMP, 'notes.txt');
      writeFileSync(text, 'this is not an image\n');
      await page.getByLabel('File', { exact: true }).setInputFiles(text);
      await press(page);
      assert.match(await page.getByRole('alert').textContent(), /notes\.txt: not a PNG, JPEG or WebP image/);
      await page.getByLabel('File', { exact: true }).setInputFiles(file);
      await page.getByRole('spinbutton', { name: 'Colours', exact: true }).fill('12');
      await press(page);
      if (isolated) await shoot(page, 'colours');
    });

    it('Words on the sample and an uploaded file equals wordCount() in Node on each backend', async () => {
      await page.getByRole('tab', { name: 'Words', exact: true }).click();
      assert.equal(await page.locator('#backend option[value="webgpu"]').isDisabled(), true);
      await page.getByRole('spinbutton', { name: 'Top', exact: true }).fill('15');
      const text = sampleText();
      const ref = await wordCount(text, { backend: 'js' });
      for (const backend of ['js', 'wasm']) {
        await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption(backend);
        await press(page);
        const json = await downloadJson(page);
        assert.deepEqual(Object.keys(json), ['total', 'unique', 'bytes', 'seconds', 'top']);
        assert.deepEqual(
          { ...json, seconds: 0 },
          { total: ref.total, unique: ref.unique, bytes: text.length, seconds: 0, top: ref.top(15) },
        );
        assert.equal(Number(await shown(page, 'words', 'total')), ref.total);
      }
      const file = join(TMP, 'greek.txt');
      writeFileSync(file, 'Ὀδυσσεύς ΟΔΥΣΣΕΥΣ odysseus, Odysseus! 42 ναι\n'.repeat(5000));
      await page.getByLabel('File', { exact: true }).setInputFiles(file);
      await press(page);
      const json = await downloadJson(page);
      const r2 = await wordCount(readFileSync(file), { backend: 'js' });
      assert.deepEqual(json.top, r2.top(15));
      const fromCli = JSON.parse(await cli('wordcount', file, '--top', '15', '--json'));
      assert.deepEqual({ ...json, seconds: 0 }, { ...fromCli, seconds: 0 });
      await press(page, 'Compare backends');
      const rows = await page.locator('#compare-rows tr').allTextContents();
      assert.equal(rows.length, 2);
      assert.match(rows[1], /identical counts/);
      if (isolated) await shoot(page, 'words');
    });

    it('sent no request beyond its own origin, and raised no page error', () => {
      assert.ok(requests.length > 5);
      assert.deepEqual(
        requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')),
        [],
      );
      assert.deepEqual(page.errors, []);
    });
  });
}
