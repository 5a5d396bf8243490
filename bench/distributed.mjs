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
import { compare, log, quick, save, table } from './lib/harness.mjs';

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

const pools = [];
const local = new Pool({ workers: 2 });
const jobItems = Array.from({ length: JOBS }, (_, i) => i);
const mapItems = Array.from({ length: ITEMS }, (_, i) => i);
let redisCost;
try {
  // Both worker sets run for the whole bench (idle workers only wait on Redis), so the contenders interleave.
  await startWorkers(1, 'one');
  await startWorkers(2, 'two');
  const one = new Pool({ executor: bullmq({ connection: url, queue: 'one' }) });
  const two = new Pool({ executor: bullmq({ connection: url, queue: 'two' }) });
  pools.push(one, two);
  await Promise.all([one.ready(), two.ready()]);
  const contenders = (chunksize, items) => [
    { name: 'local Pool, 2 threads', run: () => local.map(square, items, { chunksize }) },
    { name: 'bullmq, 1 worker process', run: () => one.map(square, items, { chunksize }) },
    { name: 'bullmq, 2 worker processes', run: () => two.map(square, items, { chunksize }) },
  ];
  const per = (n) => (_r, seconds) => n / seconds;
  const jobs = table(
    `Jobs per second: map of ${JOBS} items, chunksize 1 (one job each; ${THREADS} thread per worker process)`,
    await compare(contenders(1, jobItems), { reps }),
    { baseline: 'local Pool, 2 threads', metric: per(JOBS), label: 'jobs/s' },
  );
  const items = table(
    `map throughput: ${ITEMS} items, chunksize ${CHUNK} (${ITEMS / CHUNK} jobs)`,
    await compare(contenders(CHUNK, mapItems), { reps }),
    { baseline: 'local Pool, 2 threads', metric: per(ITEMS), label: 'items/s' },
  );
  const path = zipfFile();
  const executor = bullmq({ connection: url, queue: 'two' });
  const words = table(
    `Word count: ${MB} MB of Zipf words (wamerican, seed 20240611), 16 MiB splits, 2 partitions`,
    await compare(
      [
        { name: 'local wordCount, 2 threads', run: () => wordCount({ path }, { threads: 2 }) },
        { name: 'bullmq wordCount, 2 worker processes', run: () => wordCount({ path }, { executor }) },
      ],
      { reps },
    ),
    { baseline: 'local wordCount, 2 threads', metric: per(MB), label: 'MB/s' },
  );
  await executor.terminate(new Error('bench over'));
  // Where the cost goes: Redis work per one-item job, over one more map of JOBS jobs.
  const c0 = await commands();
  await one.map(square, jobItems, { chunksize: 1 });
  const c1 = await commands();
  redisCost = { commandsPerJob: (c1.commands - c0.commands) / JOBS, scriptsPerJob: (c1.scripts - c0.scripts) / JOBS };
  log(
    `per one-item job: ${redisCost.commandsPerJob.toFixed(1)} Redis commands (those inside BullMQ's Lua scripts ` +
      `included), ${redisCost.scriptsPerJob.toFixed(1)} scripts (a round trip each), plus pipelined adds and events`,
  );
  save('distributed', {
    jobs: JOBS,
    items: ITEMS,
    chunksize: CHUNK,
    megabytes: MB,
    threadsPerWorker: THREADS,
    tables: [jobs, items, words],
    redisCost,
  });
} finally {
  await Promise.all(pools.map((p) => p.terminate()));
  await local.terminate();
  await stopWorkers();
  redis.disconnect();
  server.kill('SIGKILL');
}
