// Manager: dict, list and Namespace proxies called synchronously from workers, served by the host's event loop.
import assert from 'node:assert/strict';
import { Pool, Manager, Process, DictProxy, currentProcess } from '../dist/index.js';

describe('sync: Manager', function () {
  let pool;
  const managers = [];
  afterEach(() => Promise.all(managers.splice(0).map((m) => m.shutdown())));
  before(() => (pool = new Pool({ workers: 3 })));
  after(() => pool.terminate());

  it('a dict filled by workers (keys by ident) is read by the host; increments from 3 workers are exact', async () => {
    const manager = new Manager();
    managers.push(manager);
    const d = manager.dict();
    const counts = manager.dict({ hits: 0 });
    await Promise.all(
      [0, 1, 2].map((k) =>
        pool.apply(
          (d, counts, k) => {
            for (let i = 0; i < 200; i++) counts.increment('hits');
            d.set(`worker ${k}`, { k, squares: [k * k] });
            return d.get(`worker ${k}`).k === k && d.has(`worker ${k}`);
          },
          [d, counts, k],
        ),
      ),
    );
    assert.equal(counts.get('hits'), 600);
    assert.deepEqual(d.toMap(), new Map([0, 1, 2].map((k) => [`worker ${k}`, { k, squares: [k * k] }])));
    assert.ok(d instanceof DictProxy);
    assert.equal(d.size, 3);
    assert.equal(d.get('missing', 'dflt'), 'dflt');
  });

  it('list and Namespace proxies work in workers and on the host', async () => {
    const manager = new Manager();
    managers.push(manager);
    const list = manager.list([1]);
    const ns = manager.Namespace({ x: 1 });
    await pool.apply(
      (list, ns) => {
        list.push(2, 3);
        ns.x = ns.x + 10;
        ns.y = 'set in a worker';
      },
      [list, ns],
    );
    assert.deepEqual(list.toArray(), [1, 2, 3]);
    assert.equal(list.get(-1), 3);
    assert.equal(ns.x, 11);
    assert.equal(ns.y, 'set in a worker');
    assert.deepEqual(Object.keys(ns).sort(), ['x', 'y']);
    const v = manager.Value('i', 5);
    await pool.apply(
      (v) => {
        v.getLock().acquire();
        v.value += 1;
        v.getLock().release();
      },
      [v],
    );
    assert.equal(v.value, 6);
  });

  it('serves without blocking the host: its timers run while a worker calls back to back; large values pass', async () => {
    const manager = new Manager();
    managers.push(manager);
    const d = manager.dict();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const big = 'x'.repeat(200_000); // longer than a reply channel's ring: the reply streams through it
    const r = await pool.apply(
      (d, big) => {
        const t = performance.now();
        let calls = 0;
        while (performance.now() - t < 300) {
          d.set(calls, calls);
          calls += d.get(calls) === calls ? 1 : 1e9;
        }
        d.set('big', big);
        return [calls, d.get('big') === big, d.get('big').length];
      },
      [d, big],
    );
    clearInterval(timer);
    assert.ok(r[0] > 100 && r[0] < 1e9, `${r[0]} calls, each answered with its own value`);
    assert.deepEqual(r.slice(1), [true, 200_000]);
    assert.equal(d.get('big'), big);
    // A 5 ms timer over 300 ms of calls: the host's event loop kept turning (a loaded machine skips some).
    assert.ok(ticks >= 10, `the host's timer ran ${ticks} times`);
  });

  it('errors of an operation reach the caller; after shutdown, proxies throw ClosedError', async () => {
    const manager = new Manager();
    const d = manager.dict();
    await manager.shutdown();
    const code = await pool.apply(
      (d) => {
        try {
          d.set('a', 1);
          return 'no error';
        } catch (e) {
          return e.code;
        }
      },
      [d],
    );
    assert.equal(code, 'ERR_CLOSED');
  });

  it('the Python course example: processes write their ident into a Manager dict, the parent prints it', async () => {
    const manager = new Manager();
    managers.push(manager);
    const d = manager.dict();
    const { task } = await import('../dist/index.js');
    const procs = [0, 1, 2].map(
      (i) =>
        new Process({
          target: task(new URL('./fixtures/toolbox-tasks.mjs', import.meta.url), 'recordIdent'),
          args: [d, i],
        }),
    );
    for (const p of procs) p.start();
    await Promise.all(procs.map((p) => p.join()));
    assert.deepEqual(new Set(d.keys()), new Set(procs.map((p) => p.ident)));
    assert.deepEqual(procs.map((p) => d.get(p.ident)).sort(), [0, 1, 2]);
    assert.equal(currentProcess().name, 'MainProcess');
  });
});
