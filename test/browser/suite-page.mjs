// Runs in a page: one shared suite (test/suites/*.mjs) under mocha's browser build (loaded beforehand as a classic
// script), against the browser build of poolkit, reporting every test and hook failure through the function the
// Node side exposes as `window.__poolkitReport`.
import assert from './assert.mjs';

const describeError = (e) => ({
  name: e?.name ?? 'Error',
  message: String(e?.message ?? e),
  stack: String(e?.stack ?? ''),
});

/**
 * Runs the suite at `suiteUrl` and resolves with mocha's failure count once every case has run.
 * `isolated` is what the page was served as (the suite branches on it; the Node side checks it separately).
 */
export async function runSuite(suiteUrl, { isolated, timeout }) {
  const report = (r) => globalThis.__poolkitReport(r);
  const [{ default: suite }, poolkit] = await Promise.all([import(suiteUrl), import('/dist/browser/index.js')]);
  function Reporter(runner) {
    runner.on('pass', (t) => report({ kind: 'test', title: t.titlePath(), state: 'passed', duration: t.duration }));
    runner.on('pending', (t) => report({ kind: 'test', title: t.titlePath(), state: 'pending' }));
    runner.on('fail', (t, e) =>
      report({ kind: t.type, title: t.titlePath(), state: 'failed', error: describeError(e) }),
    );
  }
  mocha.setup({ ui: 'bdd', reporter: Reporter, timeout });
  const { describe, it, before, after } = globalThis;
  const env = {
    platform: 'browser',
    isolated,
    fixtures: { tasks: new URL('/test/fixtures/tasks.mjs', location.href) },
    // Chromium's heap size, exact under --enable-precise-memory-info (harness.mjs).
    heapUsed: () => performance.memory.usedJSHeapSize,
    gc: globalThis.gc,
  };
  suite({ poolkit, describe, it, before, after, assert, env });
  return new Promise((resolve) => mocha.run(resolve));
}
