// Benchmark harness shared by bench/*.mjs: interleaved repetitions after a warm-up, median/min/max, ratios to a
// named peer, a readable table on stdout, and JSON with machine info in bench/results/.
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const args = new Set(process.argv.slice(2));
export const quick = args.has('--quick');
export const jsonOut = args.has('--json');

/** Progress lines go to stderr so `--json` stdout stays one JSON document. */
export const log = (s) => process.stderr.write(`${s}\n`);

/**
 * Runs every contender `reps` times, interleaved (round r runs each contender once, in rotated order), after `warmup`
 * untimed rounds. A contender's `run()` returns its own measured seconds or nothing (then wall time is used); it may
 * return { seconds, ...extra }. `prepare()` / `dispose()` run once around the measurements.
 */
export async function compare(contenders, { reps = 5, warmup = 1 } = {}) {
  const live = [];
  for (const c of contenders) {
    try {
      await c.prepare?.();
      live.push({ ...c, samples: [], extra: {} });
    } catch (e) {
      log(`  skip ${c.name}: ${e.message}`);
    }
  }
  for (let round = -warmup; round < reps; round++) {
    for (let i = 0; i < live.length; i++) {
      const c = live[(i + Math.max(round, 0)) % live.length];
      if (c.failed) continue;
      const t0 = process.hrtime.bigint();
      let r;
      try {
        r = await c.run();
      } catch (e) {
        c.failed = e.message;
        log(`  ${c.name} failed: ${e.message}`);
        continue;
      }
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // Only a plain { seconds, ...extra } record reports; anything else a run returns (a result array) is ignored.
      const record = r !== null && typeof r === 'object' && Object.getPrototypeOf(r) === Object.prototype ? r : undefined;
      const seconds = typeof r === 'number' ? r : typeof record?.seconds === 'number' ? record.seconds : wall;
      if (record) Object.assign(c.extra, record);
      if (round >= 0) c.samples.push(seconds);
    }
    if (round >= 0) log(`  round ${round + 1}/${reps} done`);
  }
  for (const c of live) await c.dispose?.();
  return live.filter((c) => c.samples.length).map((c) => ({ name: c.name, work: c.work, unit: c.unit, ...summarize(c.samples), extra: c.extra }));
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
    return { name: r.name, median: med, min: Math.min(best, worst), max: Math.max(best, worst), ratio, seconds: r.samples };
  });
  const fmt = (x) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
  const lines = [`\n${title}`, `${'contender'.padEnd(34)} ${`median ${label}`.padStart(20)} ${'min'.padStart(12)} ${'max'.padStart(12)} ${`vs ${baseline ?? '-'}`.padStart(16)}`];
  for (const r of rows) lines.push(`${r.name.padEnd(34)} ${fmt(r.median).padStart(20)} ${fmt(r.min).padStart(12)} ${fmt(r.max).padStart(12)} ${(Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '-').padStart(16)}`);
  if (!jsonOut) console.log(lines.join('\n'));
  else log(lines.join('\n'));
  return { title, unit: label, baseline, higherIsBetter, rows };
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

/** Writes bench/results/<name>.json (latest run) and prints the JSON to stdout with --json. */
export function save(name, payload) {
  const doc = { benchmark: name, quick, machine: machine(), ...payload };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${name}${quick ? '-quick' : ''}.json`, `${JSON.stringify(doc, null, 2)}\n`);
  if (jsonOut) console.log(JSON.stringify(doc));
  return doc;
}
