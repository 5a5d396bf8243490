// The BullMQ executor (poolkit/bullmq) against a real Redis (Debian's redis-server, started here on a random port,
// no persistence) and real `poolkit worker` processes: results equal the local Pool's and local wordCount's, a worker
// killed mid-run loses nothing and counts nothing twice, errors and a lost Redis reject the call in bounded time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, task, wordCount, mapReduce, AbortError, PoolClosedError, InvalidArgumentError } from '../dist/index.js';
import { bullmq, startWorker as startInProcess, RemoteTaskError, RemoteConnectionError } from '../dist/bullmq.js';
import { zipfText } from '../dist/data/index.js';
import { Queue, QueueEvents } from 'bullmq';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const tasks = new URL('./fixtures/remote-tasks.mjs', import.meta.url);
const t = (name) => task(tasks, name);
// Short locks, so a killed worker's job is taken back within seconds.
const LOCK = ['--lock-duration', '1500', '--stalled-interval', '500'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Resolves once the child printed a line matching `re` on stdout; rejects if it exits first. */
function waitLine(child, re, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no ready line in 30 s\n${out}\n${err}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (re.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}\n${out}\n${err}`));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitLine(child, /Ready to accept connections/, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, child };
}

function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('distributed: BullMQ executor with poolkit worker processes', function () {
  this.timeout(120_000);
  let redis;
  const workers = new Set();
  let dir;

  async function startWorker(url, queue, extra = []) {
    const child = spawn(
      process.execPath,
      [cli, 'worker', '--redis', url, '--queue', queue, '--threads', '1', '--concurrency', '1', ...LOCK, ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    await waitLine(child, /poolkit worker: queue/, 'poolkit worker');
    return child;
  }

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'poolkit-distributed-'));
  });
  after(async () => {
    await Promise.all([...workers].map((w) => stop(w, 'SIGKILL')));
    if (redis) await stop(redis.child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('map over 20,000 items equals the local Pool, with one of 2 workers killed (SIGKILL) mid-run', async () => {
    const queue = 'map20k';
    const [a] = [await startWorker(redis.url, queue), await startWorker(redis.url, queue)];
    const items = Array.from({ length: 20_000 }, (_, i) => i - 7000);
    const local = new Pool({ workers: 2 });
    const expected = await local.map(t('square'), items);
    await local.terminate();

    const pool = new Pool({ executor: bullmq({ connection: redis.url, queue }) });
    try {
      let killed = false;
      const watch = setInterval(() => {
        if (!killed && pool.stats().completed >= 3) {
          killed = true;
          a.kill('SIGKILL');
        }
      }, 5);
      const got = await pool.map(t('slowSquare'), items, { chunksize: 250 }).finally(() => clearInterval(watch));
      assert.equal(killed, true, 'a worker was killed while the map ran');
      assert.deepEqual(got, expected);
      // 80 chunks, each counted once although the killed worker's chunk ran twice.
      assert.equal(pool.stats().completed, 80);
    } finally {
      await pool.terminate();
    }
  });

  it('apply, applyAsync, starmap, imap and imapUnordered give the local results; stats count remote workers', async () => {
    const queue = 'calls';
    await startWorker(redis.url, queue);
    await startWorker(redis.url, queue);
    const pool = new Pool({ executor: bullmq({ connection: redis.url, queue }) });
    try {
      await pool.ready();
      assert.equal(await pool.apply(t('add'), [2, 3]), 5);
      assert.equal(await pool.applyAsync(t('square'), [9]).get(), 81);
      assert.deepEqual(
        await pool.starmap(t('add'), [
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        [3, 7, 11],
      );
      const ordered = [];
      for await (const v of pool.imap(t('square'), [1, 2, 3, 4, 5, 6, 7], { chunksize: 2 })) ordered.push(v);
      assert.deepEqual(ordered, [1, 4, 9, 16, 25, 36, 49]);
      // A slow source that ends after its results are in, and one that throws: the call ends, with the source's error.
      async function* slow() {
        yield* [1, 2, 3];
        await new Promise((r) => setTimeout(r, 300));
      }
      const fromSlow = [];
      for await (const v of pool.imap(t('square'), slow())) fromSlow.push(v);
      assert.deepEqual(fromSlow, [1, 4, 9]);
      async function* broken() {
        yield 1;
        throw new TypeError('source broke');
      }
      await assert.rejects(async () => {
        for await (const _ of pool.imapUnordered(t('square'), broken()));
      }, /^TypeError: source broke$/);
      const unordered = [];
      for await (const v of pool.imapUnordered(t('sleepy'), [30, 1, 20, 2])) unordered.push(v);
      assert.deepEqual(
        unordered.sort((x, y) => x - y),
        [1, 2, 20, 30],
      );
      // Refreshed in the background from Redis's client list.
      const deadline = Date.now() + 10_000;
      while (pool.stats().workers < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(pool.stats().workers, 2);
      assert.equal(pool.stats().remote.threads, 2);
      pool.close();
      await pool.join();
    } finally {
      await pool.terminate();
    }
  });

  it('wordCount and mapReduce over a file equal the local ones, with a worker killed mid-run', async () => {
    const queue = 'words';
    const [a] = [await startWorker(redis.url, queue), await startWorker(redis.url, queue)];
    const path = join(dir, 'zipf.txt');
    writeFileSync(
      path,
      zipfText({ vocabulary: ['alpha', 'Beta', 'γάμμα', 'δέλτα', 'ε', 'zeta9', 'ηta'], bytes: 3e6, seed: 7 }),
    );
    const executor = bullmq({ connection: redis.url, queue });
    try {
      const local = await wordCount({ path });
      // Killed once the first split is done: the partitions' parents cannot have finished yet.
      const events = new QueueEvents(queue, { connection: { url: redis.url } });
      await events.waitUntilReady();
      events.once('completed', () => a.kill('SIGKILL'));
      const remote = await wordCount({ path }, { executor, splitBytes: 64 << 10, partitions: 3 });
      await events.close();
      assert.equal(a.signalCode, 'SIGKILL', 'a worker was killed while the count ran');
      assert.equal(remote.total, local.total);
      assert.equal(remote.bytes, local.bytes);
      assert.deepEqual(remote.top(), local.top());

      const opts = { map: t('lineWords'), combine: t('sum'), reduce: t('sum') };
      const want = await mapReduce({ path }, opts);
      const got = await mapReduce({ path }, { ...opts, executor, partitions: 2, splitBytes: 256 << 10 });
      assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()));
      assert.equal(got.counters.records, want.counters.records);
      assert.equal(got.counters.pairs, want.counters.pairs);
    } finally {
      await executor.terminate(new Error('test over'));
    }
  });

  it("a task that throws rejects with the task's error name and message after the configured attempts", async () => {
    const queue = 'throws';
    await startWorker(redis.url, queue);
    const pool = new Pool({ executor: bullmq({ connection: redis.url, queue, attempts: 2, backoff: 50 }) });
    try {
      await assert.rejects(pool.map(t('fails'), [1, 2, 3], { chunksize: 1 }), (e) => {
        assert.equal(e.name, 'RangeError');
        assert.match(e.message, /^no square for \d$/);
        assert.equal(e.code, 'E_NO_SQUARE');
        return true;
      });
      const q = new Queue(queue, { connection: { url: redis.url } });
      const failed = await q.getFailed();
      await q.close();
      assert.ok(failed.length >= 1);
      for (const job of failed) assert.equal(job.attemptsMade, 2);
      await assert.rejects(
        pool.apply((x) => x * x, [2]),
        RemoteTaskError,
      );
      await assert.rejects(
        pool.apply((x) => x * x, [2]),
        /task\(new URL/,
      );
    } finally {
      await pool.terminate();
    }
  });

  it("an aborted map rejects with AbortError and removes the call's queued jobs", async () => {
    const queue = 'abort';
    await startWorker(redis.url, queue);
    const pool = new Pool({ executor: bullmq({ connection: redis.url, queue }) });
    const q = new Queue(queue, { connection: { url: redis.url } });
    try {
      const ac = new AbortController();
      const run = pool.map(t('sleepy'), Array(200).fill(50), { chunksize: 1, signal: ac.signal });
      setTimeout(() => ac.abort(), 500);
      await assert.rejects(run, AbortError);
      const deadline = Date.now() + 5000;
      let waiting = -1;
      while (Date.now() < deadline && waiting !== 0) {
        waiting = await q.getWaitingCount();
        if (waiting) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(waiting, 0);
    } finally {
      await q.close();
      await pool.terminate();
    }
  });

  it('terminate() rejects the running call with PoolClosedError and removes its queued jobs; so does leaving imap early', async () => {
    const queue = 'terminate';
    await startWorker(redis.url, queue);
    const q = new Queue(queue, { connection: { url: redis.url } });
    const waitingDrops = async () => {
      const deadline = Date.now() + 5000;
      let waiting = -1;
      while (Date.now() < deadline && waiting !== 0) {
        waiting = await q.getWaitingCount();
        if (waiting) await new Promise((r) => setTimeout(r, 100));
      }
      return waiting;
    };
    try {
      const pool = new Pool({ executor: bullmq({ connection: redis.url, queue }) });
      const outcome = pool.map(t('sleepy'), Array(100).fill(50), { chunksize: 1 }).then(
        () => undefined,
        (e) => e,
      );
      await new Promise((r) => setTimeout(r, 400));
      await pool.terminate();
      assert.ok((await outcome) instanceof PoolClosedError);
      assert.equal(await waitingDrops(), 0);

      const pool2 = new Pool({ executor: bullmq({ connection: redis.url, queue }) });
      const seen = [];
      for await (const v of pool2.imap(t('sleepy'), Array(100).fill(20))) {
        seen.push(v);
        if (seen.length === 3) break;
      }
      assert.deepEqual(seen, [20, 20, 20]);
      assert.equal(await waitingDrops(), 0);
      await pool2.terminate();
    } finally {
      await q.close();
    }
  });

  it('mapReduce over records (an iterable) equals the local run', async () => {
    const queue = 'records';
    await startWorker(redis.url, queue);
    const lines = Array.from({ length: 3000 }, (_, i) => `w${i % 17} w${i % 5} x${i % 3}`);
    const opts = { map: t('lineWords'), reduce: t('sum') };
    const executor = bullmq({ connection: redis.url, queue });
    try {
      const want = await mapReduce(lines, opts);
      const got = await mapReduce(lines, { ...opts, executor, chunksize: 400, partitions: 3 });
      assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()));
      assert.equal(got.counters.splits, 8);
      assert.equal(got.counters.records, 3000);
      assert.equal(got.counters.partitions, 3);
    } finally {
      await executor.terminate(new Error('test over'));
    }
  });

  it('bad options and inputs are InvalidArgumentErrors naming the argument, before anything connects', async () => {
    const named = (argument) => (e) => e instanceof InvalidArgumentError && e.argument === argument;
    const ok = { connection: 'redis://127.0.0.1:1', queue: 'q' };
    assert.throws(() => bullmq({ ...ok, bogus: 1 }), named('options.bogus'));
    assert.throws(() => bullmq({ ...ok, connection: 'http://127.0.0.1' }), named('options.connection'));
    assert.throws(() => bullmq({ ...ok, queue: 'a:b' }), named('options.queue'));
    assert.throws(() => bullmq({ ...ok, attempts: 0 }), named('options.attempts'));
    const executor = bullmq(ok);
    assert.throws(() => new Pool({ executor, taskTimeout: 100 }), named('options.taskTimeout'));
    assert.throws(() => new Pool({ executor: {} }), named('options.executor'));
    await assert.rejects(wordCount('some text', { executor }), named('input'));
    await assert.rejects(wordCount({ path: 'relative.txt' }, { executor }), named('input'));
    await assert.rejects(wordCount({ path: '/x' }, { executor, threads: 2 }), named('options.threads'));
    await assert.rejects(mapReduce({ path: '/x' }, { map: (l) => [[l, 1]], executor }), RemoteTaskError);
    await assert.rejects(
      startInProcess({ connection: 'redis://h:1', queue: 'q', threads: 0 }, 1),
      named('options.threads'),
    );
  });

  it('poolkit worker exits 2 with one line for missing or bad arguments', async () => {
    const run = (args) =>
      new Promise((resolve) => {
        const c = spawn(process.execPath, [cli, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        c.stderr.on('data', (d) => (err += d));
        c.once('exit', (code) => resolve({ code, err }));
      });
    const missing = await run(['--queue', 'q']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^poolkit worker: --redis is required/);
    const bad = await run(['--redis', redis.url, '--queue', 'q', '--module-root', 'nowhere']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--module-root: expected FROM=TO, got 'nowhere'/);
    assert.equal(bad.err.trim().split('\n').length, 1);
  });

  it('Redis stopped mid-run, or never reachable, rejects with RemoteConnectionError in bounded time', async () => {
    const lost = await startRedis();
    const queue = 'lost';
    await startWorker(lost.url, queue);
    const pool = new Pool({ executor: bullmq({ connection: lost.url, queue, timeout: 1500 }) });
    try {
      await pool.ready();
      const run = pool.map(t('sleepy'), Array(100).fill(100), { chunksize: 1 });
      setTimeout(() => lost.child.kill('SIGKILL'), 300);
      const t0 = Date.now();
      await assert.rejects(run, RemoteConnectionError);
      assert.ok(Date.now() - t0 < 10_000, `rejected after ${Date.now() - t0} ms`);
    } finally {
      await pool.terminate();
      await stop(lost.child, 'SIGKILL');
    }
    const port = await freePort();
    const nowhere = new Pool({ executor: bullmq({ connection: `redis://127.0.0.1:${port}`, queue, timeout: 1000 }) });
    const t0 = Date.now();
    await assert.rejects(nowhere.apply(t('square'), [1]), RemoteConnectionError);
    assert.ok(Date.now() - t0 < 8000);
    await nowhere.terminate();
  });
});
