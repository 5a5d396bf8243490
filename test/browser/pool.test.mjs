import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

describe('Pool in Chromium (Web Workers)', function () {
  const ctx = useBrowser();

  it('runs the Python surface on Web Workers in a cross-origin isolated page', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool, task } = await import('/dist/browser/index.js');
      const pool = new Pool({ workers: 2 });
      const out = {};
      out.isolated = crossOriginIsolated;
      out.apply = await pool.apply((a, b) => a + b, [2, 3]);
      out.map = await pool.map((x) => x * x, Array.from({ length: 100 }, (_, i) => i));
      out.mapChunks = await pool.map((x) => x * 2, Array.from({ length: 100 }, (_, i) => i), { chunksize: 7 });
      out.starmap = await pool.starmap((a, b) => a * b, [[2, 3], [4, 5]]);
      const im = [];
      for await (const v of pool.imap((x) => x + 1, (function* () { for (let i = 0; ; i++) yield i; })())) { im.push(v); if (im.length === 10) break; }
      out.imap = im;
      out.module = await pool.apply(task(new URL('/test/fixtures/tasks.mjs', location.href), 'square'), [12]);
      try { await pool.apply(() => { throw new RangeError('from a web worker'); }); } catch (e) { out.error = [e.name, e.message, e instanceof RangeError]; }
      const k = 3;
      try { await pool.apply((x) => x + k, [1]); } catch (e) { out.captured = e.name; }
      const shared = new Int32Array(new SharedArrayBuffer(8));
      await pool.apply((s) => Atomics.store(s, 0, 42), [shared]);
      out.shared = shared[0];
      out.workers = pool.stats().workers;
      await pool.terminate();
      return out;
    });
    assert.equal(r.isolated, true);
    assert.equal(r.apply, 5);
    assert.deepEqual(r.map, Array.from({ length: 100 }, (_, i) => i * i));
    assert.deepEqual(r.mapChunks, Array.from({ length: 100 }, (_, i) => i * 2));
    assert.deepEqual(r.starmap, [6, 20]);
    assert.deepEqual(r.imap, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(r.module, 144);
    assert.deepEqual(r.error, ['RangeError', 'from a web worker', true]);
    assert.equal(r.captured, 'NotSelfContainedError');
    assert.equal(r.shared, 42);
    assert.equal(r.workers, 2);
  });

  it('recovers from dying workers, aborts and timeouts without losing or repeating tasks', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool } = await import('/dist/browser/index.js');
      const out = {};
      const pool = new Pool({ workers: 2 });
      const runs = new Int32Array(new SharedArrayBuffer(4 * 100));
      const settled = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => pool.apply((c, j) => { Atomics.add(c, j, 1); if (j === 40) self.close(); return j; }, [runs, i])));
      out.crashed = settled.filter((s) => s.status === 'rejected').map((s) => s.reason.name);
      out.fulfilled = settled.filter((s) => s.status === 'fulfilled').length;
      out.runs = [...runs];
      try { await pool.apply(() => new Promise(() => setTimeout(() => { throw new Error('stray'); }, 1))); } catch (e) { out.stray = e.name; }
      const ac = new AbortController();
      const t0 = performance.now();
      setTimeout(() => ac.abort(), 30);
      try { await pool.apply(() => { for (;;); }, [], { signal: ac.signal }); } catch (e) { out.abort = [e.name, performance.now() - t0]; }
      out.after = await pool.apply(() => 'alive');
      out.stats = pool.stats();
      await pool.terminate();
      const timed = new Pool({ workers: 1, taskTimeout: 100 });
      try { await timed.apply(() => { for (;;); }); } catch (e) { out.timeout = e.name; }
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
      const settled = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => pool.apply((j) => { if (j === 3) self.close(); return j; }, [i])));
      out.settled = settled.map((s) => s.status === 'fulfilled' ? s.value : s.reason.name);
      await pool.terminate();
      return out;
    });
    assert.equal(r.isolated, false);
    assert.deepEqual(r.map, [2, 3, 4, 5]);
    assert.deepEqual(r.settled, [1, 2, 'WorkerCrashedError', 4, 5, 6]);
  });
});
