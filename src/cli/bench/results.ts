/**
 * The shape of benchmark results: each suite (bench/*.mjs) reports tables of cases (one row per contender, median,
 * min and max in the case's unit, ratio to a named peer), and `poolkit bench` gathers them into one results file.
 */
import type { MachineInfo } from '../machine.js';

export interface BenchRow {
  name: string;
  median: number;
  min: number;
  max: number;
  /** To the baseline, > 1 when this row is better (faster, more per second). */
  ratio: number | null;
  /** Raw seconds per repetition. */
  seconds?: number[];
}

export interface BenchTable {
  suite: string;
  title: string;
  unit: string;
  baseline: string | null;
  higherIsBetter: boolean;
  rows: BenchRow[];
  skipped: { name: string; reason: string }[];
}

/** One suite of a run: measured, or skipped with the reason (a missing requirement, a suite not built yet). */
export interface SuiteOutcome {
  suite: string;
  status: 'ok' | 'skipped' | 'failed';
  reason: string | null;
  /** The suite's own document (bench/results/ shape), when it ran. */
  document: Record<string, unknown> | null;
}

/** What `--out DIR` writes as results.json, and what `--json` prints. */
export interface ResultsFile {
  poolkit: string;
  /** The exact command that reproduces the run. */
  command: string;
  date: string;
  machine: MachineInfo;
  suites: SuiteOutcome[];
  tables: BenchTable[];
}

/**
 * Every table in a suite's document, wherever the suite put it (any object with a `title` and `rows`); this also
 * reads the documents kept in bench/results/.
 */
export function collectTables(suite: string, doc: unknown): BenchTable[] {
  const found: BenchTable[] = [];
  const visit = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.title === 'string' && Array.isArray(o.rows)) {
        found.push({
          suite,
          title: o.title,
          unit: String(o.unit ?? ''),
          baseline: typeof o.baseline === 'string' ? o.baseline : null,
          higherIsBetter: o.higherIsBetter !== false,
          rows: (o.rows as BenchRow[]).map((r) => ({
            ...r,
            ratio: typeof r.ratio === 'number' && Number.isFinite(r.ratio) ? r.ratio : null,
          })),
          skipped: Array.isArray(o.skipped) ? (o.skipped as BenchTable['skipped']) : [],
        });
      } else Object.values(o).forEach(visit);
    }
  };
  visit(doc);
  return found;
}

/** A number as the tables show it: 3 significant digits, thousands separated from 1000 up. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

/** A table as text for stdout. */
export function formatTable(t: BenchTable): string {
  const vs = `vs ${t.baseline ?? '-'}`;
  const head = ['contender', `median ${t.unit}`, 'min', 'max', vs];
  const body = t.rows.map((r) => [
    r.name,
    formatValue(r.median),
    formatValue(r.min),
    formatValue(r.max),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`,
  ]);
  const width = (i: number) => Math.max(head[i]!.length, ...body.map((r) => r[i]!.length));
  const widths = head.map((_, i) => width(i));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('  ');
  const direction = /is better/.test(t.title) ? '' : ` (${t.higherIsBetter ? 'higher' : 'lower'} is better)`;
  const lines = [`${t.title}${direction}`, line(head), ...body.map(line)];
  for (const s of t.skipped) lines.push(`${s.name.padEnd(widths[0]!)}  skipped: ${s.reason}`);
  return lines.join('\n');
}
