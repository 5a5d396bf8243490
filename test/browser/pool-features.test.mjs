// Pool features in Chromium (Web Workers): streaming with backpressure, progress, ready/lazy, drained, events and
// histograms, recycling, work stealing and typed proxies; and what still works in a page without shared memory.
import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

describe('Pool features in Chromium', function () {
  const ctx = useBrowser();

  it('streams under credit, stops generators, reports progress, and starts, drains, recycles and steals', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool } = await import('/dist/browser/index.js');
      const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
      const out = {};
      const pool = new Pool({ workers: 2 });
      out.eager = pool.stats().workers;
      await pool.ready();
      const made = new Int32Array(new SharedArrayBuffer(8));
      let taken = 0;
      let ahead = 0;
      for await (const v of pool.stream(
        function* (c) {
          try {
            for (let i = 0; ; i++) {
              Atomics.add(c, 0, 1);
              yield i;
            }
          } finally {
            Atomics.store(c, 1, 1);
          }
        },
        [made],
        { highWaterMark: 8 },
      )) {
        taken++;
        ahead = Math.max(ahead, Atomics.load(made, 0) - taken);
        if (taken % 50 === 0) await sleep(5);
        if (taken === 500) break;
      }
      out.ahead = ahead;
      out.finallyRan = Atomics.load(made, 1);
      const flat = [];
      for await (const v of pool.imap(
        function* (n) {
          for (let i = 0; i < n; i++) yield n;
        },
        [1, 2, 3],
      ))
        flat.push(v);
      out.flat = flat;
      const seen = [];
      out.progressResult = await pool.apply(
        (n) => {
          for (let i = 1; i <= n; i++) poolkit.progress(i);
          return n;
        },
        [50000],
        { onProgress: (v) => seen.push(v) },
      );
      out.progress = [seen.length, seen.at(-1)];
      const ends = [];
      pool.on('taskend', (d) => ends.push(d.ok));
      const slow = () => new Promise((res) => setTimeout(res, 10));
      const calls = Array.from({ length: 6 }, () => pool.apply(slow));
      out.queued = pool.queueSize;
      await pool.drained();
      out.drainedQueue = pool.queueSize;
      await Promise.all(calls);
      out.ends = ends.length;
      const s = pool.stats();
      out.hist = [s.runTime.count > 0, s.runTime.p50 > 0, s.perWorker.length, s.utilization > 0];
      const f = (ms) => {
        const t = performance.now();
        while (performance.now() - t < ms);
        return ms;
      };
      await pool.map(f, new Array(50).fill(0.05), { chunksize: 1 });
      const items = new Array(200).fill(0.05);
      items[100] = 300;
      const t0 = performance.now();
      await pool.map(f, items, { chunksize: 1 });
      out.skew = [performance.now() - t0, pool.stats().stolen];
      pool.recycle();
      out.recycling = pool.stats().workers;
      out.afterRecycle = await pool.map((x) => x + 1, [1, 2, 3]);
      const tasks = pool.proxy(new URL('/test/fixtures/tasks.mjs', location.href));
      out.proxy = [await tasks.square(7), await tasks.default('web')];
      await pool.terminate();
      const lazy = new Pool({ workers: 2, lazy: true });
      out.lazy = [lazy.stats().workers];
      await lazy.ready();
      out.lazy.push(lazy.stats().workers);
      await lazy.terminate();
      return out;
    });
    assert.equal(r.eager, 2);
    assert.ok(r.ahead <= 9, `producer ran ${r.ahead} ahead of highWaterMark 8`);
    assert.equal(r.finallyRan, 1);
    assert.deepEqual(r.flat, [1, 2, 2, 3, 3, 3]);
    assert.equal(r.progressResult, 50000);
    assert.ok(r.progress[0] >= 1 && r.progress[0] < 100 && r.progress[1] === 50000, String(r.progress));
    assert.ok(r.queued >= 3);
    assert.equal(r.drainedQueue, 0);
    assert.equal(r.ends, 6);
    assert.deepEqual(r.hist, [true, true, 2, true]);
    assert.ok(r.skew[1] > 0 && r.skew[0] < 500, `skewed map ${r.skew[0]} ms, ${r.skew[1]} stolen`);
    assert.equal(r.recycling, 4);
    assert.deepEqual(r.afterRecycle, [2, 3, 4]);
    assert.deepEqual(r.proxy, [49, 'hello web']);
    assert.deepEqual(r.lazy, [0, 2]);
  });

  it('without cross-origin isolation: streaming, break, progress and crash attribution still work', async () => {
    const page = await open(ctx.browser, ctx.plain);
    const r = await page.evaluate(async () => {
      const { Pool } = await import('/dist/browser/index.js');
      const pool = new Pool({ workers: 1 });
      const out = {};
      const got = [];
      for await (const v of pool.stream(
        async function* () {
          for (let i = 0; ; i++) yield i;
        },
        [],
        { highWaterMark: 4 },
      ))
        if (got.push(v) === 20) break;
      out.got = got.length;
      out.after = await pool.apply(() => 'free');
      const seen = [];
      await pool.apply(
        () => {
          poolkit.progress('p');
        },
        [],
        { onProgress: (v) => seen.push(v) },
      );
      out.seen = seen;
      const settled = await Promise.allSettled(
        [1, 2, 3].map((i) =>
          pool.apply(
            (j) => {
              if (j === 2) self.close();
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
    assert.equal(r.got, 20);
    assert.equal(r.after, 'free');
    assert.deepEqual(r.seen, ['p']);
    assert.deepEqual(r.settled, [1, 'WorkerCrashedError', 3]);
  });
});
