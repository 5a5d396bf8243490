// Node side of the shared suites in Chromium: mirrors a suite's describe/it tree as Node mocha tests, and runs the
// same suite in a page (suite-page.mjs), so that every page case is its own Node test that passes or fails with it.
import { open } from './harness.mjs';

/** Per-test limit in the page; the Node side waits this long plus SLACK_MS for a case's report. */
export const PAGE_TIMEOUT_MS = 60000;
const SLACK_MS = 30000;

const key = (titlePath) => JSON.stringify(titlePath);

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** One suite module running in one page: the results of its cases, by title path, as they arrive. */
export class PageRun {
  constructor(suiteUrl, isolated) {
    this.suiteUrl = suiteUrl;
    this.isolated = isolated;
    this.expected = new Map();
    this.unexpected = [];
    this.hookFailures = [];
  }

  /** Registers a case the page must report; returns the promise of its report. */
  expect(titlePath) {
    // Reports are matched by title path, so two cases may not share one.
    if (this.expected.has(key(titlePath)))
      throw new Error(`two cases named ${titlePath.join(' › ')} in ${this.suiteUrl}`);
    const d = deferred();
    this.expected.set(key(titlePath), d);
    return d.promise;
  }

  /** Opens the page and starts the suite in it; resolves once it runs (not once it ends). */
  async start(browser, server) {
    this.page = await open(browser, server);
    await this.page.exposeFunction('__poolkitReport', (r) => this.receive(r));
    await this.page.addScriptTag({ url: '/node_modules/mocha/mocha.js' });
    this.crossOriginIsolated = await this.page.evaluate(() => crossOriginIsolated);
    this.finished = this.page
      .evaluate(
        async ([url, options]) => (await import('/test/browser/suite-page.mjs')).runSuite(url, options),
        [this.suiteUrl, { isolated: this.isolated, timeout: PAGE_TIMEOUT_MS }],
      )
      .then(
        () => this.settleMissing('the page run ended without reporting it'),
        (e) => {
          this.settleMissing(`the page run failed: ${e.message}`);
          throw e;
        },
      );
    this.finished.catch(() => {});
  }

  /**
   * Waits for `report`. A page whose mocha reports nothing, not even a timeout, within `ms` has its main thread
   * blocked: this case fails, and the cases after it fail at once instead of waiting in turn.
   */
  async await(title, report, ms) {
    if (this.stuck) throw new Error(`not run in Chromium: the page stopped responding during "${this.stuck}"`);
    let timer;
    const silence = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.stuck = title;
        reject(
          new Error(
            `Chromium reported nothing for ${ms} ms, not even the page's own ${PAGE_TIMEOUT_MS} ms timeout: the page's main thread is blocked`,
          ),
        );
      }, ms);
    });
    try {
      return await Promise.race([report, silence]);
    } finally {
      clearTimeout(timer);
    }
  }

  receive(r) {
    const d = this.expected.get(key(r.title));
    if (r.kind === 'hook' && r.state === 'failed') {
      this.hookFailures.push(`${r.title.join(' › ')}: ${r.error.message}\n${r.error.stack}`);
    } else if (!d) {
      this.unexpected.push(r.title.join(' › '));
    } else if (r.state === 'passed') {
      d.resolve(r);
    } else {
      const e = new Error(
        r.state === 'failed' ? `in Chromium: ${r.error.name}: ${r.error.message}` : `in Chromium: ${r.state}`,
      );
      if (r.error) e.stack = `${e.message}\n  page stack:\n${r.error.stack}`;
      d.reject(e);
    }
  }

  settleMissing(why) {
    const detail = [...this.hookFailures, ...(this.page?.errors ?? []).map((m) => `page error: ${m}`)].join('\n');
    for (const d of this.expected.values())
      d.reject(new Error(`not run in Chromium: ${why}${detail ? `\n${detail}` : ''}`));
  }

  async close() {
    if (!this.page) return;
    await Promise.race([this.finished, new Promise((r) => setTimeout(r, 1000))]).catch(() => {});
    this.settleMissing('the page was closed first');
    await this.page.close();
  }
}

/**
 * Defines, with Node mocha's `describe`/`it`, the tree of cases `suite` defines for a page (its hooks run in the page
 * only), each waiting for that case's report from `run`.
 */
export function mirror(suite, run) {
  const path = [];
  const env = { platform: 'browser', isolated: run.isolated, fixtures: { tasks: null }, heapUsed: null, gc: null };
  const mirrorDescribe = (title, fn) =>
    describe(title, function () {
      path.push(title);
      try {
        fn.call(this);
      } finally {
        path.pop();
      }
    });
  const mirrorIt = (title) => {
    const report = run.expect([...path, title]);
    const test = it(title, () => run.await(title, report, waitMs));
    const waitMs = Math.max(test.timeout(), PAGE_TIMEOUT_MS) + SLACK_MS;
    test.timeout(waitMs + SLACK_MS);
    return test;
  };
  const noHook = () => {};
  suite({
    poolkit: {},
    describe: mirrorDescribe,
    it: mirrorIt,
    before: noHook,
    after: noHook,
    beforeEach: noHook,
    afterEach: noHook,
    assert: {},
    env,
  });
}
