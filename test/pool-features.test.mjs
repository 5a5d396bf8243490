// Pool features beyond Python's surface, the Node-only cases: memory while streaming, module tasks reporting progress,
// a script that only awaits ready(), min/max workers, maxMemoryPerWorker, typed module proxies, child processes. The
// cases every platform shares (streams, progress, start-up, drained, events and histograms, recycling, stealing and
// chunk splitting, proxies) are in the shared suite, test/suites/pool.mjs, run on threads, processes and in Chromium.
import assert from 'node:assert/strict';
import { Pool, task, defineTasks, InvalidArgumentError } from '../dist/index.js';

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

  // Self-contained sync and async generators are in the shared suite; here the generator is a module export.
  it('streams the values of a module generator task, in order', async () => {
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
});

describe('Pool: progress from tasks', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 2 })));
  after(() => pool.terminate());

  // Self-contained tasks reporting from map and stream are in the shared suite; here a module task imports progress.
  it('progress(value) from a module task reaches onProgress of apply, throttled, ending with the last value', async () => {
    const seen = [];
    const r = await pool.apply(task(fixtures, 'withProgress'), [100000], { onProgress: (v) => seen.push(v) });
    assert.equal(r, 100000);
    assert.ok(seen.length >= 1 && seen.length < 100, `${seen.length} progress messages for 100000 calls`);
    assert.equal(seen.at(-1), 1, 'the last value is delivered');
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
});

describe('Pool: recycling by memory', function () {
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

describe('Pool (process): resource limits', function () {
  it('resourceLimits.maxOldGenerationSizeMb becomes --max-old-space-size for a child process, its own heap limit', async () => {
    const pool = new Pool({ workers: 1, isolation: 'process', resourceLimits: { maxOldGenerationSizeMb: 96 } });
    const [argv, limit, pid] = await pool.apply(() => [
      process.execArgv,
      process.getBuiltinModule('node:v8').getHeapStatistics().heap_size_limit,
      process.pid,
    ]);
    assert.ok(argv.includes('--max-old-space-size=96'), argv.join(' '));
    assert.notEqual(pid, process.pid, 'a separate process');
    assert.ok(limit < 200 * 2 ** 20, `heap limit ${(limit / 2 ** 20).toFixed(0)} MiB`);
    await pool.terminate();
  });
});

describe('Pool: automatic chunks where running chunks cannot be split', function () {
  it('guided chunk ranges cover the list in order, shrinking to a floor of length / (64 × workers)', async () => {
    const { chunkRanges } = await import('../dist/pool/chunks.js');
    for (const [n, w] of [
      [100000, 2],
      [4000, 2],
      [7, 4],
      [1, 1],
    ]) {
      const r = [...chunkRanges(n, undefined, w)];
      assert.equal(r[0][0], 0);
      assert.equal(r.at(-1)[1], n);
      for (let i = 1; i < r.length; i++) assert.equal(r[i][0], r[i - 1][1], 'contiguous');
      const sizes = r.map(([a, b]) => b - a);
      for (let i = 1; i < sizes.length - 1; i++) assert.ok(sizes[i] <= sizes[i - 1], `non-increasing: ${sizes}`);
      const least = Math.max(1, Math.ceil(n / (64 * w)));
      assert.ok(
        sizes.slice(0, -1).every((s) => s >= least),
        `floor ${least}: ${sizes}`,
      );
      assert.ok(sizes[0] <= Math.ceil(n / (2 * w)));
    }
    assert.deepEqual(
      [...chunkRanges(10, 4, 2)],
      [
        [0, 4],
        [4, 8],
        [8, 10],
      ],
    );
  });
});
