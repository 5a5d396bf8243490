import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, AbortError, TimeoutError, WorkerCrashedError } from '../dist/index.js';

// The same suite runs on worker threads and on child processes (isolation: 'process').
for (const isolation of ['thread', 'process']) {
  describe(`Pool (${isolation}): crashes, aborts and timeouts`, function () {
    // Shared memory (and transfer lists) reach worker threads only; separate processes copy.
    if (isolation === 'thread') {
      it('a worker that exits fails only its task; no other task is lost or run twice', async () => {
        const pool = new Pool({ isolation, workers: 2 });
        const runs = new Int32Array(new SharedArrayBuffer(4 * 300));
        const calls = Array.from({ length: 300 }, (_, i) =>
          pool.apply(
            (counts, j) => {
              Atomics.add(counts, j, 1);
              if (j === 57 || j === 201) process.exit(3);
              return j;
            },
            [runs, i],
          ),
        );
        const settled = await Promise.allSettled(calls);
        settled.forEach((s, i) => {
          if (i === 57 || i === 201) {
            assert.equal(s.status, 'rejected');
            assert.ok(s.reason instanceof WorkerCrashedError, String(s.reason));
            assert.equal(s.reason.exitCode, 3);
          } else assert.deepEqual(s, { status: 'fulfilled', value: i });
        });
        assert.deepEqual([...runs], new Array(300).fill(1), 'every task ran exactly once');
        assert.equal(pool.stats().respawned, 2);
        assert.equal(await pool.apply(() => 'still works'), 'still works');
        await pool.terminate();
      });
    }

    if (isolation === 'process') {
      it('process.exit and process.abort in a task fail only that task; no other task is lost or run twice', async function () {
        this.timeout(60000);
        const log = join(mkdtempSync(join(tmpdir(), 'poolkit-')), 'runs.txt');
        writeFileSync(log, '');
        const pool = new Pool({ isolation, workers: 2 });
        const calls = Array.from({ length: 300 }, (_, i) =>
          pool.apply(
            (file, j) => {
              process.getBuiltinModule('node:fs').appendFileSync(file, `${j}\n`);
              if (j === 57) process.exit(3);
              if (j === 201) process.abort();
              return [j, process.pid];
            },
            [log, i],
          ),
        );
        const settled = await Promise.allSettled(calls);
        settled.forEach((s, i) => {
          if (i === 57 || i === 201) {
            assert.equal(s.status, 'rejected');
            assert.ok(s.reason instanceof WorkerCrashedError, String(s.reason));
            assert.equal(s.reason.exitCode, i === 57 ? 3 : 134);
          } else {
            assert.equal(s.status, 'fulfilled', String(s.reason));
            assert.equal(s.value[0], i);
            assert.notEqual(s.value[1], process.pid, 'ran in a child process');
          }
        });
        const runs = readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map(Number)
          .sort((a, b) => a - b);
        assert.deepEqual(
          runs,
          Array.from({ length: 300 }, (_, i) => i),
          'every task ran exactly once',
        );
        assert.equal(pool.stats().respawned, 2);
        assert.equal(await pool.apply(() => 'still works'), 'still works');
        await pool.terminate();
      });
    }

    // Shared memory (and transfer lists) reach worker threads only; separate processes copy.
    if (isolation === 'thread') {
      it('the same holds for map with per-item tasks (pipelined)', async () => {
        const pool = new Pool({ isolation, workers: 2 });
        const runs = new Int32Array(new SharedArrayBuffer(4 * 2000));
        const args = Array.from({ length: 2000 }, (_, i) => [runs, i]);
        await assert.rejects(
          pool.starmap(
            (counts, j) => {
              Atomics.add(counts, j, 1);
              if (j === 1500) process.exit(9);
              return j;
            },
            args,
            { chunksize: 1 },
          ),
          WorkerCrashedError,
        );
        await new Promise((r) => setTimeout(r, 200));
        assert.equal([...runs].filter((c) => c > 1).length, 0, 'nothing ran twice');
        await pool.terminate();
      });
    }

    it('an uncaught error outside the task kills the worker: WorkerCrashedError, worker replaced', async () => {
      const pool = new Pool({ isolation, workers: 1 });
      await assert.rejects(
        pool.apply(
          () =>
            new Promise(() =>
              setTimeout(() => {
                throw new Error('stray');
              }, 1),
            ),
        ),
        (e) => e instanceof WorkerCrashedError && /stray/.test(e.message),
      );
      assert.equal(await pool.apply(() => 5), 5);
      await pool.terminate();
    });

    it('out of memory under resourceLimits is a crash of that task only', async function () {
      this.timeout(60000);
      const pool = new Pool({
        isolation,
        workers: 1,
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
      });
      await assert.rejects(
        pool.apply(() => {
          const hog = [];
          for (;;) hog.push(new Array(1e5).fill(1.5));
        }),
        WorkerCrashedError,
      );
      assert.equal(await pool.apply(() => 'recovered'), 'recovered');
      await pool.terminate();
    });

    it('abort stops a running task within 100 ms and replaces its worker', async () => {
      const pool = new Pool({ isolation, workers: 1 });
      await pool.apply(() => 0);
      const ac = new AbortController();
      const t0 = performance.now();
      setTimeout(() => ac.abort(), 30);
      await assert.rejects(
        pool.apply(
          () => {
            for (;;);
          },
          [],
          { signal: ac.signal },
        ),
        AbortError,
      );
      assert.ok(performance.now() - t0 < 130, `took ${performance.now() - t0} ms`);
      assert.equal(pool.stats().respawned, 1);
      assert.equal(await pool.apply(() => 'alive'), 'alive');
      await assert.rejects(
        pool.apply(() => 1, [], { signal: AbortSignal.abort() }),
        AbortError,
      );
      await pool.terminate();
    });

    // Shared memory (and transfer lists) reach worker threads only; separate processes copy.
    if (isolation === 'thread') {
      it('abort drops queued tasks of a map and rejects it', async () => {
        const pool = new Pool({ isolation, workers: 1 });
        const runs = new Int32Array(new SharedArrayBuffer(4 * 50));
        const ac = new AbortController();
        let t0 = 0;
        const p = pool.starmap(
          async (counts, j) => {
            Atomics.add(counts, j, 1);
            await new Promise((r) => setTimeout(r, 20));
            return j;
          },
          Array.from({ length: 50 }, (_, i) => [runs, i]),
          { chunksize: 1, signal: ac.signal },
        );
        setTimeout(() => {
          t0 = performance.now();
          ac.abort();
        }, 70);
        await assert.rejects(p, AbortError);
        assert.ok(performance.now() - t0 < 100, `rejected ${performance.now() - t0} ms after the abort`);
        await new Promise((r) => setTimeout(r, 100));
        const ran = runs.reduce((a, b) => a + b, 0);
        assert.ok(ran < 8, `only the tasks before the abort ran (${ran})`);
        assert.equal(pool.stats().queued, 0);
        await pool.terminate();
      });
    }

    it('abort ends an imap', async () => {
      const pool = new Pool({ isolation, workers: 2 });
      const ac = new AbortController();
      const seen = [];
      await assert.rejects(
        (async () => {
          for await (const r of pool.imap(
            async (x) => {
              await new Promise((res) => setTimeout(res, 5));
              return x;
            },
            (function* () {
              for (let i = 0; ; i++) yield i;
            })(),
            { signal: ac.signal },
          )) {
            seen.push(r);
            if (seen.length === 10) ac.abort();
          }
        })(),
        AbortError,
      );
      assert.equal(seen.length, 10);
      await pool.terminate();
    });

    it('taskTimeout stops a task with TimeoutError; the pool keeps working', async () => {
      const pool = new Pool({ isolation, workers: 1, taskTimeout: 100 });
      const t0 = performance.now();
      await assert.rejects(
        pool.apply(() => {
          for (;;);
        }),
        (e) => e instanceof TimeoutError && e.timeoutMs === 100,
      );
      assert.ok(performance.now() - t0 < 1000);
      assert.deepEqual(await pool.map((x) => x + 1, [1, 2, 3], { chunksize: 1 }), [2, 3, 4]);
      await pool.terminate();
    });
  });
}
