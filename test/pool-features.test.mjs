// Pool features beyond Python's surface: streaming generator tasks with credit-based backpressure, progress from
// tasks, eager start and ready(), min/max workers, drained(), events, stats histograms, recycling, work stealing and
// typed task modules.
import assert from 'node:assert/strict';
import { Pool, task, defineTasks, AbortError, InvalidArgumentError } from '../dist/index.js';

const fixtures = new URL('./fixtures/pool-tasks.mjs', import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(cond, ms = 3000) {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('Pool.stream: generator tasks with credit-based flow control', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 2 })));
  after(() => pool.terminate());

  it('streams the values of a sync and an async generator, in order, with its arguments', async () => {
    const out = [];
    for await (const v of pool.stream(
      function* (n, k) {
        for (let i = 0; i < n; i++) yield i * k;
      },
      [1000, 3],
    ))
      out.push(v);
    assert.deepEqual(
      out,
      Array.from({ length: 1000 }, (_, i) => i * 3),
    );
    const a = [];
    for await (const v of pool.stream(
      async function* (n) {
        for (let i = 0; i < n; i++) {
          await new Promise((r) => setTimeout(r, 1));
          yield `v${i}`;
        }
      },
      [5],
    ))
      a.push(v);
    assert.deepEqual(a, ['v0', 'v1', 'v2', 'v3', 'v4']);
    const m = [];
    for await (const v of pool.stream(task(fixtures, 'countTo'), [4])) m.push(v);
    assert.deepEqual(m, [1, 2, 3, 4]);
  });

  it('a producer never runs more than highWaterMark values ahead of a slow consumer; memory stays flat', async function () {
    this.timeout(60000);
    const made = new Int32Array(new SharedArrayBuffer(4));
    const hwm = 8;
    let maxAhead = 0;
    let taken = 0;
    const before = process.memoryUsage();
    // 1 MiB per value, endless: without backpressure this would be gigabytes within the loop below.
    for await (const buf of pool.stream(
      function* (counter) {
        for (;;) {
          Atomics.add(counter, 0, 1);
          yield new Uint8Array(1 << 20);
        }
      },
      [made],
      { highWaterMark: hwm },
    )) {
      assert.equal(buf.length, 1 << 20);
      taken++;
      maxAhead = Math.max(maxAhead, Atomics.load(made, 0) - taken);
      if (taken % 20 === 0) await sleep(20);
      if (taken === 300) break;
    }
    const after = process.memoryUsage();
    assert.ok(maxAhead <= hwm + 1, `producer ran ${maxAhead} values ahead (highWaterMark ${hwm})`);
    assert.ok(
      after.rss - before.rss < 200 * 2 ** 20,
      `rss grew by ${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB for 300 MiB streamed`,
    );
  });

  it("breaking out of the loop runs the generator's finally and frees the worker", async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let n = 0;
    for await (const _ of pool.stream(
      function* (f) {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          Atomics.store(f, 0, 1);
        }
      },
      [flag],
    ))
      if (++n === 10) break;
    assert.equal(Atomics.load(flag, 0), 1, 'finally ran before the loop exited');
    assert.equal(await pool.apply(() => 'free'), 'free');
  });

  it("aborting rejects the loop with AbortError and runs the generator's finally", async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const ac = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of pool.stream(
          async function* (f) {
            try {
              for (let i = 0; ; i++) {
                await new Promise((r) => setTimeout(r, 1));
                yield i;
              }
            } finally {
              Atomics.store(f, 0, 1);
            }
          },
          [flag],
          { signal: ac.signal },
        )) {
          if (++n === 5) ac.abort();
        }
      })(),
      AbortError,
    );
    await until(() => Atomics.load(flag, 0) === 1);
    await assert.rejects(async () => {
      for await (const _ of pool.stream(
        function* () {
          yield 1;
        },
        [],
        { signal: AbortSignal.abort() },
      ));
    }, AbortError);
  });

  it("a generator's error arrives after the values before it", async () => {
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
    assert.deepEqual(got, [1, 2]);
    await assert.rejects(async () => {
      for await (const _ of pool.stream(() => 42));
    }, /must return an iterator/);
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
    assert.deepEqual(
      await pool.apply(function* () {
        yield* Array.from({ length: 20 }, (_, i) => i);
      }),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});

describe('Pool: progress from tasks', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 2 })));
  after(() => pool.terminate());

  it('progress(value) reaches onProgress of apply, map and stream, throttled, ending with the last value', async () => {
    const seen = [];
    const r = await pool.apply(task(fixtures, 'withProgress'), [100000], { onProgress: (v) => seen.push(v) });
    assert.equal(r, 100000);
    assert.ok(seen.length >= 1 && seen.length < 100, `${seen.length} progress messages for 100000 calls`);
    assert.equal(seen.at(-1), 1, 'the last value is delivered');
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

  it('without onProgress, progress() does nothing and costs the task nothing visible', async () => {
    assert.equal(
      await pool.apply(() => {
        for (let i = 0; i < 1000; i++) poolkit.progress(i);
        return 'ok';
      }),
      'ok',
    );
    await assert.rejects(
      pool.apply(() => 1, [], { onProgress: 5 }),
      (e) => e.argument === 'options.onProgress',
    );
  });
});

