// bench/wordcount: the whole `poolkit wordcount` command (2 threads, 1 thread) against the reference tokenizer
// program, an ASCII-only [a-z]+ regex with a Map, and `LC_ALL=C tr | sort | uniq -c`, in one run on the same file:
// 200 MB (--quick: 8 MB) of Zipf-distributed words from Debian's wamerican dictionary, fixed seed, generated once and
// cached in the system temp directory. Every contender is a separate process, timed wall-clock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeSync, closeSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, table, save, summarize, quick, log, repsOr } from './lib/harness.mjs';
import { zipfTextChunks } from '../dist/data/index.js';

const DICT = '/usr/share/dict/american-english';
const MB = quick ? 8 : 200;
const SEED = 20240611;
const reps = quick ? 3 : 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');

/** Writes `bytes` of text: words drawn with Zipf weights 1/rank (s = 1) from the dictionary, 12 words per line. */
export function generateZipf(path, bytes, seed = SEED) {
  const vocabulary = readFileSync(DICT, 'utf8').split('\n').filter(Boolean);
  const tmp = `${path}.part`;
  const fd = openSync(tmp, 'w');
  for (const chunk of zipfTextChunks({ vocabulary, bytes, seed })) writeSync(fd, chunk);
  closeSync(fd);
  renameSync(tmp, path);
}

function dataFile() {
  const dir = join(tmpdir(), 'poolkit-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `zipf-wamerican-${MB}MB-seed${SEED}.txt`);
  if (!existsSync(path)) {
    log(`generating ${path}`);
    generateZipf(path, MB * 1e6);
  }
  return path;
}

const file = dataFile();
if (process.argv.includes('--generate-only')) {
  console.log(file);
  process.exit(0);
}
const bytes = statSync(file).size;
const node = process.execPath;

// The reference tokenizer (docs/ARCHITECTURE.md), as a stand-alone script over the whole file.
const REFERENCE = `
const bytes = require('fs').readFileSync(process.argv[1]);
const words = new TextDecoder().decode(bytes).match(/[\\p{L}\\p{M}\\p{N}]+/gu)?.map(w => w.toLowerCase()) ?? [];
const m = new Map(); for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
const top = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 20);
console.log(JSON.stringify({ total: words.length, unique: m.size, top }));`;

// ASCII-only: [a-z]+ with an exec loop over lower-cased text and a Map, streamed in 4 MB chunks cut at a newline.
const ASCII = `
const fs = require('fs'); const fd = fs.openSync(process.argv[1], 'r'); const buf = Buffer.alloc(1 << 22);
const m = new Map(); let carry = '', total = 0, n;
const count = (t) => { const re = /[a-z]+/g; let x; while ((x = re.exec(t))) { const w = x[0]; m.set(w, (m.get(w) ?? 0) + 1); total++; } };
while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
  const s = carry + buf.toString('latin1', 0, n).toLowerCase(); const cut = s.lastIndexOf('\\n') + 1;
  count(s.slice(0, cut)); carry = s.slice(cut);
}
count(carry);
const top = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20);
console.log(JSON.stringify({ total, unique: m.size, top }));`;

// Every contender runs with NODE_EXTRA_CA_CERTS cleared: where it is set (this sandbox sets it for its npm proxy),
// Node 20 parses the certificates at every start, about 45 ms here, before any script runs. No contender uses TLS.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function runProcess(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${(r.stderr || '').slice(0, 300)}`);
  return r.stdout;
}

