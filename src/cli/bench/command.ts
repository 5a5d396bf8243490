/**
 * `poolkit bench <pool|kmeans|wordcount|toolbox|all> [--quick] [--json] [--out DIR] [--reps N]`: poolkit and every
 * available peer side by side (the suites in bench/), progress on stderr, the tables (or JSON) on stdout, and with
 * `--out DIR` results.json and report.html. `poolkit bench compare A.json B.json` compares two saved runs.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { choiceArg, integerArg, runCommand, type CommandSpec } from '../args.js';
import type { Io } from '../io.js';
import { probeMachine } from '../machine.js';
import { packageVersion } from '../package-root.js';
import { UsageError } from '../usage-error.js';
import { compareCommand } from './compare.js';
import { createProgress } from './progress.js';
import { reportHtml } from './report-html.js';
import { collectTables, formatTable, type BenchTable, type ResultsFile, type SuiteOutcome } from './results.js';
import { EXTRA_SUITES, SUITES, runSuite, suiteUnavailable, type SuiteName } from './suites.js';

export const benchSpec: CommandSpec = {
  name: 'bench',
  summary: 'poolkit and its peers side by side: pool, kmeans, wordcount, toolbox, all; bench compare A.json B.json',
  positionals: ['SUITE'],
  options: {
    quick: { type: 'boolean', help: 'small sizes: a smoke run of the same cases' },
    reps: { type: 'string', value: 'N', help: 'timed repetitions per contender (default 5, --quick 3)' },
    json: { type: 'boolean', help: 'print the results as JSON instead of tables' },
    out: { type: 'string', value: 'DIR', help: 'write DIR/results.json and DIR/report.html (charts, tables, machine)' },
    fast: { type: 'boolean', help: 'kmeans: leave out the slow js and ml-kmeans contenders' },
    large: { type: 'boolean', help: 'kmeans-gpu: add the large cases (for a hardware GPU)' },
  },
  details: [
    `SUITE: ${[...SUITES, 'all'].join(', ')} (all runs ${SUITES.join(', ')}); ${EXTRA_SUITES.join(', ')} by name only.`,
    'Every contender runs in one run on the same data, interleaved, after a warm-up; a missing peer is listed as skipped.',
    'Progress goes to stderr (bars on a terminal, one line per finished contender otherwise); stdout holds only the result.',
    '',
    'poolkit bench compare A.json B.json [--json]: the ratio of each case between two saved runs.',
    '',
    'examples:',
    '  poolkit bench pool --quick',
    '  poolkit bench all --out bench-report && open bench-report/report.html',
  ].join('\n'),
};

/** The argument list as a shell command line (quoted where needed). */
function commandLine(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['poolkit', 'bench', ...argv].map(quote).join(' ');
}

async function prepareOut(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new UsageError(`${dir} exists and is not a directory`, '--out');
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${(e as Error).message}`, '--out');
  }
}

export function benchCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'compare') return compareCommand(argv.slice(1), io);
  return runCommand(benchSpec, argv, io, async ({ values, positionals }) => {
    const which = choiceArg(positionals[0]!, 'SUITE', [...SUITES, ...EXTRA_SUITES, 'all']);
    const reps = values.reps === undefined ? undefined : integerArg(values.reps as string, '--reps', 1);
    const out = values.out as string | undefined;
    const suites: SuiteName[] = which === 'all' ? [...SUITES] : [which as SuiteName];
    if (which !== 'all') {
      const why = suiteUnavailable(which as SuiteName);
      if (why) throw new UsageError(why, which);
    }
    if (out !== undefined) await prepareOut(out);
    const flags = [
      ...(values.quick ? ['--quick'] : []),
      ...(reps === undefined ? [] : ['--reps', String(reps)]),
      ...(values.fast ? ['--fast'] : []),
      ...(values.large ? ['--large'] : []),
    ];

    const machine = await probeMachine();
    const progress = createProgress(io);
    const outcomes: SuiteOutcome[] = [];
    const tables: BenchTable[] = [];
    try {
      for (const suite of suites) {
        const why = suiteUnavailable(suite);
        if (why) {
          progress.note(`bench ${suite}: skipped: ${why}`);
          outcomes.push({ suite, status: 'skipped', reason: why, document: null });
          continue;
        }
        try {
          const document = await runSuite(suite, flags, (e) => progress.event(suite, e));
          outcomes.push({ suite, status: 'ok', reason: null, document });
          tables.push(...collectTables(suite, document));
        } catch (e) {
          progress.note(`bench ${suite}: failed: ${(e as Error).message}`);
          outcomes.push({ suite, status: 'failed', reason: (e as Error).message, document: null });
        }
      }
    } finally {
      progress.end();
    }

    const results: ResultsFile = {
      poolkit: packageVersion(),
      command: commandLine(argv),
      date: new Date().toISOString(),
      machine,
      suites: outcomes,
      tables,
    };
    if (values.json) io.stdout(JSON.stringify(results));
    else {
      const notRun = outcomes.filter((o) => o.status !== 'ok').map((o) => `bench ${o.suite}: ${o.status}: ${o.reason}`);
      io.stdout([...tables.map(formatTable), ...(notRun.length ? [notRun.join('\n')] : [])].join('\n\n'));
    }
    if (out !== undefined) {
      await writeFile(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      await writeFile(join(out, 'report.html'), reportHtml(results));
      io.stderr(`bench: wrote ${join(out, 'results.json')} and ${join(out, 'report.html')}`);
    }
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  });
}
