/**
 * `poolkit bench compare A.json B.json`: each case's ratio between two saved runs (results.json from `--out`, the
 * output of `--json`, or a suite's file in bench/results/), with a note when the machines differ.
 */
import { readFile } from 'node:fs/promises';
import { runCommand, type CommandSpec } from '../args.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';
import { collectTables, formatValue, type BenchTable } from './results.js';

export const compareSpec: CommandSpec = {
  name: 'bench compare',
  summary: 'the ratio of each case between two saved runs (B against A), to see what a change did',
  positionals: ['A.json', 'B.json'],
  options: {
    json: { type: 'boolean', help: 'print the comparison as JSON' },
  },
  details:
    'A and B: results.json from poolkit bench --out DIR, the output of poolkit bench --json, or bench/results/*.json.\nA ratio above 1 means B is better (faster, or more per second).',
};

interface Loaded {
  file: string;
  tables: BenchTable[];
  machine: Record<string, unknown>;
}

async function load(file: string, argument: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
      argument,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${(e as Error).message})`, argument);
  }
  const suite = typeof doc.benchmark === 'string' ? doc.benchmark : '';
  const tables = Array.isArray(doc.tables) ? (doc.tables as BenchTable[]) : collectTables(suite, doc);
  if (!tables.length)
    throw new UsageError(
      `${file} holds no benchmark cases; expected results.json from poolkit bench --out, or --json output`,
      argument,
    );
  return { file, tables, machine: (doc.machine ?? {}) as Record<string, unknown> };
}

/** Machine fields that make two runs incomparable when they differ. */
const MACHINE_KEYS = ['node', 'cpu', 'cores', 'cpus', 'memoryGiB', 'platform'];

export interface CaseComparison {
  title: string;
  unit: string;
  higherIsBetter: boolean;
  rows: { name: string; a: number; b: number; ratio: number }[];
  onlyIn: { name: string; side: 'A' | 'B' }[];
}

export function compareTables(
  a: BenchTable[],
  b: BenchTable[],
): { cases: CaseComparison[]; onlyA: string[]; onlyB: string[] } {
  const key = (t: BenchTable) => `${t.suite}\u0000${t.title}`;
  const bByKey = new Map(b.map((t) => [key(t), t]));
  const cases: CaseComparison[] = [];
  for (const ta of a) {
    const tb = bByKey.get(key(ta)) ?? b.find((t) => t.title === ta.title);
    if (!tb) continue;
    const rowsB = new Map(tb.rows.map((r) => [r.name, r]));
    const rows = ta.rows
      .filter((r) => rowsB.has(r.name))
      .map((r) => {
        const other = rowsB.get(r.name)!;
        return {
          name: r.name,
          a: r.median,
          b: other.median,
          ratio: ta.higherIsBetter ? other.median / r.median : r.median / other.median,
        };
      });
    const onlyIn = [
      ...ta.rows.filter((r) => !rowsB.has(r.name)).map((r) => ({ name: r.name, side: 'A' as const })),
      ...tb.rows
        .filter((r) => !ta.rows.some((x) => x.name === r.name))
        .map((r) => ({ name: r.name, side: 'B' as const })),
    ];
    cases.push({ title: ta.title, unit: ta.unit, higherIsBetter: ta.higherIsBetter, rows, onlyIn });
  }
  const titles = new Set(cases.map((c) => c.title));
  return {
    cases,
    onlyA: a.filter((t) => !titles.has(t.title)).map((t) => t.title),
    onlyB: b.filter((t) => !titles.has(t.title)).map((t) => t.title),
  };
}

function machineDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return MACHINE_KEYS.filter((k) => k in a && k in b && JSON.stringify(a[k]) !== JSON.stringify(b[k])).map(
    (k) => `${k} ${String(a[k])} vs ${String(b[k])}`,
  );
}

export function compareCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(compareSpec, argv, io, async ({ values, positionals }) => {
    // Both files are read at once, but a bad A.json is reported before a bad B.json, whichever read fails first.
    const settled = await Promise.allSettled([load(positionals[0]!, 'A.json'), load(positionals[1]!, 'B.json')]);
    const [a, b] = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const result = compareTables(a.tables, b.tables);
    const differs = machineDifferences(a.machine, b.machine);
    if (!result.cases.length)
      throw new UsageError(
        `no case in common between ${a.file} and ${b.file} (different suites or sizes, e.g. --quick against a full run)`,
      );
    if (values.json) {
      io.stdout(JSON.stringify({ a: a.file, b: b.file, machineDiffers: differs, ...result }));
      return 0;
    }
    const lines = [`B against A: A = ${a.file}, B = ${b.file}; ratio > 1: B is better`];
    if (differs.length)
      lines.push(`note: the machines differ (${differs.join('; ')}): ratios mix the change with the machine`);
    for (const c of result.cases) {
      const width = Math.max(9, ...c.rows.map((r) => r.name.length), ...c.onlyIn.map((r) => r.name.length));
      lines.push('', `${c.title} (${c.unit}, ${c.higherIsBetter ? 'higher' : 'lower'} is better)`);
      lines.push(`${'contender'.padEnd(width)}  ${'A'.padStart(10)}  ${'B'.padStart(10)}  ${'B vs A'.padStart(8)}`);
      for (const r of c.rows) {
        const verdict = Math.abs(r.ratio - 1) < 0.02 ? 'same' : r.ratio > 1 ? 'better' : 'worse';
        lines.push(
          `${r.name.padEnd(width)}  ${formatValue(r.a).padStart(10)}  ${formatValue(r.b).padStart(10)}  ${`${r.ratio.toFixed(2)}×`.padStart(8)}  ${verdict}`,
        );
      }
      for (const r of c.onlyIn) lines.push(`${r.name.padEnd(width)}  only in ${r.side}`);
    }
    for (const t of result.onlyA) lines.push('', `only in A: ${t}`);
    for (const t of result.onlyB) lines.push('', `only in B: ${t}`);
    io.stdout(lines.join('\n'));
    return 0;
  });
}
