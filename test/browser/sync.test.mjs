// The multiprocessing toolbox in Chromium: Web Workers of a Pool and the page's main thread on the same shared
// memory in a cross-origin isolated page, where the main thread may use only the async forms (Atomics.wait throws
// there); and the typed error a page without cross-origin isolation gets.
import assert from 'node:assert/strict';
import { open, useBrowser } from './harness.mjs';

describe('toolbox in Chromium', function () {
  const ctx = useBrowser();

  it('Lock, Value, Queue, Barrier and Event across Web Workers; the async forms on the main thread', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool, Lock, Value, Queue, Barrier, Event, SharedArray, BlockingNotAllowedError } = await import(
        '/dist/browser/index.js'
      );
      const out = { isolated: crossOriginIsolated };
      const pool = new Pool({ workers: 3 });

      // A Value incremented under its Lock by 3 workers: exact.
      const v = new Value('i', 0);
      await Promise.all(
        [0, 1, 2].map(() =>
          pool.apply(
            (v, n) => {
              const l = v.getLock();
              for (let i = 0; i < n; i++) {
                l.acquire();
                v.value += 1;
                l.release();
              }
            },
            [v, 20_000],
          ),
        ),
      );
      out.value = v.value;

      // The main thread takes a Lock with acquireAsync while a worker holds it, and gets it once the worker lets go.
      const lock = new Lock();
      const started = new Event();
      const holding = pool.apply(
        (lock, started) => {
          lock.acquire();
          started.set();
          const t = performance.now();
          while (performance.now() - t < 100);
          lock.release();
        },
        [lock, started],
      );
      out.startedAsync = await started.waitAsync(5000);
      out.freeWhileHeld = await lock.acquireAsync(0);
      const t0 = performance.now();
      out.acquiredAsync = await lock.acquireAsync(5000);
      out.waitedMs = performance.now() - t0;
      // Held now: a blocking acquire would have to wait, which this thread may not do.
      try {
        lock.acquire();
        out.blocking = 'acquired';
      } catch (e) {
        out.blocking = [e instanceof BlockingNotAllowedError, e.code, e.message];
      }
      lock.release();
      await holding;
      // What `using` does at the end of a scope (this file is parsed by Node 20 too, which has no `using`).
      const held = await lock.heldAsync();
      out.heldLocked = lock.locked();
      held[Symbol.dispose]();
      out.disposedLocked = lock.locked();

      // A Queue: 2 producers in workers, the main thread consumes with getAsync; counts in a SharedArray.
      const q = new Queue({ maxsize: 16 });
      const seen = SharedArray('i32', 200);
      const producing = [0, 1].map((p) =>
        pool.apply(
          (q, p) => {
            for (let i = 0; i < 100; i++) q.put({ i: p * 100 + i, pad: 'x'.repeat(i * 10) });
          },
          [q, p],
        ),
      );
      for (let k = 0; k < 200; k++) seen[(await q.getAsync({ timeout: 5000 })).i]++;
      await Promise.all(producing);
      out.queueCounts = [...new Set(seen)];
      const te = performance.now();
      try {
        await q.getAsync({ timeout: 100 });
      } catch (e) {
        out.emptyError = [e.name, performance.now() - te];
      }

      // A Barrier of 3 workers over 3 rounds, with an action counting rounds in shared memory.
      const rounds = SharedArray('i32', 1);
      const barrier = new Barrier(3, {
        action: () => {
          const g = globalThis;
          Atomics.add(g.__rounds, 0, 1);
        },
      });
      const idx = await Promise.all(
        [0, 1, 2].map(() =>
          pool.apply(
            (b, rounds) => {
              globalThis.__rounds = rounds;
              const got = [];
              for (let r = 0; r < 3; r++) got.push(b.wait(5000));
              return got;
            },
            [barrier, rounds],
          ),
        ),
      );
      out.barrierIndexes = [0, 1, 2].map((r) => idx.map((w) => w[r]).sort());
      out.rounds = rounds[0];

      // The main thread as one party of a Barrier, through waitAsync.
      const meet = new Barrier(2);
      const other = pool.apply((b) => b.wait(5000), [meet]);
      out.meetIndexes = [await meet.waitAsync(5000), await other].sort();

      await pool.terminate();
      return out;
    });
    assert.equal(r.isolated, true);
    assert.equal(r.value, 60_000);
    assert.equal(r.startedAsync, true);
    assert.equal(r.freeWhileHeld, false, 'the worker held it');
    assert.equal(r.acquiredAsync, true);
    assert.ok(r.waitedMs > 20 && r.waitedMs < 3000, `waited ${r.waitedMs} ms for the worker's release`);
    assert.equal(r.blocking[0], true, `a blocking acquire on the main thread: ${r.blocking}`);
    assert.equal(r.blocking[1], 'ERR_BLOCKING_NOT_ALLOWED');
    assert.match(r.blocking[2], /acquireAsync|Async/);
    assert.deepEqual([r.heldLocked, r.disposedLocked], [true, false]);
    assert.deepEqual(r.queueCounts, [1], 'every item exactly once');
    assert.equal(r.emptyError[0], 'QueueEmptyError');
    assert.ok(r.emptyError[1] >= 97 && r.emptyError[1] < 200, `getAsync timed out after ${r.emptyError[1]} ms`);
    assert.deepEqual(r.barrierIndexes, [
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    assert.equal(r.rounds, 3);
    assert.deepEqual(r.meetIndexes, [0, 1]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('Pipe, Manager and Process with Web Workers; the main thread uses recvAsync and serves the manager', async () => {
    const page = await open(ctx.browser, ctx.isolated);
    const r = await page.evaluate(async () => {
      const { Pool, Pipe, Manager, Process, Lock, EOFError } = await import('/dist/browser/index.js');
      const out = {};
      const pool = new Pool({ workers: 2 });
      const [a, b] = Pipe();
      const echo = pool.apply(
        (c) => {
          for (;;) {
            const m = c.recv();
            if (m === null) return 'done';
            c.send({ back: m });
          }
        },
        [b],
      );
      out.echoes = [];
      for (const m of [1, 'two', [3]]) {
        await a.sendAsync(m);
        out.echoes.push(await a.recvAsync(5000));
      }
      // A Lock inside a message comes back as the same lock.
      const inItem = new Lock();
      await a.sendAsync({ inItem });
      const back = (await a.recvAsync(5000)).back.inItem;
      inItem.acquire(0);
      out.lockInItem = [back instanceof Lock, back.locked()];
      await a.sendAsync(null);
      out.echoEnd = await echo;
      b.close();
      try {
        await a.recvAsync(1000);
      } catch (e) {
        out.eof = e instanceof EOFError;
      }

      // The page's main thread serves the manager from its event loop while workers call it synchronously.
      const manager = new Manager();
      const d = manager.dict();
      await Promise.all(
        [0, 1].map((k) =>
          pool.apply(
            (d, k) => {
              for (let i = 0; i < 100; i++) d.increment('hits');
              d.set(`w${k}`, k);
            },
            [d, k],
          ),
        ),
      );
      out.dict = d.entries().sort();
      await manager.shutdown();

      const procs = ['doubler-1', 'doubler-2'].map(
        (name, i) =>
          new Process({
            name,
            target: async (x) => {
              const { currentProcess } = await import('/dist/browser/index.js');
              return `${currentProcess().name} ${x * 2}`;
            },
            args: [i + 1],
          }),
      );
      for (const p of procs) p.start();
      await Promise.all(procs.map((p) => p.join(10_000)));
      out.procs = procs.map((p) => [p.exitCode, p.result, p.isAlive()]);
      await pool.terminate();
      return out;
    });
    assert.deepEqual(r.echoes, [{ back: 1 }, { back: 'two' }, { back: [3] }]);
    assert.deepEqual(r.lockInItem, [true, true]);
    assert.equal(r.echoEnd, 'done');
    assert.equal(r.eof, true);
    assert.deepEqual(r.dict, [
      ['hits', 200],
      ['w0', 0],
      ['w1', 1],
    ]);
    assert.deepEqual(r.procs, [
      [0, 'doubler-1 2', false],
      [0, 'doubler-2 4', false],
    ]);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('in a page without cross-origin isolation, a primitive throws a typed error naming the headers', async () => {
    const page = await open(ctx.browser, ctx.plain);
    const r = await page.evaluate(async () => {
      const { Lock, Queue, Value, SharedMemoryUnavailableError } = await import('/dist/browser/index.js');
      const out = { isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer };
      out.errors = [() => new Lock(), () => new Queue(), () => new Value('d', 1)].map((make) => {
        try {
          make();
          return 'constructed';
        } catch (e) {
          return [e instanceof SharedMemoryUnavailableError, e.code, e.message];
        }
      });
      return out;
    });
    assert.equal(r.isolated, false);
    assert.equal(r.sab, 'undefined');
    for (const e of r.errors) {
      assert.equal(e[0], true, `a typed error: ${e}`);
      assert.equal(e[1], 'ERR_NO_SHARED_MEMORY');
      assert.match(e[2], /SharedArrayBuffer/);
      assert.match(e[2], /Cross-Origin-Opener-Policy: same-origin/);
      assert.match(e[2], /Cross-Origin-Embedder-Policy: require-corp/);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
