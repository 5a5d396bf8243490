// The BullMQ executor against the local Pool on the same machine: jobs per second (one item per job), map items per
// second (chunked), with 1 and 2 `poolkit worker` processes; word count over 200 MB (--quick: 8 MB) of Zipf words
// with 2 worker processes against local wordCount; Redis commands per job (where the cost goes). Starts its own
// redis-server (Debian's) on a random port. Run: node bench/distributed.mjs [--quick] [--json]
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Pool, task, wordCount } from '../dist/index.js';
import { bullmq } from '../dist/bullmq.js';
import { zipfTextChunks } from '../dist/data/index.js';
import { log, quick, save, summarize } from './lib/harness.mjs';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const square = task(new URL('../test/fixtures/remote-tasks.mjs', import.meta.url), 'square');
const reps = quick ? 2 : 5;
const JOBS = quick ? 500 : 3000;
const ITEMS = quick ? 100_000 : 1_000_000;
const CHUNK = 5000;
const MB = quick ? 8 : 200;
const THREADS = 1;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function ready(child, re) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (re.test(out)) resolve();
    });
    child.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}

async function medianSeconds(fn) {
  await fn(); // warm-up
  const s = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    s.push((performance.now() - t0) / 1000);
  }
  return summarize(s);
}

function zipfFile() {
  const dir = join(tmpdir(), 'poolkit-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `zipf-wamerican-${MB}MB-seed20240611.txt`);
  if (!existsSync(path)) {
    log(`generating ${path}`);
    const vocabulary = readFileSync('/usr/share/dict/american-english', 'utf8').split('\n').filter(Boolean);
    const fd = openSync(`${path}.part`, 'w');
    for (const c of zipfTextChunks({ vocabulary, bytes: MB * 1e6, seed: 20240611 })) writeSync(fd, c);
    closeSync(fd);
    renameSync(`${path}.part`, path);
  }
  return path;
}

const port = await freePort();
const url = `redis://127.0.0.1:${port}`;
const server = spawn(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
await ready(server, /Ready to accept connections/);
const redis = new Redis(url);
/** Redis commands so far (those run inside BullMQ's Lua scripts included) and scripts run (one round trip each). */
const commands = async () => {
  const stats = await redis.info('stats');
  const cmd = await redis.info('commandstats');
  const scripts = [...cmd.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  return { commands: Number(/total_commands_processed:(\d+)/.exec(stats)[1]), scripts };
};
const workers = [];
const startWorkers = async (n, queue) => {
  for (let i = 0; i < n; i++) {
    const w = spawn(
      process.execPath,
      [cli, 'worker', '--redis', url, '--queue', queue, '--threads', String(THREADS), '--concurrency', '8'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    workers.push(w);
    await ready(w, /poolkit worker: queue/);
  }
};
const stopWorkers = async () => {
  const exits = workers.splice(0).map((w) => {
    const exited = new Promise((r) => w.once('exit', r));
    w.kill('SIGTERM');
    return exited;
  });
  await Promise.all(exits);
};

const rows = [];
const row = (name, summary, units, perRun) => {
  const rate = perRun / summary.median;
  rows.push({ name, seconds: summary, rate, units });
  log(`${name.padEnd(46)} ${rate.toFixed(0).padStart(10)} ${units}   (median ${summary.median.toFixed(3)} s)`);
};
try {
  const jobItems = Array.from({ length: JOBS }, (_, i) => i);
  const mapItems = Array.from({ length: ITEMS }, (_, i) => i);
  const local = new Pool({ workers: 2 });
  row(
    'local Pool (2 threads): apply-sized tasks',
    await medianSeconds(() => local.map(square, jobItems, { chunksize: 1 })),
    'tasks/s',
    JOBS,
  );
  row(
    `local Pool (2 threads): map, chunks of ${CHUNK}`,
    await medianSeconds(() => local.map(square, mapItems, { chunksize: CHUNK })),
    'items/s',
    ITEMS,
  );
  await local.terminate();
  const perJob = {};
  for (const n of [1, 2]) {
    const queue = `bench${n}`;
    await startWorkers(n, queue);
    const pool = new Pool({ executor: bullmq({ connection: url, queue }) });
    await pool.ready();
    const c0 = await commands();
    row(
      `bullmq, ${n} worker process(es): one item per job`,
      await medianSeconds(() => pool.map(square, jobItems, { chunksize: 1 })),
      'jobs/s',
      JOBS,
    );
    const c1 = await commands();
    const runs = JOBS * (reps + 1);
    perJob[n] = { commands: (c1.commands - c0.commands) / runs, scripts: (c1.scripts - c0.scripts) / runs };
    row(
      `bullmq, ${n} worker process(es): map, chunks of ${CHUNK}`,
      await medianSeconds(() => pool.map(square, mapItems, { chunksize: CHUNK })),
      'items/s',
      ITEMS,
    );
    await pool.terminate();
    await stopWorkers();
  }
  const path = zipfFile();
  row(
    `local wordCount (2 threads), ${MB} MB`,
    await medianSeconds(() => wordCount({ path }, { threads: 2 })),
    'MB/s',
    MB,
  );
  await startWorkers(2, 'benchwc');
  const executor = bullmq({ connection: url, queue: 'benchwc' });
  row(
    `bullmq wordCount, 2 worker processes, ${MB} MB`,
    await medianSeconds(() => wordCount({ path }, { executor })),
    'MB/s',
    MB,
  );
  await executor.terminate(new Error('bench over'));
  await stopWorkers();
  for (const n of [1, 2])
    log(
      `per one-item job, ${n} worker(s): ${perJob[n].commands.toFixed(1)} Redis commands (inside BullMQ's Lua ` +
        `scripts included), ${perJob[n].scripts.toFixed(1)} scripts (a round trip each), plus batched adds and events`,
    );
  save('distributed', {
    jobs: JOBS,
    items: ITEMS,
    chunksize: CHUNK,
    megabytes: MB,
    threadsPerWorker: THREADS,
    reps,
    rows,
    redisCommandsPerJob: perJob,
  });
} finally {
  await stopWorkers();
  redis.disconnect();
  server.kill('SIGKILL');
}
