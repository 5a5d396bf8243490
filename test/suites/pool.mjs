// The Pool suite shared by Node (test/pool.test.mjs, worker_threads) and Chromium (test/browser/suites.test.mjs, Web
// Workers, pages with and without cross-origin isolation). Node-only cases stay in test/pool.test.mjs.

/**
 * @param {object} t
 * @param {object} t.poolkit the loaded package (dist/index.js or dist/browser/index.js)
 * @param {object} t.env `{ platform: 'node' | 'browser', isolated, fixtures: { tasks }, heapUsed(), gc? }`;
 *   `isolated` is false only in a page without cross-origin isolation (no SharedArrayBuffer)
 */
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
    AbortError,
    defineTasks,
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

  describe('Pool: streams, progress, start-up, backpressure, events and typed modules', function () {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const until = async (cond, ms = 5000) => {
      const t0 = performance.now();
      while (!cond()) {
        if (performance.now() - t0 > ms) throw new Error('condition not met in time');
        await sleep(5);
      }
    };
    // A task that kills its own worker: exit in Node (threads and processes), self.close() in a Web Worker.
    const crash = () => {
      if (typeof process !== 'undefined') process.exit(4);
      self.close();
    };
    // One worker, so a task run after a stream reads what the stream's generator left in that worker's globals.
    let pool;
    before(() => (pool = new Pool({ ...poolOptions, workers: 1 })));
    after(() => pool.terminate());
    const state = () => pool.apply(() => ({ produced: globalThis.produced, finallyRan: globalThis.finallyRan }));

    it('stream yields the values of sync and async generators in order, with their arguments', async () => {
      const out = [];
      for await (const v of pool.stream(
        function* (a, b) {
          for (let i = a; i < b; i++) yield i * 3;
        },
        [2, 502],
      ))
        out.push(v);
      assert.deepEqual(
        out,
        Array.from({ length: 500 }, (_, i) => (i + 2) * 3),
      );
      const a = [];
      for await (const v of pool.stream(
        async function* (n) {
          for (let i = 0; i < n; i++) {
            await new Promise((r) => setTimeout(r, 1));
            yield `v${i}`;
          }
        },
        [4],
      ))
        a.push(v);
      assert.deepEqual(a, ['v0', 'v1', 'v2', 'v3']);
    });

    it("stream: the producer stays within highWaterMark of a slow consumer; break runs the generator's finally", async () => {
      const hwm = 8;
      let taken = 0;
      for await (const v of pool.stream(
        function* () {
          globalThis.produced = 0;
          globalThis.finallyRan = false;
          try {
            for (let i = 0; ; i++) {
              globalThis.produced++;
              yield i;
            }
          } finally {
            globalThis.finallyRan = true;
          }
        },
        [],
        { highWaterMark: hwm },
      )) {
        assert.equal(v, taken);
        taken++;
        if (taken % 25 === 0) await sleep(5);
        if (taken === 200) break;
      }
      const s = await state();
      assert.equal(s.finallyRan, true, 'finally ran in the worker, which is free again');
      assert.ok(
        s.produced <= taken + hwm + 1,
        `the generator made ${s.produced} values for ${taken} taken (hwm ${hwm})`,
      );
    });

    it("stream: aborting rejects the loop with AbortError and runs the generator's finally", async () => {
      const ac = new AbortController();
      let n = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of pool.stream(
            async function* () {
              globalThis.finallyRan = false;
              try {
                for (let i = 0; ; i++) {
                  await new Promise((r) => setTimeout(r, 1));
                  yield i;
                }
              } finally {
                globalThis.finallyRan = true;
              }
            },
            [],
            { signal: ac.signal },
          ))
            if (++n === 5) ac.abort();
        })(),
        AbortError,
      );
      assert.equal((await state()).finallyRan, true);
      const got = [];
      await assert.rejects(
        (async () => {
          for await (const v of pool.stream(function* () {
            yield 1;
            yield 2;
            throw new RangeError('gen broke');
          }))
            got.push(v);
        })(),
        { name: 'RangeError', message: 'gen broke' },
      );
      assert.deepEqual(got, [1, 2], "a generator's error arrives after the values before it");
      assert.throws(
        () => pool.stream(function* () {}, [], { highWaterMark: 0 }),
        (e) => e instanceof InvalidArgumentError && e.argument === 'options.highWaterMark',
      );
    });

    it("imap over a generator task flattens each item's values in order; map and apply collect them", async () => {
      const out = [];
      for await (const v of pool.imap(
        function* (n) {
          for (let i = 0; i < n; i++) yield `${n}.${i}`;
        },
        [1, 2, 3],
        { chunksize: 2 },
      ))
        out.push(v);
      assert.deepEqual(out, ['1.0', '2.0', '2.1', '3.0', '3.1', '3.2']);
      assert.deepEqual(
        await pool.map(
          async function* (n) {
            yield n;
            yield -n;
          },
          [1, 2],
        ),
        [
          [1, -1],
          [2, -2],
        ],
      );
    });

    it('progress(value) reaches onProgress of apply, map and stream, throttled, ending with the last value', async () => {
      const seen = [];
      const r = await pool.apply(
        (n) => {
          for (let i = 1; i <= n; i++) poolkit.progress(i);
          return n;
        },
        [100000],
        { onProgress: (v) => seen.push(v) },
      );
      assert.equal(r, 100000);
      assert.ok(seen.length >= 1 && seen.length < 100, `${seen.length} progress messages for 100000 calls`);
      assert.equal(seen.at(-1), 100000, 'the last value is delivered');
      const fromMap = [];
      await pool.map(
        (x) => {
          poolkit.progress(x);
          return x;
        },
        [1, 2, 3, 4],
        { chunksize: 1, onProgress: (v) => fromMap.push(v) },
      );
      assert.deepEqual(fromMap.sort(), [1, 2, 3, 4]);
      const fromStream = [];
      for await (const _ of pool.stream(
        function* () {
          poolkit.progress('half');
          yield 1;
        },
        [],
        { onProgress: (v) => fromStream.push(v) },
      ));
      assert.deepEqual(fromStream, ['half']);
    });

    it('workers start at construction and ready() waits for the initializer; lazy: true starts none until asked', async () => {
      const eager = new Pool({
        ...poolOptions,
        workers: 2,
        initializer: () => {
          globalThis.inited = true;
        },
      });
      assert.equal(eager.stats().workers, 2, 'started eagerly');
      await eager.ready();
      assert.deepEqual(await eager.map(() => globalThis.inited, [1, 2], { chunksize: 1 }), [true, true]);
      await eager.terminate();
      const lazy = new Pool({ ...poolOptions, workers: 2, lazy: true });
      assert.equal(lazy.stats().workers, 0);
      await lazy.ready();
      assert.equal(lazy.stats().workers, 2);
      await lazy.terminate();
    });

    it('drained() and the drain event tell a producer when the queue is empty; queueSize counts what waits', async () => {
      let drains = 0;
      const off = pool.on('drain', () => drains++);
      const slow = () => new Promise((r) => setTimeout(r, 20));
      const calls = Array.from({ length: 5 }, () => pool.apply(slow));
      assert.ok(pool.queueSize >= 3, `queueSize ${pool.queueSize}`);
      await pool.drained();
      assert.equal(pool.queueSize, 0);
      assert.ok(drains >= 1);
      await Promise.all(calls);
      off();
    });

    it('events for worker create / exit / crash and task start / end; stats() histograms per pool and worker', async () => {
      const p = new Pool({ ...poolOptions, workers: 1 });
      const log = [];
      for (const t of ['workercreate', 'workerexit', 'workercrash', 'taskstart', 'taskend'])
        p.addEventListener(t, (e) => log.push([t, e.detail]));
      await p.apply(() => 1);
      await assert.rejects(p.apply(crash), { name: 'WorkerCrashedError' });
      await p.apply(() => 2);
      const types = log.map(([t]) => t);
      assert.deepEqual(
        types.filter((t) => t.startsWith('task')),
        ['taskstart', 'taskend', 'taskstart', 'taskstart', 'taskend'],
      );
      // Tasks sent together: only the one running when its worker died fails; the others run on the replacement.
      const settled = await Promise.allSettled(
        [1, 2, 3].map((i) =>
          p.apply(
            (j) => {
              if (j === 2) {
                if (typeof process !== 'undefined') process.exit(4);
                self.close();
              }
              return j;
            },
            [i],
          ),
        ),
      );
      assert.deepEqual(
        settled.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.name)),
        [1, 'WorkerCrashedError', 3],
      );
      assert.ok(types.includes('workercrash') && types.includes('workerexit'), types.join());
      assert.equal(
        types.filter((t) => t === 'workercreate').length,
        1,
        'a replacement started (the first worker started with the pool)',
      );
      const end = log.find(([t]) => t === 'taskend')[1];
      assert.ok(end.ok && end.runMs >= 0 && end.waitMs >= 0 && end.workerId > 0);
      await p.map(
        (ms) => {
          const t = Date.now();
          while (Date.now() - t < ms);
          return ms;
        },
        [...new Array(18).fill(2), 30, 30],
        { chunksize: 1 },
      );
      const s = p.stats();
      assert.equal(s.runTime.count, 24);
      assert.ok(s.runTime.p99 >= 20, `p99 ${s.runTime.p99}`);
      assert.ok(s.runTime.p50 <= s.runTime.p90 && s.runTime.p90 <= s.runTime.p99);
      assert.ok(s.utilization > 0 && s.utilization <= 1);
      assert.equal(s.perWorker.length, 1);
      assert.equal(s.perWorker[0].runTime.count, 21, "the live worker's own tasks (3 and the map's 20)");
      await p.terminate();
    });

    it('recycle() replaces every worker in turn, each replacement started before its predecessor retires', async () => {
      const p = new Pool({ ...poolOptions, workers: 2 });
      await p.ready();
      const created = [];
      const off = p.on('workercreate', (d) => created.push(d.workerId));
      const work = p.map(
        (x) => x * 2,
        Array.from({ length: 2000 }, (_, i) => i),
        { chunksize: 1 },
      );
      p.recycle();
      assert.equal(p.stats().workers, 3, 'one replacement starts while both old workers still work');
      assert.deepEqual(
        await work,
        Array.from({ length: 2000 }, (_, i) => i * 2),
      );
      await until(() => created.length === 2 && p.stats().workers === 2);
      off();
      assert.equal(p.stats().recycled, 2);
      assert.deepEqual(
        p
          .stats()
          .perWorker.map((w) => w.id)
          .sort(),
        [...created].sort(),
        'only the replacements remain',
      );
      await p.terminate();
    });

    it('a worker that runs dry takes back the tasks queued behind a long one', async () => {
      const p = new Pool({ ...poolOptions, workers: 2 });
      const f = (ms) => {
        const t = performance.now();
        while (performance.now() - t < ms);
        return ms;
      };
      await p.map(f, new Array(50).fill(0.05), { chunksize: 1 }); // measured as short: pipelined deeply
      const items = new Array(200).fill(0.05);
      items[100] = 300;
      const r = await p.map(f, items, { chunksize: 1 });
      assert.deepEqual(r, items);
      // Stealing needs the workers' status words in shared memory.
      if (sharesMemory) assert.ok(p.stats().stolen > 0, 'tasks were taken back');
      else assert.equal(p.stats().stolen, 0);
      await p.terminate();
    });

    it('pool.proxy(url) calls module exports as methods; defineTasks gives references for any call', async () => {
      const tasks = pool.proxy(fixtures);
      assert.equal(await tasks.square(7), 49);
      assert.equal(await tasks.default('web'), 'hello web');
      await assert.rejects(tasks.missing(), /no exported function 'missing'/);
      assert.equal(typeof tasks.then, 'undefined', 'a proxy is not a thenable');
      const refs = defineTasks(fixtures);
      assert.deepEqual(await pool.map(refs.square, [1, 2, 3]), [1, 4, 9]);
    });
  });

  describe('Pool: work stealing and chunk splitting', function () {
    // The slow items sit together at the end, so with automatic chunks (len / (4 × workers)) one chunk holds them all:
    // the case static chunks balance worst. Each item counts its runs in shared memory where the workers share it.
    const n = 4000;
    const slowFrom = n - 40;
    const items = Array.from({ length: n }, (_, i) => i);
    const makePool = (counts, who) =>
      new Pool({
        ...poolOptions,
        workers: 2,
        initializer: (c, w) => {
          globalThis.runs = c;
          globalThis.who = w;
          globalThis.me = 1 + Math.floor(Math.random() * 1e9);
        },
        initArgs: [counts, who],
      });
    const skewed = (i) => {
      if (globalThis.runs) Atomics.add(globalThis.runs, i, 1);
      if (globalThis.who) Atomics.store(globalThis.who, i, globalThis.me);
      const ms = i >= 3960 ? 4 : 0.01;
      const t = performance.now();
      while (performance.now() - t < ms);
      return i * 2;
    };
    const shared = () => (sharesMemory ? new Int32Array(new SharedArrayBuffer(4 * n)) : null);

    it('map with automatic chunks splits a running chunk for an idle worker: every item once, in order', async () => {
      const counts = shared();
      const who = shared();
      const pool = makePool(counts, who);
      await pool.ready();
      const out = await pool.map(skewed, items);
      assert.deepEqual(
        out,
        items.map((i) => i * 2),
      );
      if (sharesMemory) {
        assert.ok(
          counts.every((c) => c === 1),
          'every item ran exactly once',
        );
        assert.ok(pool.stats().split > 0, 'a running chunk was split');
        // Both workers ran some of the slow items, which sat in one chunk.
        assert.equal(new Set(who.slice(slowFrom)).size, 2, 'the slow tail was shared between the workers');
      } else assert.equal(pool.stats().split, 0, 'no shared memory: chunks run whole');
      const again = await pool.starmap(
        (a, b) => a + b,
        items.map((i) => [i, 1]),
      );
      assert.deepEqual(
        again,
        items.map((i) => i + 1),
      );
      await pool.terminate();
    });

    it('imap with chunks over the skewed input stays ordered, each item once', async () => {
      const counts = shared();
      const pool = makePool(counts, null);
      const got = [];
      for await (const v of pool.imap(skewed, items, { chunksize: 1000 })) got.push(v);
      assert.deepEqual(
        got,
        items.map((i) => i * 2),
      );
      if (sharesMemory)
        assert.ok(
          counts.every((c) => c === 1),
          'every item ran exactly once',
        );
      await pool.terminate();
    });

    it('a worker crash while a chunk is split fails the map once; no item runs twice; the pool recovers', async () => {
      const counts = shared();
      const pool = makePool(counts, null);
      await pool.ready();
      const crashAt = n - 3; // the task below names it as a literal: it is self-contained
      await assert.rejects(
        pool.map((i) => {
          if (globalThis.runs) Atomics.add(globalThis.runs, i, 1);
          const ms = i >= 3960 ? 4 : 0.01;
          const t = performance.now();
          while (performance.now() - t < ms);
          if (i === 3997) {
            if (typeof process !== 'undefined') process.exit(7);
            self.close();
          }
          return i;
        }, items),
        { name: 'WorkerCrashedError' },
      );
      if (sharesMemory) {
        assert.ok(pool.stats().split > 0, 'the crash came while a chunk was split');
        assert.ok(
          counts.every((c) => c <= 1),
          'no item ran twice',
        );
        assert.equal(counts[crashAt], 1);
      }
      assert.deepEqual(
        await pool.map((x) => x + 1, items),
        items.map((i) => i + 1),
      );
      await pool.terminate();
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
}