describe('Pool: start-up, sizing and backpressure for submitters', function () {
  it('workers start at construction; ready() resolves once the initializer ran in every worker', async () => {
    const created = [];
    const pool = new Pool({
      workers: 3,
      initializer: () => {
        globalThis.inited = true;
      },
    });
    pool.on('workerready', (d) => created.push(d.workerId));
    assert.equal(pool.stats().workers, 3, 'started eagerly');
    await pool.ready();
    assert.equal(created.length, 3);
    assert.deepEqual(await pool.map(() => globalThis.inited, [1, 2, 3], { chunksize: 1 }), [true, true, true]);
    await pool.terminate();
    const bad = new Pool({
      workers: 1,
      initializer: () => {
        throw new Error('no init');
      },
    });
    await assert.rejects(bad.ready(), { name: 'InitializerError' });
    await bad.terminate();
  });

  it('a script that only awaits ready() runs to its end (starting workers keep the process alive)', async () => {
    const { execFileSync } = await import('node:child_process');
    const index = new URL('../dist/index.js', import.meta.url).href;
    for (const isolation of ['thread', 'process']) {
      const src = `import { Pool } from '${index}'; const p = new Pool({ workers: 2, isolation: '${isolation}' }); await p.ready(); console.log('ready', p.stats().workers); await p.terminate();`;
      assert.equal(
        execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', timeout: 20000 }).trim(),
        'ready 2',
        isolation,
      );
    }
  });

  it('lazy: true starts nothing until ready() or the first task', async () => {
    const pool = new Pool({ workers: 2, lazy: true });
    assert.equal(pool.stats().workers, 0);
    await pool.ready();
    assert.equal(pool.stats().workers, 2);
    await pool.terminate();
  });

  it('minWorkers start eagerly, more start on demand up to maxWorkers, and idle extras exit after idleTimeout', async () => {
    const pool = new Pool({ minWorkers: 1, maxWorkers: 3, idleTimeout: 200 });
    const exits = [];
    let created = 0;
    pool.on('workerexit', (d) => exits.push(d.reason));
    pool.on('workercreate', () => created++);
    assert.equal(pool.stats().workers, 1);
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => pool.apply(() => new Promise((r) => setTimeout(r, 50)))));
    assert.equal(created, 2, 'two more workers started for the work');
    await until(() => pool.stats().workers === 1 && exits.length === 2);
    assert.deepEqual(exits, ['idle', 'idle']);
    assert.throws(
      () => new Pool({ minWorkers: 4, workers: 2 }),
      (e) => e.argument === 'options.minWorkers',
    );
    assert.throws(
      () => new Pool({ workers: 2, maxWorkers: 3 }),
      (e) => e.argument === 'options.maxWorkers',
    );
    await pool.terminate();
  });

  it('drained() and the drain event tell a producer when the queue is empty; queueSize counts what waits', async () => {
    const pool = new Pool({ workers: 1 });
    let drains = 0;
    pool.on('drain', () => drains++);
    const slow = () => new Promise((r) => setTimeout(r, 20));
    const calls = Array.from({ length: 5 }, () => pool.apply(slow));
    await sleep(5);
    assert.ok(pool.queueSize >= 3, `queueSize ${pool.queueSize}`);
    await pool.drained();
    assert.equal(pool.queueSize, 0);
    assert.ok(drains >= 1);
    await Promise.all(calls);
    await pool.drained();
    await pool.terminate();
  });
});

