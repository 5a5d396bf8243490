// Queues and pipes: many producers and consumers across workers and the host, items of any size, typed timeouts.
import assert from 'node:assert/strict';
import {
  Pool,
  Queue,
  SimpleQueue,
  JoinableQueue,
  Pipe,
  SharedArray,
  Lock,
  Value,
  Barrier,
  Condition,
  Manager,
  QueueFullError,
  QueueEmptyError,
  ClosedError,
  EOFError,
  SyncTimeoutError,
  NotSerializableError,
  InvalidArgumentError,
} from '../dist/index.js';
import { within } from './fixtures/on-time.mjs';

describe('sync: Queue', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 4 })));
  after(() => pool.terminate());

  it('2 producers and 2 consumers in workers lose and duplicate nothing (counted in a SharedArray), with 1 MB items', async () => {
    const N = 2000;
    const q = new Queue({ maxsize: 64, capacity: 64 * 1024 });
    const seen = SharedArray('i32', 2 * N);
    const produce = (q, p, n) => {
      for (let i = 0; i < n; i++) {
        const id = p * n + i;
        // every 500th item is 1 MB (16 times the ring), filled with a pattern checked by the consumer
        q.put(i % 500 === 7 ? { id, big: new Uint8Array(1 << 20).fill(id & 255) } : { id, text: `item ${id}` });
      }
    };
    const consume = (q, seen) => {
      let n = 0;
      for (;;) {
        const m = q.get({ timeout: 10_000 });
        if (m === null) return n;
        if (m.big && (m.big.length !== 1 << 20 || m.big[12345] !== (m.id & 255)))
          throw new Error(`item ${m.id} corrupted`);
        if (!m.big && m.text !== `item ${m.id}`) throw new Error(`item ${m.id} corrupted`);
        Atomics.add(seen, m.id, 1);
        n++;
      }
    };
    const consumers = [0, 1].map(() => pool.apply(consume, [q, seen]));
    await Promise.all([0, 1].map((p) => pool.apply(produce, [q, p, N])));
    await q.putAsync(null);
    await q.putAsync(null);
    const counts = await Promise.all(consumers);
    assert.equal(counts[0] + counts[1], 2 * N);
    assert.ok(
      [...seen].every((c) => c === 1),
      'every item arrived exactly once',
    );
    assert.equal(q.qsize(), 0);
    assert.ok(q.empty());
  });

  it('carries structured-clone data between host and worker, both ways, blocking and async', async () => {
    const toWorker = new SimpleQueue();
    const back = new Queue();
    const value = {
      n: 1.5,
      big: 2n ** 70n,
      s: 'héllo ✓',
      d: new Date(5),
      m: new Map([[1, 'a']]),
      set: new Set(['x']),
      f: new Float32Array([1, 2]),
      nested: [[null, undefined, true]],
    };
    value.self = value;
    toWorker.put(value);
    const echoed = pool.apply(
      (a, b) => {
        const v = a.get({ timeout: 5000 });
        b.put(v);
        return v.self === v;
      },
      [toWorker, back],
    );
    const got = await back.getAsync({ timeout: 5000 });
    assert.equal(await echoed, true, 'the cycle survives');
    assert.equal(got.self, got);
    delete got.self;
    delete value.self;
    assert.deepEqual(got, value);
    assert.throws(() => back.put({ queue: new Queue() }), NotSerializableError);
    assert.throws(() => back.put(new Int32Array(new SharedArrayBuffer(4))), NotSerializableError);
    assert.throws(() => back.put(() => 1), NotSerializableError);
    assert.throws(() => back.put({ a: [1, { b: () => 1 }] }), /^NotSerializableError: item\.a\[1\]\.b: expected data/);
    assert.throws(() => back.put(new Map([[1, new Lock()]])), /item\.get\(…\): .*not inside a Map or Set/);
  });

  it('a Queue of Locks: primitives inside items arrive working, both ways, through a Queue, a Pipe and a Manager', async () => {
    const q = new Queue();
    const back = new Queue();
    const [a, b] = Pipe();
    const manager = new Manager();
    const d = manager.dict();
    try {
      // Made after the Queue went to the worker: they still travel in its items.
      const echo = pool.apply(
        (q, back, b, d) => {
          const { lock, value, barrier, cond } = q.get({ timeout: 5000 });
          const seen = [lock.locked(), value.value, barrier.parties, cond.lock.locked()];
          lock.release(); // the host's lock, released here
          value.getLock().acquire();
          value.value += 1;
          value.getLock().release();
          const mine = new lock.constructor(); // made in the worker, held, sent back
          mine.acquire();
          back.put([mine, seen]);
          b.send({ nested: [[lock]] });
          d.set('lock', mine);
          return barrier.wait(5000);
        },
        [q, back, b, d],
      );
      const lock = new Lock();
      lock.acquire();
      const value = new Value('i', 41);
      const barrier = new Barrier(2);
      const cond = new Condition(new Lock());
      q.put({ lock, value, barrier, cond });
      const [mine, seen] = await back.getAsync({ timeout: 5000 });
      assert.deepEqual(seen, [true, 41, 2, false]);
      assert.ok(mine instanceof Lock && mine.locked(), "the worker's lock, held by it");
      assert.equal(lock.locked(), false, 'the worker released the lock the host sent');
      assert.equal(value.value, 42);
      const piped = await a.recvAsync(5000);
      assert.ok(piped.nested[0][0] instanceof Lock);
      assert.equal(piped.nested[0][0].acquire(0), true, 'the same lock, over the same word');
      assert.equal(lock.locked(), true);
      assert.deepEqual([await barrier.waitAsync(5000), await echo].sort(), [0, 1]);
      const stored = d.get('lock');
      assert.ok(stored instanceof Lock && stored.locked());
      mine.release();
      assert.equal(stored.locked(), false, 'the Manager kept the lock itself, not a copy');
      assert.throws(() => q.put([SharedArray('i32', 1)]), NotSerializableError);
      assert.throws(() => q.put({ pipe: a }), /cannot travel in a queue item/);
    } finally {
      await manager.shutdown();
    }
  });

  it('timeouts raise QueueEmptyError / QueueFullError within 10% of the time asked', async () => {
    const q = new Queue({ maxsize: 1 });
    let t = performance.now();
    assert.throws(
      () => q.get({ timeout: 100 }),
      (e) => e instanceof QueueEmptyError && e.code === 'ERR_QUEUE_EMPTY',
    );
    await within(performance.now() - t, 100, 'get');
    q.put(1);
    assert.ok(q.full());
    t = performance.now();
    assert.throws(
      () => q.put(2, { timeout: 100 }),
      (e) => e instanceof QueueFullError && e.name === 'QueueFullError',
    );
    await within(performance.now() - t, 100, 'put');
    t = performance.now();
    await assert.rejects(q.putAsync(2, { timeout: 100 }), QueueFullError);
    await within(performance.now() - t, 100, 'putAsync');
    assert.throws(() => q.putNowait(2), QueueFullError);
    assert.equal(q.getNowait(), 1);
    t = performance.now();
    await assert.rejects(q.getAsync({ timeout: 100 }), QueueEmptyError);
    await within(performance.now() - t, 100, 'getAsync');
    assert.throws(
      () => new Queue({ maxsize: -1 }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.maxsize',
    );
    assert.throws(
      () => q.get({ timeout: -5 }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.timeout',
    );
  });

  it('a put waits for room, released by a consumer in a worker; close lets getters drain, then ClosedError', async () => {
    const q = new Queue({ maxsize: 2 });
    const consumer = pool.apply(
      (q) => {
        const out = [];
        for (;;) {
          try {
            out.push(q.get({ timeout: 5000 }));
          } catch (e) {
            return [out, e.code];
          }
        }
      },
      [q],
    );
    for (let i = 0; i < 10; i++) q.put(i, { timeout: 5000 });
    q.close();
    assert.throws(() => q.put(99), ClosedError);
    assert.deepEqual(await consumer, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'ERR_CLOSED']);
  });

  it('JoinableQueue.join waits for every taskDone', async () => {
    const q = new JoinableQueue();
    const done = SharedArray('i32', 1);
    for (let i = 0; i < 20; i++) q.put(i);
    const workers = [0, 1].map(() =>
      pool.apply(
        (q, done) => {
          for (;;) {
            try {
              q.get({ timeout: 200 });
            } catch {
              return;
            }
            const until = performance.now() + 2;
            while (performance.now() < until);
            Atomics.add(done, 0, 1);
            q.taskDone();
          }
        },
        [q, done],
      ),
    );
    q.join(10_000);
    assert.equal(done[0], 20, 'join returned only after all 20 were marked done');
    assert.equal(q.unfinished(), 0);
    await Promise.all(workers);
    assert.throws(() => q.taskDone(), /more times/);
    q.put('x');
    const t = performance.now();
    assert.throws(() => q.join(80), SyncTimeoutError);
    await within(performance.now() - t, 80, 'join');
  });
});

