// The shared suites (test/suites/) in Chromium against dist/browser/index.js, in a cross-origin isolated page (Web
// Workers over shared memory) and in a plain one (no SharedArrayBuffer: one wasm thread). Each case is a Node test.
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { PageRun, mirror } from './suite-runner.mjs';
import poolSuite from '../suites/pool.mjs';
import kmeansSuite from '../suites/kmeans.mjs';
import wordCountSuite from '../suites/wordcount.mjs';

const SUITES = [
  ['Pool', '/test/suites/pool.mjs', poolSuite],
  ['k-means', '/test/suites/kmeans.mjs', kmeansSuite],
  ['word-count', '/test/suites/wordcount.mjs', wordCountSuite],
];

describe('shared suites in Chromium', function () {
  const ctx = useBrowser();

  for (const isolated of [true, false]) {
    const where = isolated ? 'a cross-origin isolated page' : 'a page without cross-origin isolation';
    for (const [name, url, suite] of SUITES) {
      describe(`${name} suite in ${where}`, function () {
        const run = new PageRun(url, isolated);
        before(() => run.start(ctx.browser, isolated ? ctx.isolated : ctx.plain));
        after(() => run.close());

        describe('the page', function () {
          it(`is ${isolated ? '' : 'not '}cross-origin isolated`, () => {
            assert.equal(run.crossOriginIsolated, isolated);
          });
        });

        mirror(suite, run);

        describe('the page run', function () {
          it('reported every case it ran to Node, with no hook failure and no page error', async () => {
            assert.equal(run.stuck, undefined, 'the page stopped responding');
            await run.finished;
            assert.deepEqual(run.unexpected, []);
            assert.deepEqual(run.hookFailures, []);
            assert.deepEqual(run.page.errors, []);
          });
        });
      });
    }
  }
});
