// mapReduce: record and byte inputs, custom map / combine / reduce, task(url) functions, crash re-execution,
// abort, bad arguments, and bounded memory on a long stream.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, task, InvalidArgumentError, WorkerCrashedError, BufferLimitError } from '../dist/index.js';
import { mapReduce } from '../dist/mapreduce/index.js';

const tasks = new URL('./fixtures/text-tasks.mjs', import.meta.url);
const words = (line) =>
  line
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => [w.toLowerCase(), 1]);
const add = (_k, vs) => vs.reduce((a, b) => a + b, 0);

describe('mapReduce', function () {
  this.timeout(60000);
  let pool;
  let dir;
  before(() => {
    pool = new Pool({ workers: 2 });
    dir = mkdtempSync(join(tmpdir(), 'poolkit-mr-'));
  });
  after(async () => {
    await pool.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts words from text lines with map, combine and reduce; counters add up', async () => {
    const text = 'the cat\nthe dog\n\nA cat sat\r\nlast line without newline';
    for (const splitBytes of [1, 8, 1 << 20]) {
      const r = await mapReduce(text, { map: words, combine: add, reduce: add, pool, splitBytes });
      assert.deepEqual(Object.fromEntries(r), {
        the: 2,
        cat: 2,
        dog: 1,
        a: 1,
        sat: 1,
        last: 1,
        line: 1,
        without: 1,
        newline: 1,
      });
      assert.equal(r.counters.records, 5);
      assert.equal(r.counters.pairs, 11);
      assert.equal(r.counters.keys, 9);
      assert.equal(r.counters.bytes, Buffer.byteLength(text));
      assert.equal(r.counters.reExecutedSplits, 0);
      assert.ok(r.counters.splits >= 1);
    }
  });

  it('takes record iterables (sync and async) and gives the same result at any partition and chunk size', async () => {
    const n = 20000;
    const expected = new Map();
    for (let i = 0; i < n; i++) expected.set(i % 13, (expected.get(i % 13) ?? 0) + i);
    async function* gen() {
      for (let i = 0; i < n; i++) yield i;
    }
    for (const [input, partitions, chunksize] of [
      [Array.from({ length: n }, (_, i) => i), 1, 1000],
      [gen(), 3, 77],
      [new Set(Array.from({ length: n }, (_, i) => i)), 5, 5000],
    ]) {
      const r = await mapReduce(input, { map: (x) => [[x % 13, x]], reduce: add, pool, partitions, chunksize });
      assert.deepEqual(new Map([...r].sort((a, b) => a[0] - b[0])), expected);
      assert.equal(r.counters.partitions, partitions);
      assert.equal(r.counters.splits, Math.ceil(n / chunksize));
    }
  });

  it('keeps values in input order for reduce, and returns them when there is no reduce', async () => {
    const r = await mapReduce(
      Array.from({ length: 500 }, (_, i) => i),
      { map: (x) => [[x % 2 ? 'odd' : 'even', x]], pool, chunksize: 7 },
    );
    assert.deepEqual(
      r.get('even'),
      Array.from({ length: 250 }, (_, i) => 2 * i),
    );
    assert.deepEqual(
      r.get('odd'),
      Array.from({ length: 250 }, (_, i) => 2 * i + 1),
    );
  });

  it('runs task(url, name) functions and generator / async map functions', async () => {
    const text = 'Alpha beta\nbeta GAMMA gamma gamma\n';
    const r = await mapReduce(new Blob([text]), {
      map: task(tasks, 'tokens'),
      combine: task(tasks, 'sum'),
      reduce: task(tasks, 'sum'),
      pool,
    });
    assert.deepEqual(Object.fromEntries(r), { alpha: 1, beta: 2, gamma: 3 });
    const r2 = await mapReduce(['a b', 'b'], {
      map: async (line) => line.split(' ').map((w) => [w, 1]),
      reduce: async (_k, vs) => vs.length,
      pool,
    });
    assert.deepEqual(Object.fromEntries(r2), { a: 1, b: 2 });
    const r3 = await mapReduce(['a b', 'b'], {
      map: async function* (line) {
        for (const w of line.split(' ')) yield [w, 1];
      },
      reduce: add,
      pool,
    });
    assert.deepEqual(Object.fromEntries(r3), { a: 1, b: 2 });
  });

  it('reads files and ReadableStreams as lines', async () => {
    const file = join(dir, 'lines.txt');
    writeFileSync(file, 'x y\ny z\n'.repeat(1000));
    const r = await mapReduce({ path: file }, { map: words, combine: add, reduce: add, pool, splitBytes: 100 });
    assert.deepEqual(Object.fromEntries(r), { x: 1000, y: 2000, z: 1000 });
    const r2 = await mapReduce(new Blob(['x y\ny z\n'.repeat(10)]).stream(), { map: words, reduce: add, pool });
    assert.deepEqual(Object.fromEntries(r2), { x: 10, y: 20, z: 10 });
  });

  it('re-runs a split once when its worker dies, and fails when it dies again', async () => {
    const marker = join(dir, 'crashed-once');
    const records = Array.from({ length: 100 }, (_, i) => (i === 42 ? { crash: marker } : `r${i % 5}`));
    const crashOnce = (rec) => {
      if (typeof rec === 'object') {
        const fs = process.getBuiltinModule('node:fs');
        if (!fs.existsSync(rec.crash)) {
          fs.writeFileSync(rec.crash, 'x');
          process.exit(7);
        }
        return [['crash', 1]];
      }
      return [[rec, 1]];
    };
    const r = await mapReduce(records, { map: crashOnce, reduce: add, pool, chunksize: 10 });
    assert.ok(existsSync(marker));
    assert.equal(r.counters.reExecutedSplits, 1);
    assert.equal(r.get('crash'), 1);
    assert.equal(r.get('r0'), 20);
    const always = (rec) => (rec === 'die' ? process.exit(9) : [[rec, 1]]);
    await assert.rejects(
      mapReduce(['a', 'die', 'b'], { map: always, pool, chunksize: 1 }),
      (e) => e instanceof WorkerCrashedError,
    );
    // A reduce batch whose worker dies is re-run too.
    const reduceMarker = join(dir, 'reduce-crashed-once');
    const crashyReduce = (key, values) => {
      const fs = process.getBuiltinModule('node:fs');
      if (key === values[0].marker && !fs.existsSync(key)) {
        fs.writeFileSync(key, 'x');
        process.exit(5);
      }
      return values.length;
    };
    // Only the marked key crashes; 'other' carries a marker that is not its key, so its reduce never does.
    const r2 = await mapReduce(
      [{ marker: reduceMarker }, { marker: reduceMarker }, { marker: 'never-crashes', key: 'other' }],
      { map: (rec) => [[rec.key ?? rec.marker, rec]], reduce: crashyReduce, pool, chunksize: 1 },
    );
    assert.equal(r2.get(reduceMarker), 2);
    assert.equal(r2.get('other'), 1);
    // The pool is still usable.
    assert.equal((await mapReduce(['q'], { map: words, reduce: add, pool })).get('q'), 1);
  });

  it('propagates errors from map and reduce', async () => {
    await assert.rejects(
      mapReduce(['a'], {
        map: () => {
          throw new RangeError('bad record');
        },
        pool,
      }),
      /bad record/,
    );
    await assert.rejects(
      mapReduce(['a'], {
        map: words,
        reduce: () => {
          throw new Error('bad reduce');
        },
        pool,
      }),
      /bad reduce/,
    );
    await assert.rejects(mapReduce(['a'], { map: () => 42, pool }), /iterable/);
    await assert.rejects(
      mapReduce(['a'], { map: () => [[{ k: 1 }, 1]], pool }),
      (e) =>
        e instanceof InvalidArgumentError &&
        e.argument === 'options.map' &&
        /expected keys that are strings/.test(e.message),
    );
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    const slow = (x) => {
      const t = Date.now();
      while (Date.now() - t < 20);
      return [[x % 3, 1]];
    };
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    await assert.rejects(
      mapReduce(
        Array.from({ length: 1000 }, (_, i) => i),
        { map: slow, pool, chunksize: 5, signal: ac.signal },
      ),
      (e) => e.name === 'AbortError',
    );
    assert.ok(Date.now() - t0 < 5000);
  });

  it('rejects bad arguments with InvalidArgumentError naming them', async () => {
    const cases = [
      [() => mapReduce(['a'], { pool }), 'options.map'],
      [() => mapReduce(['a'], { map: 42, pool }), 'options.map'],
      [() => mapReduce(['a'], { map: words, reduce: 'x', pool }), 'options.reduce'],
      [() => mapReduce(['a'], { map: words, partitions: 0, pool }), 'options.partitions'],
      [() => mapReduce(['a'], { map: words, chunksize: -1, pool }), 'options.chunksize'],
      [() => mapReduce('a', { map: words, delimiter: '\r\n', pool }), 'options.delimiter'],
      [() => mapReduce(42, { map: words, pool }), 'input'],
      [() => mapReduce({ path: join(dir, 'missing') }, { map: words, pool }), 'input'],
      [() => mapReduce({ path: dir }, { map: words, pool }), 'input'],
      [() => mapReduce(['a'], { map: words, maxBufferedValues: 0, pool }), 'options.maxBufferedValues'],
    ];
    for (const [call, argument] of cases) {
      await assert.rejects(call, (e) => e instanceof InvalidArgumentError && e.argument === argument, argument);
    }
  });

  it('stops with BufferLimitError, not an out-of-memory crash, when values without combine pass maxBufferedValues', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `w${i % 7} x y z`);
    await assert.rejects(
      mapReduce(lines, { map: words, reduce: add, pool, chunksize: 20, maxBufferedValues: 500 }),
      (e) =>
        e instanceof BufferLimitError &&
        e.option === 'maxBufferedValues' &&
        e.limit === 500 &&
        /pass combine/.test(e.message),
    );
    // With combine the same job holds one value per key, far under the limit.
    const r = await mapReduce(lines, {
      map: words,
      combine: add,
      reduce: add,
      pool,
      chunksize: 20,
      maxBufferedValues: 500,
    });
    assert.equal(r.get('x'), 300);
    // Distinct keys alone past the limit stop it too.
    const many = Array.from({ length: 100 }, (_, i) => `k${i}`);
    await assert.rejects(
      mapReduce(many, { map: words, combine: add, pool, chunksize: 10, maxBufferedValues: 50 }),
      (e) => e instanceof BufferLimitError && /distinct keys/.test(e.message),
    );
  });

  it('streams a long input with bounded memory (combine keeps one value per key)', async () => {
    const line = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n';
    const map = (l) => [[l.length % 7, 1]];
    const stream = (mb) => {
      const block = new TextEncoder().encode(line.repeat(2000));
      const blocks = Math.ceil((mb << 20) / block.length);
      let sent = 0;
      const s = new ReadableStream({
        pull(c) {
          if (sent++ >= blocks) return c.close();
          c.enqueue(block.slice());
        },
      });
      return { s, lines: blocks * 2000, bytes: blocks * block.length };
    };
    // Warm up: worker heaps reach their working size on a small stream first.
    await mapReduce(stream(16).s, { map, combine: add, reduce: add, pool });
    const big = stream(192);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const r = await mapReduce(big.s, {
      map,
      combine: add,
      reduce: add,
      pool,
      onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    });
    assert.equal(r.get((line.length - 1) % 7), big.lines);
    assert.equal(r.counters.records, big.lines);
    assert.equal(r.counters.bytes, big.bytes);
    const growth = (peak - rss0) / 2 ** 20;
    assert.ok(growth < 96, `RSS grew ${growth.toFixed(0)} MiB over a ${(big.bytes / 2 ** 20).toFixed(0)} MiB stream`);
  });
});