describe('Pool: observability', function () {
  it('events for worker create / exit / crash and task start / end, in order', async () => {
    const pool = new Pool({ workers: 1 });
    const log = [];
    for (const t of ['workercreate', 'workerexit', 'workercrash', 'taskstart', 'taskend'])
      pool.addEventListener(t, (e) => log.push([t, e.detail]));
    await pool.apply(() => 1);
    await assert.rejects(pool.apply(() => process.exit(4)));
    await pool.apply(() => 2);
    const types = log.map(([t]) => t);
    assert.deepEqual(
      types.filter((t) => t.startsWith('task')),
      ['taskstart', 'taskend', 'taskstart', 'taskstart', 'taskend'],
    );
    const crash = log.find(([t]) => t === 'workercrash')[1];
    assert.equal(crash.code, 4);
    assert.ok(types.includes('workerexit') && types.filter((t) => t === 'workercreate').length === 1, types.join());
    const end = log.find(([t]) => t === 'taskend')[1];
    assert.ok(end.ok && end.runMs >= 0 && end.waitMs >= 0 && end.workerId > 0);
    await pool.terminate();
  });

  it('stats() has utilization and run / wait histograms (p50 / p90 / p99) per pool and per worker', async () => {
    const pool = new Pool({ workers: 2 });
    await pool.map(
      (ms) => {
        const t = Date.now();
        while (Date.now() - t < ms);
      },
      [...new Array(18).fill(2), 30, 30],
      { chunksize: 1 },
    );
    const s = pool.stats();
    assert.equal(s.runTime.count, 20);
    assert.ok(s.runTime.p50 >= 1 && s.runTime.p50 < 10, `p50 ${s.runTime.p50}`);
    assert.ok(s.runTime.p99 >= 20, `p99 ${s.runTime.p99}`);
    assert.ok(s.runTime.p90 <= s.runTime.p99 && s.runTime.p50 <= s.runTime.p90);
    assert.ok(s.waitTime.count === 20 && s.waitTime.p50 >= 0);
    assert.ok(s.utilization > 0 && s.utilization <= 1);
    assert.equal(s.perWorker.length, 2);
    assert.equal(
      s.perWorker.reduce((a, w) => a + w.tasks, 0),
      20,
    );
    for (const w of s.perWorker) assert.ok(w.utilization > 0 && w.runTime.count === w.tasks);
    await pool.terminate();
  });
});

