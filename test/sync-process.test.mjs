// Process: warm workers, names, exit codes, kill, and what a dying process leaves behind.
import assert from 'node:assert/strict';
import {
  Pool,
  Process,
  currentProcess,
  activeChildren,
  cpuCount,
  prewarmProcesses,
  releaseProcesses,
  Lock,
  RLock,
  Semaphore,
  Event,
  Queue,
  InvalidArgumentError,
} from '../dist/index.js';

describe('sync: Process', function () {
  before(() => prewarmProcesses());
  after(() => releaseProcesses());

  it('runs a target with args; exitCode 0, its result kept; activeChildren lists it while it runs', async () => {
    const q = new Queue();
    const p = new Process({
      target: (q, x) => {
        q.put([x * 2]);
        return 'ok';
      },
      args: [q, 21],
      name: 'doubler',
    });
    assert.equal(p.isAlive(), false);
    p.start();
    assert.ok(p.isAlive());
    assert.ok(activeChildren().includes(p));
    await p.join();
    assert.equal(p.exitCode, 0);
    assert.equal(p.result, 'ok');
    assert.equal(q.get({ timeout: 1000 })[0], 42);
    assert.ok(!p.isAlive() && !activeChildren().includes(p));
    assert.equal(currentProcess().name, 'MainProcess');
    assert.ok(cpuCount() >= 1);
  });

  it('currentProcess() in a target (task module) and in Pool tasks names the process / worker', async () => {
    const mod = new URL('./fixtures/toolbox-tasks.mjs', import.meta.url);
    const { task } = await import('../dist/index.js');
    const q = new Queue();
    const procs = ['alpha', 'beta'].map((name) => new Process({ target: task(mod, 'reportName'), args: [q], name }));
    for (const p of procs) p.start();
    await Promise.all(procs.map((p) => p.join()));
    const got = [q.get({ timeout: 1000 }), q.get({ timeout: 1000 })].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      got.map((g) => g.name),
      ['alpha', 'beta'],
    );
    assert.deepEqual(got.map((g) => g.ident).sort(), procs.map((p) => p.ident).sort(), "ident matches the Process's");
    assert.notEqual(got[0].ident, got[1].ident);
    const pool = new Pool({ workers: 2 });
    try {
      const names = await pool.map(task(mod, 'nameOf'), [1, 2, 3, 4], { chunksize: 1 });
      assert.ok(
        names.every((n) => /^poolkit-\d+$/.test(n)),
        names.join(),
      );
      assert.ok(new Set(names).size >= 1 && !names.includes('MainProcess'));
    } finally {
      await pool.terminate();
    }
  });

  it('a target that throws exits 1 with the error; process.exit(3) gives 3', async () => {
    const p = new Process({
      target: () => {
        throw new RangeError('nope');
      },
    });
    p.start();
    await p.join();
    assert.equal(p.exitCode, 1);
    assert.equal(p.error.name, 'RangeError');
    const q = new Process({ target: () => process.exit(3) });
    q.start();
    await q.join();
    assert.equal(q.exitCode, 3);
  });

  it('kill() stops a Process stuck in a busy loop; isAlive() turns false; join(timeout) returns on time', async () => {
    const started = new Event();
    const p = new Process({
      target: (ev) => {
        ev.set();
        for (;;);
      },
      args: [started],
    });
    p.start();
    assert.ok(started.wait(5000), 'the loop is running');
    const t = performance.now();
    await p.join(100);
    assert.ok(performance.now() - t >= 95 && p.isAlive(), 'join(100) came back after 100 ms, still running');
    await p.kill();
    assert.equal(p.isAlive(), false);
    assert.equal(p.exitCode, -9);
    const t2 = new Process({
      target: (ev) => {
        ev.set();
        for (;;);
      },
      args: [new Event()],
    });
    t2.start();
    await new Promise((r) => setTimeout(r, 20));
    await t2.terminate();
    assert.equal(t2.exitCode, -15);
  });

  it('a Process that dies holding a Lock leaves it held (as Python) and hangs nobody: others time out and go on', async () => {
    const lock = new Lock();
    const other = new Lock();
    const dies = new Process({
      target: (lock) => {
        lock.acquire();
        process.exit(1);
      },
      args: [lock],
    });
    dies.start();
    await dies.join();
    assert.equal(dies.exitCode, 1);
    assert.ok(lock.locked(), 'a lock held by a dead process stays held');
    assert.equal(other.locked(), false, 'it released nothing it did not hold');
    const waiter = new Process({
      target: (lock, other) => {
        other.acquire();
        const got = lock.acquire(100);
        other.release();
        return got;
      },
      args: [lock, other],
    });
    waiter.start();
    await waiter.join(5000);
    assert.equal(waiter.exitCode, 0, 'the waiter was not hung');
    assert.equal(waiter.result, false, 'its acquire timed out');
    lock.release(); // any thread may release a Lock: the way to recover one
    assert.equal(lock.acquire(0), true);
  });

  it('a Process killed by an uncaught error keeps its RLock and permit; a Queue and other waiters go on', async () => {
    const rlock = new RLock();
    const sem = new Semaphore(2);
    const q = new Queue();
    const dies = new Process({
      target: (rlock, sem, q) => {
        rlock.acquire();
        sem.acquire();
        q.put('before');
        // Thrown outside the target's own call: the worker dies of it, as a process of an unhandled exception.
        setTimeout(() => {
          throw new Error('uncaught');
        });
        return new Promise(() => {});
      },
      args: [rlock, sem, q],
    });
    dies.start();
    await dies.join(10_000);
    assert.equal(dies.isAlive(), false);
    assert.equal(dies.exitCode, 1);
    assert.match(String(dies.error?.message), /uncaught/);
    assert.equal(q.get({ timeout: 1000 }), 'before', 'what it put before dying is there');
    assert.ok(rlock.locked() && !rlock.isOwned(), 'its RLock stays held, by nobody alive');
    assert.throws(() => rlock.release(), { code: 'ERR_LOCK_NOT_OWNED' });
    assert.equal(sem.getValue(), 1, 'its permit is not given back; the other is free');
    const others = new Process({
      target: (rlock, sem, q) => {
        const r = [rlock.acquire(50), sem.acquire(1000)];
        q.put('after');
        return r;
      },
      args: [rlock, sem, q],
    });
    others.start();
    await others.join(5000);
    assert.deepEqual(others.result, [false, true], 'the RLock times out, the free permit is taken');
    assert.equal(q.get({ timeout: 1000 }), 'after');
  });

  it('start + join of a target on a warm worker is fast (median of 20 under 20 ms on a loaded machine)', async () => {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const p = new Process({ target: (x) => x, args: [i] });
      p.start();
      await p.join();
      times.push(performance.now() - t);
      assert.equal(p.result, i);
    }
    times.sort((a, b) => a - b);
    assert.ok(times[10] < 20, `median ${times[10].toFixed(2)} ms`);
  });

  it('a blocking host wait right after start() on a worker still starting does not deadlock', async () => {
    await releaseProcesses(); // no warm worker: this start spawns one
    const ev = new Event();
    const p = new Process({ target: (ev) => ev.set(), args: [ev], name: 'fresh' });
    p.start();
    assert.equal(ev.wait(10_000), true);
    await p.join();
    assert.equal(p.exitCode, 0);
  });

  it('checks its options', () => {
    assert.throws(
      () => new Process({ target: 3 }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.target',
    );
    assert.throws(
      () => new Process({ target: () => 1, args: 'x' }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.args',
    );
    const p = new Process({ target: () => 1 });
    p.start();
    assert.throws(() => p.start(), InvalidArgumentError);
    return p.join();
  });
});

describe('sync: thread identity', function () {
  it("an in-process worker runtime (a transport on this thread) leaves the host's identity alone", async () => {
    const { Pool: BarePool } = await import('../dist/pool/pool.js');
    const { createRuntime } = await import('../dist/pool/worker/runtime.js');
    const { MessageChannel } = await import('node:worker_threads');
    const transport = {
      defaultConcurrency: () => 1,
      spawnWorker(events) {
        const { port1, port2 } = new MessageChannel();
        const runtime = createRuntime({ post: (m, t) => port2.postMessage(m, t) }, {}, []);
        port2.on('message', (m) => runtime.onMessage(m));
        port1.on('message', (m) => events.message(m));
        return {
          post: (m, t) => port1.postMessage(m, t),
          terminate: async () => {
            port1.close();
            port2.close();
          },
          unref: () => {},
          ref: () => {},
        };
      },
    };
    const pool = new BarePool({ transport });
    assert.equal(await pool.apply((x) => x, [1]), 1);
    await pool.terminate();
    assert.deepEqual(currentProcess(), { name: 'MainProcess', ident: 1 });
  });
});