describe('sync: Pipe', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 2 })));
  after(() => pool.terminate());

  it('a worker echoes messages back through a duplex pipe; closing gives EOFError after the rest is read', async () => {
    const [a, b] = Pipe();
    const echo = pool.apply(
      (conn) => {
        let n = 0;
        for (;;) {
          let m;
          try {
            m = conn.recv();
          } catch (e) {
            return [n, e.name];
          }
          conn.send({ echo: m });
          n++;
        }
      },
      [b],
    );
    for (let i = 0; i < 100; i++) {
      a.send(i);
      assert.deepEqual(a.recv(5000), { echo: i });
    }
    a.send('big');
    assert.equal(a.poll(5000), true);
    assert.deepEqual(await a.recvAsync(5000), { echo: 'big' });
    a.close();
    assert.deepEqual(await echo, [101, 'EOFError']);
    assert.throws(() => a.send(1), ClosedError);
  });

  it('a one-way pipe is [reader, writer]; recv times out with SyncTimeoutError; EOFError on a closed empty pipe', async () => {
    const [r, w] = Pipe(false);
    assert.ok(r.readable && !r.writable && w.writable && !w.readable);
    assert.throws(() => r.send(1), ClosedError);
    assert.equal(r.poll(), false);
    const t = performance.now();
    assert.throws(() => r.recv(100), SyncTimeoutError);
    await within(performance.now() - t, 100, 'recv');
    for (const [what, call] of [
      [
        'recvAsync',
        () =>
          r.recvAsync(100).then(
            () => 'received',
            (e) => e instanceof SyncTimeoutError,
          ),
      ],
      ['poll', () => r.poll(100) === false],
      ['pollAsync', () => r.pollAsync(100).then((got) => got === false)],
    ]) {
      const t = performance.now();
      assert.equal(await call(), true, what);
      await within(performance.now() - t, 100, what);
    }
    await pool.apply(
      (w) => {
        w.send('from worker');
        w.close();
      },
      [w],
    );
    assert.equal(r.recv(), 'from worker');
    assert.throws(() => r.recv(), EOFError);
  });

  it('a blocking host recv or get right after the first apply on a fresh pool does not deadlock', async () => {
    // The worker is still starting: at once (its task still queued on the host) and 20 ms in (spawned, not ready).
    for (const delay of [0, 20]) {
      const fresh = new Pool({ workers: 1 });
      try {
        const [a, b] = Pipe();
        const q = new Queue();
        const p = fresh.apply(
          (b, q) => {
            b.send('hi');
            q.put('there');
          },
          [b, q],
        );
        if (delay) await new Promise((r) => setTimeout(r, delay));
        assert.equal(a.recv(5000), 'hi', `recv ${delay} ms after the first apply`);
        assert.equal(q.get({ timeout: 5000 }), 'there');
        await p;
      } finally {
        await fresh.terminate();
      }
    }
  });
});
