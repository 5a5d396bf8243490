// bench/toolbox: poolkit's multiprocessing toolbox beside Python's multiprocessing, measured in the same run,
// interleaved. Each contender times its own work and reports seconds; Python runs /usr/bin/python3 (Debian's).
// Cases: Lock acquire+release (uncontended), Queue put -> get between two threads/processes (small ints), 4 x N
// Value increments under a Lock, Pipe send+recv round trip, Process start+join, Manager dict set+get from a worker.
// `--cases queue,pipe` runs only those (a partial run prints its table and keeps bench/results/ as it is).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lock, Manager, Pipe, Pool, Process, Queue, Value, prewarmProcesses, releaseProcesses } from '../dist/index.js';
import { compare, table, save, quick, log } from './lib/harness.mjs';

const PY = '/usr/bin/python3';
const reps = quick ? 3 : 5;
const N = {
  lock: quick ? 200_000 : 2_000_000,
  queue: quick ? 20_000 : 200_000,
  value: quick ? 20_000 : 100_000,
  pipe: quick ? 500 : 5_000,
  process: quick ? 20 : 100,
  manager: quick ? 1_000 : 10_000,
};

const python = `
import sys, time, multiprocessing as mp
def lock(n):
    l = mp.Lock(); t = time.perf_counter()
    for _ in range(n): l.acquire(); l.release()
    return time.perf_counter() - t
def _put(q, n):
    for i in range(n): q.put(i)
def queue(n):
    q = mp.Queue(); p = mp.Process(target=_put, args=(q, n)); p.start()
    q.get(); t = time.perf_counter()
    for _ in range(n - 1): q.get()
    s = time.perf_counter() - t; p.join(); return s
def _inc(v, n):
    for _ in range(n):
        with v.get_lock(): v.value += 1
def value(n):
    v = mp.Value('i', 0); ps = [mp.Process(target=_inc, args=(v, n)) for _ in range(4)]
    t = time.perf_counter()
    for p in ps: p.start()
    for p in ps: p.join()
    s = time.perf_counter() - t
    assert v.value == 4 * n; return s
def _echo(c, n):
    for _ in range(n): c.send(c.recv())
def pipe(n):
    a, b = mp.Pipe(); p = mp.Process(target=_echo, args=(b, n + 1)); p.start()
    a.send(0); a.recv(); t = time.perf_counter()
    for i in range(n): a.send(i); a.recv()
    s = time.perf_counter() - t; p.join(); return s
def _nothing(): pass
def process(n):
    t = time.perf_counter()
    for _ in range(n):
        p = mp.Process(target=_nothing); p.start(); p.join()
    return time.perf_counter() - t
def _dict(d, n, out):
    t = time.perf_counter()
    for i in range(n): d[i] = i; d[i]
    out.put(time.perf_counter() - t)
def manager(n):
    with mp.Manager() as m:
        d = m.dict(); out = mp.Queue(); p = mp.Process(target=_dict, args=(d, n, out)); p.start()
        s = out.get(); p.join(); return s
if __name__ == '__main__':
    mp.set_start_method('fork')
    print(globals()[sys.argv[1]](int(sys.argv[2])))
`;
const pyFile = join(tmpdir(), `poolkit-toolbox-bench-${process.pid}.py`);
writeFileSync(pyFile, python);
const env = { ...process.env };
const py = (name, n) => Number(execFileSync(PY, [pyFile, name, String(n)], { env, encoding: 'utf8' }).trim());

let pool;
const cases = {
  lock: async (n) => {
    const l = new Lock();
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      l.acquire();
      l.release();
    }
    return (performance.now() - t) / 1e3;
  },
  queue: async (n) => {
    const q = new Queue();
    const producing = pool.apply(
      (q, n) => {
        for (let i = 0; i < n; i++) q.put(i);
      },
      [q, n],
    );
    q.get();
    const t = performance.now();
    for (let i = 1; i < n; i++) q.get();
    const s = (performance.now() - t) / 1e3;
    await producing;
    return s;
  },
  value: async (n) => {
    const v = new Value('i', 0);
    const inc = (v, n) => {
      const l = v.getLock();
      for (let i = 0; i < n; i++) {
        l.acquire();
        v.value += 1;
        l.release();
      }
    };
    const t = performance.now();
    const ps = [0, 1, 2, 3].map(() => new Process({ target: inc, args: [v, n] }));
    for (const p of ps) p.start();
    await Promise.all(ps.map((p) => p.join()));
    const s = (performance.now() - t) / 1e3;
    if (v.value !== 4 * n) throw new Error(`lost increments: ${v.value}`);
    return s;
  },
  pipe: async (n) => {
    const [a, b] = Pipe();
    const echo = pool.apply(
      (c, n) => {
        for (let i = 0; i < n; i++) c.send(c.recv());
      },
      [b, n + 1],
    );
    a.send(0);
    a.recv();
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      a.send(i);
      a.recv();
    }
    const s = (performance.now() - t) / 1e3;
    await echo;
    return s;
  },
  process: async (n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const p = new Process({ target: () => undefined });
      p.start();
      await p.join();
    }
    return (performance.now() - t) / 1e3;
  },
  manager: async (n) => {
    const m = new Manager();
    const d = m.dict();
    const s = await pool.apply(
      (d, n) => {
        const t = performance.now();
        for (let i = 0; i < n; i++) {
          d.set(i, i);
          d.get(i);
        }
        return (performance.now() - t) / 1e3;
      },
      [d, n],
    );
    await m.shutdown();
    return s;
  },
};

const units = {
  lock: ['M acquire+release/s', (n, s) => n / s / 1e6, true],
  queue: ['k items/s', (n, s) => n / s / 1e3, true],
  value: ['s for 4 x N', (_n, s) => s, false],
  pipe: ['µs per round trip', (n, s) => (s / n) * 1e6, false],
  process: ['ms per start+join', (n, s) => (s / n) * 1e3, false],
  manager: ['k set+get/s', (n, s) => n / s / 1e3, true],
};

const casesFlag = process.argv.includes('--cases')
  ? (process.argv[process.argv.indexOf('--cases') + 1] ?? '')
  : undefined;
const only = casesFlag?.split(',');
const unknownCase = only?.find((c) => !(c in cases));
if (unknownCase !== undefined) {
  process.stderr.write(`--cases: expected names from ${Object.keys(cases).join(', ')}, got '${unknownCase}'\n`);
  process.exit(2);
}

pool = new Pool({ workers: 2 });
await pool.apply(() => 0);
await prewarmProcesses(4);
const results = [];
for (const [name, run] of Object.entries(cases).filter(([c]) => !only || only.includes(c))) {
  const n = N[name];
  log(`${name} (n = ${n})`);
  const r = await compare(
    [
      { name: `poolkit ${name}`, run: () => run(n) },
      { name: `python multiprocessing ${name}`, run: () => py(name, n) },
    ],
    { reps, warmup: 1 },
  );
  const [label, metric, higher] = units[name];
  results.push(
    table(`${name}: n = ${n} (${label})`, r, {
      baseline: `python multiprocessing ${name}`,
      label,
      higherIsBetter: higher,
      metric: (_r, s) => metric(n, s),
    }),
  );
}
await pool.terminate();
await releaseProcesses();
if (!only) save('toolbox', { sizes: N, python: PY, cases: results });
