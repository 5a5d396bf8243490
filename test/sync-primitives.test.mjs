// The synchronisation primitives under real contention: host and workers on the same shared memory.
import assert from 'node:assert/strict';
import {
  Pool,
  Lock,
  RLock,
  Semaphore,
  BoundedSemaphore,
  Event,
  Condition,
  Barrier,
  Value,
  RawValue,
  SharedArray,
  RawArray,
  InvalidArgumentError,
  LockNotOwnedError,
  BrokenBarrierError,
  SemaphoreOverflowError,
  SharedMemoryUnavailableError,
  SyncTimeoutError,
} from '../dist/index.js';
import { within } from './fixtures/on-time.mjs';

describe('sync: Value and SharedArray', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 4 })));
  after(() => pool.terminate());

  it("4 workers x 100,000 increments under the Value's lock give exactly 400,000; without it fewer (1,000,000 each)", async () => {
    const run = async (locked, n) => {
      const v = new Value('i', 0);
      const start = new Barrier(4);
      const inc = (v, start, n, locked) => {
        start.wait();
        const lock = v.getLock();
        for (let i = 0; i < n; i++) {
          if (locked) lock.acquire();
          v.value += 1;
          if (locked) lock.release();
        }
      };
      await Promise.all([0, 1, 2, 3].map(() => pool.apply(inc, [v, start, n, locked])));
      return v.value;
    };
    assert.equal(await run(true, 100_000), 400_000);
    // Unguarded, the same loop loses updates; run longer so that the workers surely overlap on a loaded machine.
    assert.ok((await run(false, 1_000_000)) < 4_000_000, 'unguarded increments lose updates (the test can fail)');
  });

  it('Value types: Python codes, BigInt 64-bit, floats, RawValue without a lock, options checked', async () => {
    const d = new Value('d', 1.5);
    const q = new Value('q', 5n);
    const raw = new RawValue('u8', 255);
    assert.equal(d.typecode, 'f64');
    assert.equal(q.value, 5n);
    const out = await pool.apply(
      (d, q, raw) => {
        d.value *= 2;
        q.value += 1n;
        raw.value += 1; // u8 wraps
        return [d.constructor.name, raw.constructor.name];
      },
      [d, q, raw],
    );
    assert.deepEqual(out, ['Value', 'RawValue']);
    assert.equal(d.value, 3);
    assert.equal(q.value, 6n);
    assert.equal(raw.value, 0);
    assert.equal(new Value('i', 0, { lock: false }).lock, null);
    const lock = new Lock();
    assert.equal(new Value('i', 0, { lock }).getLock(), lock);
    assert.throws(
      () => new Value('x', 0),
      (e) => e instanceof InvalidArgumentError && e.argument === 'type' && /got "x"/.test(e.message),
    );
    assert.throws(
      () => new Value('i', 1n),
      (e) => e instanceof InvalidArgumentError && e.argument === 'initial',
    );
    assert.throws(
      () => new Value('i', 0, { lock: 3 }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.lock',
    );
  });

  it('SharedArray is a typed array over shared memory, doubled in place by several workers', async () => {
    const arr = SharedArray('d', [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(arr instanceof Float64Array && arr.buffer instanceof SharedArrayBuffer);
    await pool.map(
      ([a, i]) => (a[i] *= 2),
      [...arr.keys()].map((i) => [arr, i]),
      { chunksize: 1 },
    );
    assert.deepEqual([...arr], [2, 4, 6, 8, 10, 12, 14, 16]);
    assert.equal(RawArray('i', 3).length, 3);
    assert.ok(SharedArray('u64', [1n]) instanceof BigUint64Array);
    assert.throws(
      () => SharedArray('i', -1),
      (e) => e instanceof InvalidArgumentError && e.argument === 'lengthOrItems',
    );
    assert.throws(
      () => SharedArray('i', [1, 'a']),
      (e) => e instanceof InvalidArgumentError && e.argument === 'lengthOrItems[1]',
    );
  });
});

describe('sync: locks, semaphores, events, conditions', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 3 })));
  after(() => pool.terminate());

  it('RLock is re-entrant and owner-checked across threads', async () => {
    const r = new RLock();
    assert.ok(r.acquire() && r.acquire());
    const fromWorker = await pool.apply(
      (r) => {
        const got = r.acquire(0);
        try {
          r.release();
          return [got, 'released'];
        } catch (e) {
          return [got, e.code];
        }
      },
      [r],
    );
    assert.deepEqual(
      fromWorker,
      [false, 'ERR_LOCK_NOT_OWNED'],
      "a worker can neither take nor release the host's RLock",
    );
    r.release();
    assert.ok(r.locked(), 'one release of two keeps it held');
    r.release();
    assert.ok(!r.locked());
    assert.throws(() => r.release(), LockNotOwnedError);
    const inWorker = await pool.apply(
      (r) => {
        r.acquire();
        r.acquire();
        return r.isOwned();
      },
      [r],
    );
    assert.equal(inWorker, true);
    assert.ok(r.locked() && !r.isOwned() && !r.acquire(0), 'held by the worker now');
  });

  it('held() gives an acquisition that Symbol.dispose (what `using` calls) releases, once; in workers too', async () => {
    // Node 20's JavaScript has no `using` statement: these are the calls it makes (test/types compiles real ones).
    const lock = new Lock();
    const h = lock.held();
    assert.ok(lock.locked());
    h[Symbol.dispose]();
    assert.ok(!lock.locked(), 'disposal released it');
    h[Symbol.dispose]();
    assert.ok(!lock.locked() && lock.acquire(0), 'a second disposal released nothing: the lock is free to take');
    const blocked = await pool.apply(
      (lock) => {
        try {
          lock.held(30);
          return 'taken';
        } catch (e) {
          return e.name;
        }
      },
      [lock],
    );
    assert.equal(blocked, 'SyncTimeoutError', 'held(timeout) on a taken lock throws');
    assert.throws(() => lock.held(0), SyncTimeoutError);
    lock.release();
    const early = lock.held();
    early.release();
    const other = lock.held(0);
    early[Symbol.dispose]();
    assert.ok(lock.locked(), "disposing an acquisition released early does not release someone else's");
    other[Symbol.dispose]();
    const inWorker = await pool.apply(
      (lock) => {
        const h = lock.held();
        const was = lock.locked();
        h[Symbol.dispose]();
        return [was, lock.locked()];
      },
      [lock],
    );
    assert.deepEqual(inWorker, [true, false]);

    const r = new RLock();
    const outer = r.held();
    const inner = r.held();
    inner[Symbol.dispose]();
    assert.ok(r.isOwned(), 'the inner scope released one level');
    outer[Symbol.dispose]();
    assert.ok(!r.locked());

    const sem = new Semaphore(2);
    const a = await sem.heldAsync();
    const b = sem.held();
    assert.equal(sem.getValue(), 0);
    a[Symbol.dispose]();
    b[Symbol.dispose]();
    b[Symbol.dispose]();
    assert.equal(sem.getValue(), 2, 'each permit given back once');

    const cond = new Condition(new Lock());
    const c = await cond.heldAsync();
    assert.ok(cond.lock.locked());
    c[Symbol.dispose]();
    assert.ok(!cond.lock.locked());
  });

  it('Semaphore(2) lets at most 2 of 3 workers in at once; BoundedSemaphore refuses extra releases', async () => {
    const sem = new Semaphore(2);
    const inside = SharedArray('i32', 2); // [now, max]
    const start = new Barrier(3);
    await Promise.all(
      [0, 1, 2].map(() =>
        pool.apply(
          (sem, inside, start) => {
            start.wait(5000);
            for (let k = 0; k < 100; k++) {
              sem.acquire();
              const now = Atomics.add(inside, 0, 1) + 1;
              for (
                let m = Atomics.load(inside, 1);
                now > m && Atomics.compareExchange(inside, 1, m, now) !== m;
                m = Atomics.load(inside, 1)
              );
              const until = performance.now() + 0.5;
              while (performance.now() < until);
              Atomics.sub(inside, 0, 1);
              sem.release();
            }
          },
          [sem, inside, start],
        ),
      ),
    );
    assert.equal(inside[1], 2, 'two at once, never three');
    assert.equal(sem.getValue(), 2);
    const b = new BoundedSemaphore(1);
    assert.ok(b.acquire(0) && !b.acquire(0));
    b.release();
    assert.throws(() => b.release(), SemaphoreOverflowError);
    assert.throws(
      () => new Semaphore(-1),
      (e) => e instanceof InvalidArgumentError && e.argument === 'value',
    );
  });

  it('Event: a worker waits until the host sets it; timeouts return false on time', async () => {
    const ev = new Event();
    const waited = pool.apply(
      (ev) => {
        const t = performance.now();
        const ok = ev.wait(5000);
        return [ok, performance.now() - t];
      },
      [ev],
    );
    await new Promise((r) => setTimeout(r, 50));
    ev.set();
    const [ok, ms] = await waited;
    assert.equal(ok, true);
    assert.ok(ms >= 30, `the worker waited (${ms} ms)`);
    ev.clear();
    let t = performance.now();
    assert.equal(ev.wait(100), false);
    await within(performance.now() - t, 100, 'Event.wait');
    t = performance.now();
    assert.equal(await ev.waitAsync(100), false);
    await within(performance.now() - t, 100, 'Event.waitAsync');
  });

  it('Condition: consumers in workers wait for items a host producer adds, with waitFor and notifyAll', async () => {
    const cond = new Condition();
    const box = SharedArray('i32', 2); // [items available, consumed]
    const consumers = [0, 1].map(() =>
      pool.apply(
        (cond, box) => {
          let got = 0;
          for (;;) {
            cond.acquire();
            cond.waitFor(() => box[0] !== 0, 5000);
            if (box[0] < 0) {
              cond.release();
              return got;
            }
            box[0]--;
            box[1]++;
            got++;
            cond.release();
          }
        },
        [cond, box],
      ),
    );
    for (let i = 0; i < 20; i++) {
      await cond.acquireAsync();
      box[0]++;
      cond.notify();
      cond.release();
      await new Promise((r) => setTimeout(r, 2));
    }
    while (Atomics.load(box, 0) > 0) await new Promise((r) => setTimeout(r, 5));
    await cond.acquireAsync();
    box[0] = -1;
    cond.notifyAll();
    cond.release();
    const got = await Promise.all(consumers);
    assert.equal(got[0] + got[1], 20);
    assert.equal(box[1], 20);
    assert.throws(() => cond.notify(), LockNotOwnedError, 'notify needs the lock');
    const c2 = new Condition(new Lock());
    c2.acquire();
    const t = performance.now();
    assert.equal(c2.wait(80), false);
    await within(performance.now() - t, 80, 'Condition.wait');
    assert.ok(c2.lock.locked(), 'wait takes the lock back');
  });
});

