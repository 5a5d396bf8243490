// The Pool's seams: chunk payloads (transfer lists honoured by every call shape), the transport passed in as a value,
// and shareable objects (a Lock) that arrive in workers as working objects over the same shared memory.
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { Pool, Lock, InvalidArgumentError } from '../dist/index.js';
import { Pool as BarePool } from '../dist/pool/pool.js';
import { createRuntime } from '../dist/pool/worker/runtime.js';

const detached = (buf) => buf.byteLength === 0;

describe('Pool: transfer lists are honoured by every call shape', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 2 })));
  after(() => pool.terminate());

  const shapes = {
    apply: (p, bufs, transfer) => p.apply((u) => u.length, [new Uint8Array(bufs[0])], { transfer }),
    map: (p, bufs, transfer) =>
      p.map(
        (u) => u.length,
        bufs.map((b) => new Uint8Array(b)),
        { transfer, chunksize: 2 },
      ),
    'map chunksize 1': (p, bufs, transfer) =>
      p.map(
        (u) => u.length,
        bufs.map((b) => new Uint8Array(b)),
        { transfer, chunksize: 1 },
      ),
    starmap: (p, bufs, transfer) =>
      p.starmap(
        (u, k) => u.length * k,
        bufs.map((b) => [new Uint8Array(b), 1]),
        { transfer },
      ),
    imap: async (p, bufs, transfer) => {
      const out = [];
      for await (const r of p.imap(
        (u) => u.length,
        bufs.map((b) => new Uint8Array(b)),
        { transfer },
      ))
        out.push(r);
      return out;
    },
    imapUnordered: async (p, bufs, transfer) => {
      const out = [];
      for await (const r of p.imapUnordered(
        (u) => u.length,
        bufs.map((b) => new Uint8Array(b)),
        { transfer },
      ))
        out.push(r);
      return out;
    },
  };

  for (const [shape, run] of Object.entries(shapes)) {
    it(`${shape}: an explicit list moves exactly the buffers named; true moves all; none copies`, async () => {
      const bufs = [new ArrayBuffer(8), new ArrayBuffer(8), new ArrayBuffer(8)];
      await run(pool, bufs, [bufs[0]]);
      assert.ok(detached(bufs[0]), 'the named buffer is transferred');
      if (shape !== 'apply') assert.ok(!detached(bufs[1]) && !detached(bufs[2]), 'buffers not named are copied');
      const all = [new ArrayBuffer(8), new ArrayBuffer(8)];
      await run(pool, all, true);
      assert.ok(detached(all[0]), 'transfer: true moves the buffers found');
      if (shape !== 'apply') assert.ok(detached(all[1]));
      const kept = [new ArrayBuffer(8), new ArrayBuffer(8)];
      await run(pool, kept, undefined);
      assert.ok(!detached(kept[0]) && !detached(kept[1]), 'without transfer nothing is detached');
    });
  }

  it('map under maxQueue honours an explicit list too', async () => {
    const p = new Pool({ workers: 2, maxQueue: 2 });
    try {
      const bufs = [new ArrayBuffer(4), new ArrayBuffer(4), new ArrayBuffer(4)];
      const r = await p.map(
        (u) => u.length,
        bufs.map((b) => new Uint8Array(b)),
        { transfer: [bufs[1]], chunksize: 1 },
      );
      assert.deepEqual(r, [4, 4, 4]);
      assert.ok(detached(bufs[1]) && !detached(bufs[0]) && !detached(bufs[2]));
    } finally {
      await p.terminate();
    }
  });
});

/** A transport that runs each "worker" on this thread: a worker runtime over a MessageChannel. */
function inProcessTransport(log) {
  return {
    defaultConcurrency: () => 3,
    spawnWorker(events) {
      const { port1, port2 } = new MessageChannel();
      const runtime = createRuntime({ post: (m, t) => port2.postMessage(m, t) }, {}, []);
      port2.on('message', (m) => runtime.onMessage(m));
      port1.on('message', (m) => events.message(m));
      log.push('spawn');
      return {
        post: (m, t) => port1.postMessage(m, t),
        terminate: async () => {
          port1.close();
          port2.close();
          log.push('terminate');
        },
        unref: () => {},
        ref: () => {},
      };
    },
  };
}

describe('Pool: the transport is a value', function () {
  it('runs on a transport passed in, with no platform adapter installed (the bare module, no entry)', async () => {
    const log = [];
    const pool = new BarePool({ transport: inProcessTransport(log) });
    assert.equal(pool.size, 3, 'the default worker count comes from the transport');
    assert.deepEqual(await pool.map((x) => x * 2, [1, 2, 3, 4], { chunksize: 1 }), [2, 4, 6, 8]);
    assert.equal(await pool.apply((a, b) => a + b, [2, 3]), 5);
    await pool.terminate();
    assert.ok(log.includes('spawn') && log.includes('terminate'));
  });

  it('rejects a transport that is not one', () => {
    assert.throws(
      () => new Pool({ transport: {} }),
      (e) => e instanceof InvalidArgumentError && e.argument === 'options.transport',
    );
  });
});

describe('Pool: shareable objects arrive as working objects', function () {
  let pool;
  before(() => (pool = new Pool({ workers: 4 })));
  after(() => pool.terminate());

  it('a Lock nested in arguments serialises increments from 4 workers exactly', async () => {
    const lock = new Lock();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const add = ({ sync: { lock }, counter }, n) => {
      for (let i = 0; i < n; i++) {
        lock.acquire();
        const v = counter[0]; // a plain read-modify-write: only the lock makes it safe
        counter[0] = v + 1;
        lock.release();
      }
      return lock.constructor.name;
    };
    const names = await Promise.all([0, 1, 2, 3].map(() => pool.apply(add, [{ sync: { lock }, counter }, 20_000])));
    assert.deepEqual(names, ['Lock', 'Lock', 'Lock', 'Lock'], 'the worker received a Lock, not a plain clone');
    assert.equal(counter[0], 80_000);
    assert.equal(lock.locked(), false);
  });

  it('a Lock in an array and in a map chunk, and one returned by a task, is the same lock', async () => {
    const lock = new Lock();
    lock.acquire();
    const seen = await pool.map(([l]) => l.locked(), [[lock], [lock], [lock]], { chunksize: 2 });
    assert.deepEqual(seen, [true, true, true]);
    const back = await pool.apply((l) => l, [lock]);
    assert.ok(back instanceof Lock && back !== lock);
    back.release();
    assert.equal(lock.locked(), false, 'releasing the returned lock frees the original');
  });

  it('the same payload without shareables is sent untouched (numbers still pack)', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    assert.deepEqual(
      await pool.map((x) => x + 1, items),
      items.map((x) => x + 1),
    );
  });
});
