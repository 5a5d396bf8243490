import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

// The Python surface itself runs in pages as the shared Pool suite (suites.test.mjs); these are the failure paths.
describe('Pool in Chromium (Web Workers)', function () {
  const ctx = useBrowser();

  it('recovers from dying workers, aborts and timeouts without losing or repeating tasks', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool } = await import('/dist/browser/index.js');
      const out = {};
      const pool = new Pool({ workers: 2 });
      const runs = new Int32Array(new SharedArrayBuffer(4 * 100));
      const settled = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          pool.apply(
            (c, j) => {
              Atomics.add(c, j, 1);
              if (j === 40) self.close();
              return j;
            },
            [runs, i],
          ),
        ),
      );
      out.crashed = settled.filter((s) => s.status === 'rejected').map((s) => s.reason.name);
      out.fulfilled = settled.filter((s) => s.status === 'fulfilled').length;
      out.runs = [...runs];
      try {
        await pool.apply(
          () =>
            new Promise(() =>
              setTimeout(() => {
                throw new Error('stray');
              }, 1),
            ),
        );
      } catch (e) {
        out.stray = e.name;
      }
      const ac = new AbortController();
      const t0 = performance.now();
      setTimeout(() => ac.abort(), 30);
      try {
        await pool.apply(
          () => {
            for (;;);
          },
          [],
          { signal: ac.signal },
        );
      } catch (e) {
        out.abort = [e.name, performance.now() - t0];
      }
      out.after = await pool.apply(() => 'alive');
      out.stats = pool.stats();
      await pool.terminate();
      const timed = new Pool({ workers: 1, taskTimeout: 100 });
      try {
        await timed.apply(() => {
          for (;;);
        });
      } catch (e) {
        out.timeout = e.name;
      }
      out.afterTimeout = await timed.apply(() => 7);
      await timed.terminate();
      return out;
    });
    assert.deepEqual(r.crashed, ['WorkerCrashedError']);
    assert.equal(r.fulfilled, 99);
    assert.deepEqual(r.runs, new Array(100).fill(1));
    assert.equal(r.stray, 'WorkerCrashedError');
    assert.equal(r.abort[0], 'AbortError');
    assert.ok(r.abort[1] < 130, `abort took ${r.abort[1]} ms`);
    assert.equal(r.after, 'alive');
    assert.ok(r.stats.respawned >= 3);
    assert.equal(r.timeout, 'TimeoutError');
    assert.equal(r.afterTimeout, 7);
  });

  it('works in a page without cross-origin isolation (no SharedArrayBuffer)', async () => {
    const page = await open(ctx.browser, ctx.plain);
    const r = await page.evaluate(async () => {
      const { Pool } = await import('/dist/browser/index.js');
      const pool = new Pool({ workers: 2 });
      const out = { isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer };
      out.map = await pool.map((x) => x + 1, [1, 2, 3, 4], { chunksize: 1 });
      const settled = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map((i) =>
          pool.apply(
            (j) => {
              if (j === 3) self.close();
              return j;
            },
            [i],
          ),
        ),
      );
      out.settled = settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason.name));
      await pool.terminate();
      return out;
    });
    assert.equal(r.isolated, false);
    assert.deepEqual(r.map, [2, 3, 4, 5]);
    assert.deepEqual(r.settled, [1, 2, 'WorkerCrashedError', 4, 5, 6]);
  });
});
