// report.html from `poolkit bench --out DIR`, opened in Chromium from the file system as a user would: it renders one
// chart and one table per case, logs no error, requests nothing, fits a phone's width, and uses only greys (prints in
// black and white). Screenshots are kept in .tmp/artifacts/ (git-ignored) for a person to look at.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { launch } from './harness.mjs';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const artifacts = fileURLToPath(new URL('../../.tmp/artifacts/', import.meta.url));

describe('bench report.html in Chromium', function () {
  this.timeout(180_000);
  let dir;
  let browser;
  let results;
  let url;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poolkit-report-'));
    await promisify(execFile)(process.execPath, [main, 'bench', 'pool', '--quick', '--reps', '1', '--out', dir], {
      maxBuffer: 1 << 24,
    });
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    url = pathToFileURL(join(dir, 'report.html')).href;
    browser = await launch();
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openReport(width) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => r.url() !== url && problems.push(`request: ${r.url()}`));
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems };
  }

  it('renders a chart and a table per case, the command and the machine, with no console error and no request (1280 px)', async () => {
    const { page, problems } = await openReport(1280);
    const shape = await page.evaluate(() => ({
      sections: [...document.querySelectorAll('section.case')].map((s) => ({
        title: s.querySelector('h2').textContent,
        charts: s.querySelectorAll('svg.chart').length,
        bars: s.querySelectorAll('svg.chart rect[height="12"]').length,
        rows: s.querySelectorAll('tbody tr').length,
        chartBox: s.querySelector('svg.chart').getBoundingClientRect().toJSON(),
        tableBox: s.querySelector('table').getBoundingClientRect().toJSON(),
      })),
      command: document.querySelector('pre code').textContent,
      machine: document.querySelector('dl.machine').textContent,
      scripts: document.scripts.length,
    }));
    assert.deepEqual(problems, []);
    assert.equal(shape.scripts, 0);
    assert.equal(shape.command, `poolkit bench pool --quick --reps 1 --out ${dir}`);
    assert.match(shape.machine, new RegExp(`node${process.version.replace(/\./g, '\\.')}`));
    assert.deepEqual(
      shape.sections.map((s) => s.title),
      results.tables.map((t) => t.title),
    );
    shape.sections.forEach((s, i) => {
      const t = results.tables[i];
      assert.equal(s.charts, 1);
      assert.equal(s.bars, t.rows.length, s.title);
      assert.equal(s.rows, t.rows.length + t.skipped.length, s.title);
      // Beside each other at this width: the table starts to the right of the chart.
      assert.ok(s.tableBox.left >= s.chartBox.right - 1, JSON.stringify(s));
    });
    await page.screenshot({ path: join(artifacts, 'report-1280.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone (390 px) without sideways scrolling of the page, chart above table', async () => {
    const { page, problems } = await openReport(390);
    const layout = await page.evaluate(() => {
      const s = document.querySelector('section.case');
      return {
        scrollWidth: document.documentElement.scrollWidth,
        chart: s.querySelector('svg.chart').getBoundingClientRect().toJSON(),
        table: s.querySelector('table').getBoundingClientRect().toJSON(),
      };
    });
    assert.deepEqual(problems, []);
    assert.ok(layout.scrollWidth <= 390, `page is ${layout.scrollWidth} px wide`);
    assert.ok(layout.chart.width <= 390 && layout.chart.width > 300, JSON.stringify(layout.chart));
    assert.ok(layout.table.top >= layout.chart.bottom, JSON.stringify(layout));
    await page.screenshot({ path: join(artifacts, 'report-390.png'), fullPage: true });
    await page.close();
  });

  it('prints in black and white: every colour on the page, in print media, is a grey', async () => {
    const { page } = await openReport(1280);
    await page.emulateMedia({ media: 'print' });
    const colours = await page.evaluate(() => {
      const seen = new Set();
      for (const el of document.querySelectorAll('*')) {
        const cs = getComputedStyle(el);
        for (const p of ['color', 'background-color', 'border-top-color', 'border-bottom-color', 'fill', 'stroke'])
          seen.add(cs[p]);
      }
      for (const el of document.querySelectorAll('[fill], [stroke]'))
        for (const a of ['fill', 'stroke']) if (el.getAttribute(a)) seen.add(el.getAttribute(a));
      return [...seen];
    });
    const grey = (c) => {
      if (c === 'none' || c === 'transparent' || /^url\(/.test(c)) return true;
      const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
      if (hex) {
        const h = hex[1].length === 3 ? [...hex[1]].map((x) => x + x).join('') : hex[1];
        return h.slice(0, 2) === h.slice(2, 4) && h.slice(2, 4) === h.slice(4, 6);
      }
      const rgb = /^rgba?\((\d+), (\d+), (\d+)/.exec(c);
      return Boolean(rgb) && rgb[1] === rgb[2] && rgb[2] === rgb[3];
    };
    assert.deepEqual(
      colours.filter((c) => !grey(c)),
      [],
    );
    await page.screenshot({ path: join(artifacts, 'report-print.png'), fullPage: true });
    await page.close();
  });
});
