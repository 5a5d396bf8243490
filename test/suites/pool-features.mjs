// The Pool's features beyond Python's surface, part of the shared Pool suite (test/suites/pool.mjs), so they run on
// worker_threads, child processes and in Chromium pages with and without cross-origin isolation: streams under
// credit, progress, start-up, drained, events and histograms, recycling, work stealing and chunk splitting, proxies.

/** Same arguments as the Pool suite. */
export default function poolFeatures({ poolkit, describe, it, before, after, assert, env }) {
  const { Pool, InvalidArgumentError, AbortError, defineTasks } = poolkit;
  const fixtures = env.fixtures.tasks;
  const poolOptions = env.poolOptions ?? {};
  const sharesMemory = env.isolated && env.sharesMemory !== false;
  describe('Pool: streams, progress, start-up, backpressure, events and typed modules', function () {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const until = async (cond, ms = 5000, what = () => '') => {
      const t0 = performance.now();
      while (!cond()) {
        if (performance.now() - t0 > ms) throw new Error(`condition not met in time ${what()}`);
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
      try {
        await p.ready();
        const created = [];
        const exits = [];
        p.on('workercreate', (d) => created.push(d.workerId));
        p.on('workerexit', (d) => exits.push(`${d.workerId}:${d.reason}`));
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
        // Two worker start-ups one after the other: generous on a loaded machine.
        await until(
          () => created.length === 2 && p.stats().workers === 2 && exits.length === 2,
          20000,
          () => `(created ${created}, exits ${exits}, workers ${p.stats().workers})`,
        );
        assert.equal(p.stats().recycled, 2);
        assert.deepEqual(
          p
            .stats()
            .perWorker.map((w) => w.id)
            .sort(),
          [...created].sort(),
          'only the replacements remain',
        );
        assert.equal(exits.filter((e) => e.endsWith(':recycle')).length, 2);
      } finally {
        await p.terminate();
      }
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
      } else {
        assert.equal(pool.stats().split, 0, 'no shared memory: chunks run whole');
        // Instead, automatic chunks shrink toward the end (guided sizes): more of them than Python's 4 per worker.
        assert.ok(pool.stats().completed > 8, `${pool.stats().completed} chunks`);
      }
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
}