const results = {};
// Two groups, each interleaved: poolkit's commands (under a second each), then the peers (seconds each). The reference
// takes gigabytes of heap; a short run right after one is slowed by the kernel reclaiming that memory.
const poolkit = [
  {
    name: 'poolkit wordcount --threads 2',
    run: () =>
      (results.t2 = JSON.parse(runProcess(node, [cli, 'wordcount', file, '--threads', '2', '--json']))) && undefined,
  },
  {
    name: 'poolkit wordcount --threads 1',
    run: () =>
      (results.t1 = JSON.parse(runProcess(node, [cli, 'wordcount', file, '--threads', '1', '--json']))) && undefined,
  },
];
const peers = [
  {
    name: 'reference tokenizer',
    run: () =>
      (results.ref = JSON.parse(runProcess(node, ['--max-old-space-size=8192', '-e', REFERENCE, file]))) && undefined,
  },
  { name: 'ASCII [a-z]+ regex + Map', run: () => void runProcess(node, ['-e', ASCII, file]) },
  {
    name: 'LC_ALL=C tr | sort | uniq -c',
    run: () =>
      void runProcess(
        'sh',
        ['-c', 'tr -cs "A-Za-z" "\\n" < "$1" | tr "A-Z" "a-z" | sort | uniq -c > /dev/null', 'sh', file],
        { env: { ...env, LC_ALL: 'C' } },
      ),
  },
];

// The floor every Node contender pays: starting Node and exiting.
const startup = await compare([{ name: 'node -e 0', run: () => void runProcess(node, ['-e', '0']) }], {
  reps: 5,
  warmup: 1,
});
log(`Node start-up and exit: ${(startup[0].median * 1000).toFixed(0)} ms (median)`);
log(
  `wordcount: ${(bytes / 1e6).toFixed(0)} MB of Zipf words (${file}); poolkit ${repsOr(reps + 2)}, peers ${repsOr(reps)} interleaved reps after a warm-up`,
);
const own = await compare(poolkit, { reps: reps + 2, warmup: 1 });

// The same counts through the API in this process, pool started: the engine without Node's and the workers' start.
const { wordCount } = await import('../dist/index.js');
const api = await compare(
  [1, 2].map((threads) => ({
    name: `wordCount({ path }, { threads: ${threads} })`,
    run: async () => void (await wordCount({ path: file }, { threads })).top(20),
  })),
  { reps: reps + 2, warmup: 1 },
);
const measured = [...own, ...(await compare(peers, { reps, warmup: 1 }))];

if (results.t2 && results.ref) {
  const same =
    results.t2.total === results.ref.total &&
    results.t2.unique === results.ref.unique &&
    JSON.stringify(results.t2.top) === JSON.stringify(results.ref.top);
  log(`poolkit agrees with the reference: ${same} (total ${results.t2.total}, unique ${results.t2.unique})`);
  if (!same) process.exitCode = 1;
}

/** 2 threads against 1: ratio of medians, and the median of per-round ratios (adjacent runs: cancels slow drifts). */
function scaling(results, two, one) {
  const t2 = results.find((r) => r.name === two);
  const t1 = results.find((r) => r.name === one);
  if (!t1 || !t2) return null;
  return { ofMedians: t1.median / t2.median, perRound: summarize(t1.samples.map((s, i) => s / t2.samples[i])).median };
}
const mbps = (_r, s) => bytes / 1e6 / s;
const t = table(`Word count: ${(bytes / 1e6).toFixed(0)} MB Zipf text, whole commands`, measured, {
  baseline: 'reference tokenizer',
  label: 'MB/s',
  metric: mbps,
});
const whole = scaling(measured, 'poolkit wordcount --threads 2', 'poolkit wordcount --threads 1');
if (whole)
  log(
    `whole command, 2 threads vs 1: ${whole.ofMedians.toFixed(2)}× (ratio of medians), ${whole.perRound.toFixed(2)}× (per round)`,
  );
const a = table(`Word count: ${(bytes / 1e6).toFixed(0)} MB, in process (pool started)`, api, {
  baseline: 'wordCount({ path }, { threads: 1 })',
  label: 'MB/s',
  metric: mbps,
});
const engine = scaling(api, 'wordCount({ path }, { threads: 2 })', 'wordCount({ path }, { threads: 1 })');
if (engine)
  log(
    `in process, 2 threads vs 1: ${engine.ofMedians.toFixed(2)}× (ratio of medians), ${engine.perRound.toFixed(2)}× (per round)`,
  );
save('wordcount', {
  bytes,
  file,
  seed: SEED,
  nodeStartupSeconds: startup[0].median,
  cases: [t, a],
  scaling2v1: { wholeCommand: whole, inProcess: engine },
});