describe('sync: Barrier', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 3 })));
  after(() => pool.terminate());

  it('3 workers meet over 3 rounds: nobody passes before all arrived, arrival indexes 0..2 each round', async () => {
    const log = SharedArray('i32', 4); // [1 + round]: parties past the first barrier of that round
    const barrier = new Barrier(3);
    const counting = new Barrier(3);
    const idx = await Promise.all(
      [0, 1, 2].map(() =>
        pool.apply(
          (b, c, log) => {
            const indexes = [];
            for (let round = 0; round < 3; round++) {
              indexes.push(b.wait(5000));
              Atomics.add(log, 1 + round, 1);
              c.wait(5000);
              // after the round everyone has counted itself: nobody ran ahead into the next round
              if (Atomics.load(log, 1 + round) !== 3) throw new Error(`round ${round} not complete`);
            }
            return indexes;
          },
          [barrier, counting, log],
        ),
      ),
    );
    for (let round = 0; round < 3; round++) assert.deepEqual(idx.map((r) => r[round]).sort(), [0, 1, 2]);
    assert.equal(barrier.nWaiting, 0);
    assert.ok(!barrier.broken);
  });

  it('an action counts rounds in shared memory: 3 rounds, 3 actions', async () => {
    const count = SharedArray('i32', 1);
    globalThis.__count = count;
    // The action is sent as source: it reaches shared state through a global each thread sets first.
    const barrier = new Barrier(3, { action: () => Atomics.add(globalThis.__count, 0, 1) });
    await Promise.all(
      [0, 1, 2].map(() =>
        pool.apply(
          (b, c) => {
            globalThis.__count = c;
            for (let r = 0; r < 3; r++) b.wait(5000);
          },
          [barrier, count],
        ),
      ),
    );
    assert.equal(count[0], 3);
  });

  it('a timeout breaks it for everyone (BrokenBarrierError within 10% of the time asked); reset makes it usable', async () => {
    const barrier = new Barrier(3);
    const other = pool.apply(
      (b) => {
        try {
          b.wait();
          return 'passed';
        } catch (e) {
          return e.code;
        }
      },
      [barrier],
    );
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    assert.throws(() => barrier.wait(100), BrokenBarrierError);
    await within(performance.now() - t, 100, 'Barrier.wait');
    assert.equal(await other, 'ERR_BROKEN_BARRIER', 'the other waiter is released with the error');
    assert.ok(barrier.broken);
    await assert.rejects(barrier.waitAsync(10), BrokenBarrierError);
    barrier.reset();
    assert.ok(!barrier.broken);
    const two = [0, 1].map(() => pool.apply((b) => b.wait(5000), [barrier]));
    const mine = await barrier.waitAsync(5000);
    assert.deepEqual([mine, ...(await Promise.all(two))].sort(), [0, 1, 2]);
    const aborted = new Barrier(2);
    const w = pool.apply(
      (b) => {
        try {
          b.wait(5000);
          return 'passed';
        } catch (e) {
          return e.name;
        }
      },
      [aborted],
    );
    await new Promise((r) => setTimeout(r, 30));
    aborted.abort();
    assert.equal(await w, 'BrokenBarrierError');
    assert.throws(
      () => new Barrier(0),
      (e) => e instanceof InvalidArgumentError && e.argument === 'parties',
    );
  });
});

