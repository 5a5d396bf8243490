// Benchmark harness shared by bench/*.mjs: interleaved repetitions after a warm-up, median/min/max, ratios to a
// named peer, a readable table on stdout, and JSON with machine info in bench/results/.
// Flags every suite takes: --quick, --json, --reps N. Run by `poolkit bench`, a suite also writes one JSON event per
// line to the file descriptor in POOLKIT_BENCH_EVENTS_FD (what runs, each repetition, skips, log lines), from which
// the command draws its progress display; its own log lines then go there instead of stderr.
import { writeFileSync, writeSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
export const args = new Set(argv);
export const quick = args.has('--quick');
export const jsonOut = args.has('--json');
const repsFlag = argv.includes('--reps') ? Number(argv[argv.indexOf('--reps') + 1]) : undefined;
if (repsFlag !== undefined && !(Number.isInteger(repsFlag) && repsFlag >= 1)) {
  process.stderr.write(`--reps: expected an integer ≥ 1, got '${argv[argv.indexOf('--reps') + 1] ?? ''}'\n`);
  process.exit(2);
}

/** Timed repetitions: `--reps N` when given, else the suite's own `fallback`. */
export const repsOr = (fallback) => repsFlag ?? fallback;

const eventsFd = process.env.POOLKIT_BENCH_EVENTS_FD ? Number(process.env.POOLKIT_BENCH_EVENTS_FD) : null;
/** One event for `poolkit bench` (synchronous, so none is lost when a suite ends with process.exit). */
export const emit = (event) => {
  if (eventsFd !== null) writeSync(eventsFd, `${JSON.stringify(event)}\n`);
};

/** Progress lines go to stderr (or to `poolkit bench` as events) so `--json` stdout stays one JSON document. */
export const log = (s) => (eventsFd !== null ? emit({ event: 'log', text: s }) : process.stderr.write(`${s}\n`));

/** A contender that cannot run here (a peer not installed, a flag leaving it out), listed with the reason. */
export const unavailable = (name, reason) => ({
  name,
  prepare() {
    throw new Error(reason);
  },
});

/**
 * Runs every contender `reps` times (`--reps N` overrides), interleaved (round r runs each contender once, in rotated
 * order), after `warmup` untimed rounds. A contender's `run()` returns its own measured seconds or nothing (then wall
 * time is used); it may return { seconds, ...extra }. `prepare()` / `dispose()` run once around the measurements.
 * The result lists the measured contenders; `result.skipped` the others ({ name, reason }), which `table` shows.
 */
export async function compare(contenders, { reps: suiteReps = 5, warmup = 1 } = {}) {
  const reps = repsOr(suiteReps);
  const live = [];
  const skipped = [];
  for (const c of contenders) {
    try {
      await c.prepare?.();
      live.push({ ...c, samples: [], extra: {} });
    } catch (e) {
      skipped.push({ name: c.name, reason: e.message });
      emit({ event: 'skip', name: c.name, reason: e.message });
      log(`  skip ${c.name}: ${e.message}`);
    }
  }
  emit({ event: 'group', names: live.map((c) => c.name), reps, warmup });
  for (let round = -warmup; round < reps; round++) {
    for (let i = 0; i < live.length; i++) {
      const c = live[(i + Math.max(round, 0)) % live.length];
      if (c.failed) continue;
      emit({ event: 'run', name: c.name, rep: round + 1, reps, warmup: round < 0 });
      const t0 = process.hrtime.bigint();
      let r;
      try {
        r = await c.run();
      } catch (e) {
        c.failed = e.message;
        skipped.push({ name: c.name, reason: `failed: ${e.message}` });
        emit({ event: 'failed', name: c.name, reason: e.message });
        log(`  ${c.name} failed: ${e.message}`);
        continue;
      }
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // Only a plain { seconds, ...extra } record reports; anything else a run returns (a result array) is ignored.
      const record =
        r !== null && typeof r === 'object' && Object.getPrototypeOf(r) === Object.prototype ? r : undefined;
      const seconds = typeof r === 'number' ? r : typeof record?.seconds === 'number' ? record.seconds : wall;
      if (record) Object.assign(c.extra, record);
      if (round >= 0) c.samples.push(seconds);
      emit({ event: 'ran', name: c.name, rep: round + 1, reps, warmup: round < 0, seconds });
    }
    if (round >= 0) log(`  round ${round + 1}/${reps} done`);
  }
  for (const c of live) await c.dispose?.();
  const measured = live
    .filter((c) => c.samples.length)
    .map((c) => ({ name: c.name, work: c.work, unit: c.unit, ...summarize(c.samples), extra: c.extra }));
  for (const r of measured) emit({ event: 'done', name: r.name, median: r.median, min: r.min, max: r.max });
  return Object.assign(measured, { skipped });
}

export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { samples, median, min: s[0], max: s[s.length - 1] };
}

/**
 * Prints a table of one case. `rate(r)` turns a result into [value, unitLabel] (e.g. tasks/s), higher is better
 * when `higherIsBetter`; ratios are to the contender named `baseline`.
 */
export function table(title, results, { baseline, metric, label, higherIsBetter = true }) {
  const base = results.find((r) => r.name === baseline);
  const rows = results.map((r) => {
    const med = metric(r, r.median);
    const best = metric(r, higherIsBetter ? r.min : r.min);
    const worst = metric(r, r.max);
    const ratio = base ? (higherIsBetter ? med / metric(base, base.median) : metric(base, base.median) / med) : NaN;
    return {
      name: r.name,
      median: med,
      min: Math.min(best, worst),
      max: Math.max(best, worst),
      ratio,
      seconds: r.samples,
    };
  });
  const fmt = (x) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
  const lines = [
    `\n${title}`,
    `${'contender'.padEnd(34)} ${`median ${label}`.padStart(20)} ${'min'.padStart(12)} ${'max'.padStart(12)} ${`vs ${baseline ?? '-'}`.padStart(16)}`,
  ];
  for (const r of rows)
    lines.push(
      `${r.name.padEnd(34)} ${fmt(r.median).padStart(20)} ${fmt(r.min).padStart(12)} ${fmt(r.max).padStart(12)} ${(Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '-').padStart(16)}`,
    );
  const skipped = results.skipped ?? [];
  for (const s of skipped) lines.push(`${s.name.padEnd(34)} skipped: ${s.reason}`);
  // Under `poolkit bench` (events on), the command prints the tables itself.
  if (!jsonOut) console.log(lines.join('\n'));
  else if (eventsFd === null) log(lines.join('\n'));
  emit({ event: 'table', title });
  return { title, unit: label, baseline, higherIsBetter, rows, skipped };
}

export function machine() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/**
 * Writes bench/results/<name>.json (latest run; <name>-quick.json with --quick; nothing with --reps, whose runs are
 * not the suite's protocol) and prints the JSON to stdout with --json.
 */
export function save(name, payload) {
  const doc = { benchmark: name, quick, reps: repsFlag ?? null, machine: machine(), ...payload };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  if (repsFlag === undefined)
    writeFileSync(`${dir}${name}${quick ? '-quick' : ''}.json`, `${JSON.stringify(doc, null, 2)}\n`);
  if (jsonOut) console.log(JSON.stringify(doc));
  return doc;
}
