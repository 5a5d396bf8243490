// The Pool suite shared by Node (test/pool.test.mjs, worker_threads) and Chromium (test/browser/suites.test.mjs, Web
// Workers, pages with and without cross-origin isolation). Node-only cases stay in test/pool.test.mjs.

/**
 * @param {object} t
 * @param {object} t.poolkit the loaded package (dist/index.js or dist/browser/index.js)
 * @param {object} t.env `{ platform: 'node' | 'browser', isolated, fixtures: { tasks }, heapUsed(), gc? }`;
 *   `isolated` is false only in a page without cross-origin isolation (no SharedArrayBuffer)
 */
import poolFeatures from './pool-features.mjs';

export default function poolSuite({ poolkit, describe, it, before, after, assert, env }) {
  const {
    Pool,
    task,
    AsyncResult,
    InvalidArgumentError,
    NotSelfContainedError,
    PoolClosedError,
    ResultTimeoutError,
    PoolkitError,
  } = poolkit;
  const fixtures = env.fixtures.tasks;
  // Node also runs the suite on child processes (isolation: 'process'): no memory is shared with those workers.
  const poolOptions = env.poolOptions ?? {};
  const sharesMemory = env.isolated && env.sharesMemory !== false;

  describe('Pool: the Python surface', function () {
    let pool;
    before(() => (pool = new Pool({ ...poolOptions, workers: 2 })));
    after(() => pool.terminate());

    it('apply runs a function with its arguments and returns its value', async () => {
      assert.equal(await pool.apply((a, b) => a * b, [6, 7]), 42);
      assert.equal(await pool.apply(() => 'no args'), 'no args');
    });

    it('apply awaits async task functions', async () => {
      assert.equal(
        await pool.apply(
          async (x) => {
            await new Promise((r) => setTimeout(r, 2));
            return x + 1;
          },
          [1],
        ),
        2,
      );
    });

    it('map keeps input order with automatic and explicit chunks', async () => {
      const items = Array.from({ length: 1001 }, (_, i) => i);
      const expected = items.map((x) => x * 3);
      assert.deepEqual(await pool.map((x) => x * 3, items), expected);
      for (const chunksize of [1, 7, 1000, 5000])
        assert.deepEqual(await pool.map((x) => x * 3, items, { chunksize }), expected);
      assert.deepEqual(await pool.map((x) => x, []), []);
    });

    it('map accepts sync and async iterables', async () => {
      const gen = function* () {
        yield 1;
        yield 2;
        yield 3;
      };
      assert.deepEqual(await pool.map((x) => -x, gen()), [-1, -2, -3]);
      const agen = async function* () {
        yield 'a';
        yield 'b';
      };
      assert.deepEqual(await pool.map((s) => s.toUpperCase(), agen()), ['A', 'B']);
    });

    it('starmap spreads argument tuples', async () => {
      assert.deepEqual(
        await pool.starmap(
          (a, b) => a - b,
          [
            [5, 1],
            [9, 3],
            [0, 4],
          ],
        ),
        [4, 6, -4],
      );
      assert.deepEqual(
        await pool.starmap(
          (a, b) => a + b,
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          { chunksize: 2 },
        ),
        [3, 7, 11],
      );
    });

    it('imap is ordered and lazy; imapUnordered yields in completion order', async () => {
      const out = [];
      for await (const r of pool.imap((x) => x * 2, [1, 2, 3, 4, 5], { chunksize: 2 })) out.push(r);
      assert.deepEqual(out, [2, 4, 6, 8, 10]);
      const delays = [60, 1, 1, 1];
      const unordered = [];
      for await (const r of pool.imapUnordered(async (ms) => {
        await new Promise((res) => setTimeout(res, ms));
        return ms;
      }, delays))
        unordered.push(r);
      assert.deepEqual(
        [...unordered].sort((a, b) => a - b),
        [1, 1, 1, 60],
      );
      assert.equal(unordered[3], 60, 'the slow item comes last');
    });

    it('imap over an endless generator draws only a bounded window', async () => {
      let drawn = 0;
      function* endless() {
        for (let i = 0; ; i++) {
          drawn++;
          yield i;
        }
      }
      const got = [];
      for await (const r of pool.imap((x) => x + 1, endless())) {
        got.push(r);
        if (got.length === 100) break;
      }
      assert.deepEqual(
        got,
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      assert.ok(drawn < 3000, `drew ${drawn} items for 100 results`);
      const agen = async function* () {
        for (let i = 0; ; i++) {
          drawn++;
          yield i;
        }
      };
      drawn = 0;
      let n = 0;
      for await (const _ of pool.imapUnordered((x) => x, agen())) if (++n === 100) break;
      assert.ok(drawn < 3000, `async source: drew ${drawn} items for 100 results`);
    });

    it('imap keeps memory flat over 10 million items', async function () {
      this.timeout(120000);
      function* items() {
        for (let i = 0; i < 10_000_000; i++) yield i;
      }
      let sum = 0;
      let count = 0;
      let baseline = 0;
      let peak = 0;
      for await (const r of pool.imap((x) => x & 1, items(), { chunksize: 10_000 })) {
        sum += r;
        count++;
        if (count === 1_000_000) {
          env.gc?.();
          baseline = env.heapUsed();
        }
        if (count > 1_000_000 && count % 1_000_000 === 0) peak = Math.max(peak, env.heapUsed());
      }
      assert.equal(count, 10_000_000);
      assert.equal(sum, 5_000_000);
      assert.ok(peak - baseline < 64 * 2 ** 20, `heap grew by ${((peak - baseline) / 2 ** 20).toFixed(1)} MiB`);
    });

    it('applyAsync returns an AsyncResult with get, wait, ready, successful and callbacks', async () => {
      let called;
      const ar = pool.applyAsync((x) => x * 10, [4], { callback: (v) => (called = v) });
      assert.ok(ar instanceof AsyncResult);
      assert.throws(() => ar.successful(), PoolkitError);
      assert.equal(await ar.get(), 40);
      assert.equal(ar.ready(), true);
      assert.equal(ar.successful(), true);
      assert.equal(called, 40);
      let failed;
      const bad = pool.applyAsync(
        () => {
          throw new TypeError('nope');
        },
        [],
        { errorCallback: (e) => (failed = e) },
      );
      await bad.wait();
      assert.equal(bad.successful(), false);
      assert.equal(failed.name, 'TypeError');
      await assert.rejects(bad.get(), { name: 'TypeError', message: 'nope' });
      const slow = pool.applyAsync(() => new Promise((r) => setTimeout(() => r(1), 300)));
      await assert.rejects(slow.get(20), ResultTimeoutError);
      assert.equal(slow.ready(), false);
      assert.equal(await slow.get(), 1);
    });

    it('mapAsync and starmapAsync', async () => {
      assert.deepEqual(await pool.mapAsync((x) => x + 1, [1, 2]).get(), [2, 3]);
      assert.deepEqual(await pool.starmapAsync((a, b) => a + b, [[1, 1]]).get(), [2]);
    });

    it('runs module exports named with task(url, name)', async () => {
      assert.equal(await pool.apply(task(fixtures, 'square'), [9]), 81);
      assert.equal(await pool.apply(task(fixtures), ['you']), 'hello you');
      assert.deepEqual(await pool.map(task(fixtures, 'slowDouble'), [1, 2, 3]), [2, 4, 6]);
      await assert.rejects(pool.apply(task(fixtures, 'missing'), []), /no exported function 'missing'/);
      assert.throws(() => task('./relative.js'), InvalidArgumentError);
    });

    it('accepts method-shorthand functions', async () => {
      const obj = {
        triple(x) {
          return 3 * x;
        },
        async quad(x) {
          return 4 * x;
        },
      };
      assert.equal(await pool.apply(obj.triple, [2]), 6);
      assert.equal(await pool.apply(obj.quad, [2]), 8);
    });

    it('a function using a captured variable fails with a self-contained error', async () => {
      const offset = 5;
      await assert.rejects(
        pool.apply((x) => x + offset, [1]),
        (e) => {
          assert.ok(e instanceof NotSelfContainedError);
          assert.match(e.message, /self-contained/);
          assert.match(e.message, /offset/);
          return true;
        },
      );
    });

    it("a task's error keeps its name, message, properties and worker-side stack", async () => {
      await assert.rejects(
        pool.apply(function failing() {
          const e = new RangeError('out of range');
          e.code = 'E_RANGE';
          e.detail = 7;
          throw e;
        }),
        (e) => {
          assert.equal(e.name, 'RangeError');
          assert.ok(e instanceof RangeError);
          assert.equal(e.message, 'out of range');
          assert.equal(e.code, 'E_RANGE');
          assert.equal(e.detail, 7);
          assert.match(e.stack, /failing/);
          return true;
        },
      );
      await assert.rejects(
        pool.map(
          (x) => {
            if (x === 3) throw new Error(`bad ${x}`);
            return x;
          },
          [1, 2, 3, 4],
          { chunksize: 1 },
        ),
        /bad 3/,
      );
      const it = pool.imap(
        (x) => {
          if (x === 2) throw new Error('at two');
          return x;
        },
        [0, 1, 2, 3],
      );
      assert.deepEqual(await it.next(), { value: 0, done: false });
      assert.deepEqual(await it.next(), { value: 1, done: false });
      await assert.rejects(it.next(), /at two/);
    });

    it('a result that cannot be cloned is a clear error, and the worker survives', async () => {
      await assert.rejects(
        pool.apply(() => () => 1),
        /cannot be sent back/,
      );
      assert.equal(await pool.apply(() => 1), 1);
    });

    // Transfer lists and shared memory reach threads only; a child process receives copies.
    if (env.sharesMemory !== false)
      it('transfers buffers on request and shares SharedArrayBuffers', async () => {
        const buf = new Float64Array([1, 2, 3]).buffer;
        assert.equal(
          await pool.apply((b) => new Float64Array(b).reduce((a, x) => a + x, 0), [buf], { transfer: [buf] }),
          6,
        );
        assert.equal(buf.byteLength, 0, 'transferred: detached on the host');
        const arr = new Uint8Array(8);
        await pool.apply((a) => a.length, [arr], { transfer: true });
        assert.equal(arr.byteLength, 0);
        const copy = new Uint8Array(8);
        await pool.apply((a) => a.length, [copy]);
        assert.equal(copy.byteLength, 8, 'copied by default');
        if (env.isolated) {
          const shared = new Int32Array(new SharedArrayBuffer(8));
          await pool.apply(
            (s) => {
              Atomics.store(s, 1, 99);
            },
            [shared],
          );
          assert.equal(shared[1], 99);
        } else {
          assert.equal(
            typeof SharedArrayBuffer,
            'undefined',
            'a page without cross-origin isolation has no SharedArrayBuffer',
          );
        }
      });

    it('timers and promises a task leaves behind still run while its worker is idle', async () => {
      if (sharesMemory) {
        const flag = new Int32Array(new SharedArrayBuffer(8));
        await pool.apply(
          (f) => {
            setTimeout(() => Atomics.store(f, 0, 1), 30);
            Promise.resolve()
              .then(() => new Promise((r) => setTimeout(r, 10)))
              .then(() => Atomics.store(f, 1, 1));
          },
          [flag],
        );
        await new Promise((r) => setTimeout(r, 150));
        assert.deepEqual([...flag], [1, 1]);
      } else {
        // No shared memory to watch: one worker keeps the flags in its globals, and a later task reads them.
        const one = new Pool({ ...poolOptions, workers: 1 });
        await one.apply(() => {
          globalThis.flag = [0, 0];
          setTimeout(() => (globalThis.flag[0] = 1), 30);
          Promise.resolve()
            .then(() => new Promise((r) => setTimeout(r, 10)))
            .then(() => (globalThis.flag[1] = 1));
        });
        await new Promise((r) => setTimeout(r, 150));
        assert.deepEqual(await one.apply(() => globalThis.flag), [1, 1]);
        await one.terminate();
      }
    });

    it('stats reports workers, busy, queued, completed, failed, respawned', async () => {
      const s = pool.stats();
      for (const k of ['workers', 'busy', 'queued', 'completed', 'failed', 'respawned'])
        assert.equal(typeof s[k], 'number', k);
      assert.ok(s.completed > 0);
      assert.ok(s.failed > 0);
      assert.equal(s.workers, 2);
    });
  });

  describe('Pool: lifecycle and options', function () {
    it('initializer runs once per worker with initArgs', async () => {
      const pool = new Pool({
        ...poolOptions,
        workers: 2,
        initializer: (v) => {
          globalThis.initValue = v;
          globalThis.initCount = (globalThis.initCount ?? 0) + 1;
        },
        initArgs: ['set'],
      });
      const r = await pool.map(() => `${globalThis.initValue}:${globalThis.initCount}`, [1, 2, 3, 4], { chunksize: 1 });
      assert.deepEqual(r, ['set:1', 'set:1', 'set:1', 'set:1']);
      await pool.terminate();
    });

    it('a failing initializer rejects tasks with InitializerError, never hangs', async () => {
      const pool = new Pool({
        ...poolOptions,
        workers: 1,
        initializer: () => {
          throw new Error('init broke');
        },
      });
      await assert.rejects(
        pool.apply(() => 1),
        { name: 'InitializerError', message: /init broke/ },
      );
      await assert.rejects(
        pool.apply(() => 1),
        { name: 'InitializerError' },
      );
      await pool.terminate();
    });

    it('maxTasksPerWorker replaces workers after that many tasks', async () => {
      const pool = new Pool({ ...poolOptions, workers: 1, maxTasksPerWorker: 2 });
      // A worker's identity: its thread id in Node; in a page, an id the worker draws once and keeps in its globals.
      const workerId =
        env.platform === 'node'
          ? async () => `${process.pid}.${(await import('node:worker_threads')).threadId}`
          : () => (globalThis.workerId ??= Math.random());
      const ids = await pool.map(workerId, [1, 2, 3, 4, 5, 6], { chunksize: 1 });
      assert.equal(new Set(ids).size, 3, `worker ids ${ids}`);
      await pool.terminate();
    });

    it('maxQueue rejects apply beyond the limit but lets map wait', async () => {
      const pool = new Pool({ ...poolOptions, workers: 1, maxQueue: 2 });
      const slow = () => new Promise((r) => setTimeout(() => r(1), 50));
      const running = [pool.apply(slow)];
      await new Promise((r) => setTimeout(r, 10));
      const queued = [pool.apply(slow), pool.apply(slow)];
      await assert.rejects(pool.apply(slow), { name: 'QueueFullError' });
      await Promise.all([...running, ...queued]);
      assert.deepEqual(
        await pool.map(
          (x) => x * 2,
          Array.from({ length: 50 }, (_, i) => i),
          { chunksize: 1 },
        ),
        Array.from({ length: 50 }, (_, i) => i * 2),
      );
      await pool.terminate();
    });

    it('close then join waits for queued work; calls after close fail', async () => {
      const pool = new Pool({ ...poolOptions, workers: 2 });
      const results = [1, 2, 3].map((x) =>
        pool.apply(
          async (v) => {
            await new Promise((r) => setTimeout(r, 30));
            return v;
          },
          [x],
        ),
      );
      await assert.rejects(() => pool.join(), /close\(\) or terminate\(\) first/);
      pool.close();
      await assert.rejects(
        pool.apply(() => 1),
        PoolClosedError,
      );
      assert.throws(() => pool.imap((x) => x, [1]), PoolClosedError);
      await pool.join();
      assert.deepEqual(await Promise.all(results), [1, 2, 3]);
      assert.equal(pool.stats().workers, 0);
    });

    it('terminate rejects pending tasks with PoolClosedError; asyncDispose terminates', async () => {
      const pool = new Pool({ ...poolOptions, workers: 1 });
      const p = pool.apply(() => new Promise(() => {}));
      const q = pool.apply(() => 2);
      p.catch(() => {});
      q.catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      await pool.terminate();
      await assert.rejects(p, PoolClosedError);
      await assert.rejects(q, PoolClosedError);
      const p2 = new Pool({ ...poolOptions, workers: 1 });
      assert.equal(typeof p2[Symbol.asyncDispose], 'function');
      await p2[Symbol.asyncDispose]();
      await assert.rejects(
        p2.apply(() => 1),
        PoolClosedError,
      );
    });

    it('misuse gives typed errors naming the problem', async () => {
      assert.throws(
        () => new Pool({ ...poolOptions, workers: 0 }),
        (e) => e instanceof InvalidArgumentError && e.argument === 'options.workers',
      );
      assert.throws(
        () => new Pool({ ...poolOptions, workers: 1.5 }),
        (e) => e.argument === 'options.workers',
      );
      assert.throws(
        () => new Pool({ ...poolOptions, wokers: 2 }),
        (e) => e.argument === 'options.wokers' && /unknown option/.test(e.message),
      );
      assert.throws(
        () => new Pool({ ...poolOptions, taskTimeout: -1 }),
        (e) => e.argument === 'options.taskTimeout',
      );
      assert.throws(
        () => new Pool({ ...poolOptions, initArgs: 'x' }),
        (e) => e.argument === 'options.initArgs',
      );
      assert.throws(
        () => new Pool({ ...poolOptions, initArgs: [() => 1] }),
        (e) => e.argument === 'options.initArgs',
      );
      assert.throws(
        () => new Pool({ ...poolOptions, initializer: 42 }),
        (e) => e.argument === 'options.initializer',
      );
      const pool = new Pool({ ...poolOptions, workers: 1 });
      await assert.rejects(
        pool.apply('not a function'),
        (e) => e instanceof InvalidArgumentError && e.argument === 'fn',
      );
      await assert.rejects(pool.apply(Math.max, [1, 2]), /native/);
      await assert.rejects(
        pool.apply((x) => x, 5),
        (e) => e.argument === 'args',
      );
      await assert.rejects(
        pool.map((x) => x, 42),
        (e) => e.argument === 'items',
      );
      await assert.rejects(
        pool.map((x) => x, [1], { chunksize: 0 }),
        (e) => e.argument === 'options.chunksize',
      );
      await assert.rejects(
        pool.map((x) => x, [1], { chunkSize: 2 }),
        (e) => e.argument === 'options.chunkSize',
      );
      await assert.rejects(
        pool.map((x) => x, [1], { signal: 'no' }),
        (e) => e.argument === 'options.signal',
      );
      await assert.rejects(
        pool.starmap((a) => a, [1, 2]),
        (e) => e.argument === 'argTuples[0]',
      );
      await assert.rejects(
        pool.apply((x) => x, [() => 1]),
        /cannot be sent to a worker/,
      );
      assert.equal(await pool.apply((x) => x, [1]), 1, 'the pool still works');
      await pool.terminate();
    });
  });

  poolFeatures({ poolkit, describe, it, before, after, assert, env });
}