describe('sync: safety', function () {
  it('a blocking host call right after the first apply on a fresh pool does not deadlock', async () => {
    const pool = new Pool({ workers: 2 });
    try {
      const ev = new Event();
      const p = pool.apply((ev) => ev.set(), [ev]);
      const t = performance.now();
      assert.equal(ev.wait(5000), true, 'the task reached the worker while the host was blocked');
      assert.ok(performance.now() - t < 4000);
      await p;
    } finally {
      await pool.terminate();
    }
  });

  it('every lock-like timeout, blocking and async, ends within 10% of the time asked', async () => {
    const lock = new Lock();
    lock.acquire();
    const rlock = new RLock();
    const pool = new Pool({ workers: 1 });
    try {
      // Held by a worker, so this thread's acquire is not a re-entry.
      await pool.apply((r) => r.acquire(), [rlock]);
      const cases = [
        ['Lock.acquire', () => lock.acquire(100), false],
        ['Lock.acquireAsync', () => lock.acquireAsync(100), false],
        ['RLock.acquire', () => rlock.acquire(100), false],
        ['RLock.acquireAsync', () => rlock.acquireAsync(100), false],
        ['Semaphore.acquire', () => new Semaphore(0).acquire(100), false],
        ['Semaphore.acquireAsync', () => new BoundedSemaphore(0).acquireAsync(100), false],
        ['Condition.waitFor', () => ((c) => c.acquire() && c.waitFor(() => false, 100))(new Condition()), false],
        ['Condition.waitAsync', () => ((c) => c.acquire() && c.waitAsync(100))(new Condition(new Lock())), false],
      ];
      for (const [what, call, expected] of cases) {
        const t = performance.now();
        assert.equal(await call(), expected, what);
        await within(performance.now() - t, 100, what);
      }
      const t = performance.now();
      assert.throws(() => lock.held(100), SyncTimeoutError);
      await within(performance.now() - t, 100, 'Lock.held');
    } finally {
      await pool.terminate();
    }
  });

  it('a timeout argument is checked and named', () => {
    assert.throws(
      () => new Lock().acquire(-1),
      (e) => e instanceof InvalidArgumentError && e.argument === 'timeoutMs' && /got -1/.test(e.message),
    );
    assert.throws(
      () => new Event().wait('x'),
      (e) => e instanceof InvalidArgumentError && e.argument === 'timeoutMs',
    );
  });

  it('the error for a page without SharedArrayBuffer says which header fixes it', () => {
    const e = new SharedMemoryUnavailableError('Value');
    assert.equal(e.code, 'ERR_NO_SHARED_MEMORY');
    assert.match(e.message, /Cross-Origin-Opener-Policy: same-origin/);
  });
});