describe('Pool: recycling and work stealing', function () {
  it('recycle() replaces every worker, starting the replacement first; no task is lost', async () => {
    const pool = new Pool({ workers: 2 });
    await pool.ready();
    const ids = async () =>
      new Set(
        await pool.map(async () => (await import('node:worker_threads')).threadId, [1, 2, 3, 4, 5, 6], {
          chunksize: 1,
        }),
      );
    const before = await ids();
    const work = pool.map(
      (x) => x * 2,
      Array.from({ length: 2000 }, (_, i) => i),
      { chunksize: 1 },
    );
    pool.recycle();
    assert.equal(pool.stats().workers, 4, 'replacements start while the old workers still work');
    assert.deepEqual(
      await work,
      Array.from({ length: 2000 }, (_, i) => i * 2),
    );
    await until(() => pool.stats().workers === 2);
    const after = await ids();
    assert.equal([...after].filter((id) => before.has(id)).length, 0, 'all new workers');
    assert.equal(pool.stats().recycled, 2);
    await pool.terminate();
  });

  it('maxMemoryPerWorker replaces a worker whose heap stays above the limit after a task', async () => {
    const pool = new Pool({ workers: 1, maxMemoryPerWorker: 64 });
    const first = await pool.apply(async () => (await import('node:worker_threads')).threadId);
    await pool.apply(() => {
      globalThis.hog = Array.from({ length: 120 }, () => new Array(1e5).fill(1.5));
    });
    await until(() => pool.stats().recycled === 1);
    await until(() => pool.stats().workers === 1);
    const second = await pool.apply(async () => (await import('node:worker_threads')).threadId);
    assert.notEqual(second, first);
    assert.throws(
      () => new Pool({ maxMemoryPerWorker: -1 }),
      (e) => e.argument === 'options.maxMemoryPerWorker',
    );
    await pool.terminate();
  });

  it('a worker that runs dry takes back the tasks queued behind a long one', async () => {
    const pool = new Pool({ workers: 2 });
    const f = (ms) => {
      const t = performance.now();
      while (performance.now() - t < ms);
      return ms;
    };
    await pool.map(f, new Array(50).fill(0.05), { chunksize: 1 }); // measured as short: pipelined deeply
    const items = new Array(200).fill(0.05);
    items[100] = 300;
    const t0 = performance.now();
    const r = await pool.map(f, items, { chunksize: 1 });
    const ms = performance.now() - t0;
    assert.equal(r.length, 200);
    assert.ok(pool.stats().stolen > 0, 'tasks were taken back');
    assert.ok(ms < 300 + 200, `makespan ${ms.toFixed(0)} ms for one 300 ms task and 199 short ones`);
    await pool.terminate();
  });
});

describe('Pool: typed task modules', function () {
  it('pool.proxy(url) calls module exports as methods; defineTasks gives references for any call', async () => {
    const pool = new Pool({ workers: 1 });
    const tasks = pool.proxy(fixtures);
    assert.equal(await tasks.add(2, 3), 5);
    assert.equal(await tasks.greet('you'), 'hi you');
    assert.deepEqual(await tasks.countTo(3), [1, 2, 3]);
    await assert.rejects(tasks.missing(), /no exported function 'missing'/);
    const refs = defineTasks(fixtures);
    assert.deepEqual(await pool.map(refs.greet, ['a', 'b']), ['hi a', 'hi b']);
    assert.equal(typeof tasks.then, 'undefined', 'a proxy is not a thenable');
    assert.throws(() => defineTasks('./relative.js'), InvalidArgumentError);
    await pool.terminate();
  });
});

describe('Pool (process): streaming, progress and events on child processes', function () {
  it("streams under credit, runs the generator's finally on break, reports progress and crashes as events", async function () {
    this.timeout(30000);
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const marker = join(mkdtempSync(join(tmpdir(), 'poolkit-')), 'finally');
    const pool = new Pool({ workers: 1, isolation: 'process' });
    await pool.ready();
    const crashes = [];
    pool.on('workercrash', (d) => crashes.push(d.code));
    let n = 0;
    const seen = [];
    for await (const v of pool.stream(
      function* (file) {
        try {
          for (let i = 0; ; i++) {
            poolkit.progress(i);
            yield i;
          }
        } finally {
          process.getBuiltinModule('node:fs').writeFileSync(file, 'ran');
        }
      },
      [marker],
      { highWaterMark: 4, onProgress: (p) => seen.push(p) },
    )) {
      assert.equal(v, n);
      if (++n === 50) break;
    }
    assert.ok(existsSync(marker) && readFileSync(marker, 'utf8') === 'ran', 'finally ran in the child');
    assert.ok(seen.length >= 1);
    await assert.rejects(
      pool.apply(() => process.abort()),
      (e) => e.name === 'WorkerCrashedError' && e.exitCode === 134,
    );
    assert.deepEqual(crashes, [134]);
    assert.equal(await pool.apply(() => 'alive'), 'alive');
    assert.throws(
      () => new Pool({ isolation: 'fiber' }),
      (e) => e.argument === 'options.isolation',
    );
    await pool.terminate();
  });
});
