/**
 * `poolkit wordcount FILE [--top N|all] [--threads T] [--backend B] [--json]`.
 * Prints the top words (default 20) as a table, or one JSON object `{total, unique, bytes, seconds, top}` with
 * `--json`. Exit 0 on success, 2 with a one-line message for bad arguments or bad input.
 */
import { wordCount } from '../wordcount/wordcount.js';
import { choiceArg, integerArg, runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';

export const wordcountSpec: CommandSpec = {
  name: 'wordcount',
  summary: 'word counts of a text file (UTF-8; words are runs of letters, marks and digits, lower-cased)',
  positionals: ['FILE'],
  options: {
    top: { type: 'string', value: 'N|all', help: 'how many words to print (default 20)' },
    threads: { type: 'string', value: 'T', help: 'threads counting (default: the cores)' },
    backend: { type: 'string', value: 'B', help: 'auto (default), js or wasm' },
    json: { type: 'boolean', help: 'print {total, unique, bytes, seconds, top: [[word, count], ...]}' },
  },
};

/** Runs `poolkit wordcount`; resolves with the exit code. */
export function wordcountCommand(argv: readonly string[], io: Io): Promise<number> {
  const t0 = performance.now();
  return runCommand(wordcountSpec, argv, io, async ({ values, positionals }) => {
    const file = positionals[0]!;
    const topArg = values.top as string | undefined;
    const opts = {
      top: topArg === undefined ? 20 : topArg === 'all' ? Infinity : integerArg(topArg, '--top', 0, "or 'all'"),
      threads: values.threads === undefined ? undefined : integerArg(values.threads as string, '--threads', 1),
      backend: choiceArg((values.backend as string | undefined) ?? 'auto', '--backend', [
        'auto',
        'js',
        'wasm',
      ] as const),
      json: values.json === true,
    };
    return run(file, opts, t0, io);
  });
}

async function run(
  file: string,
  opts: { top: number; threads: number | undefined; backend: 'auto' | 'js' | 'wasm'; json: boolean },
  t0: number,
  io: Io,
): Promise<number> {
  const result = await wordCount({ path: file }, { threads: opts.threads, backend: opts.backend });
  const top = result.top(opts.top);
  const seconds = (performance.now() - t0) / 1000;
  if (opts.json) {
    io.stdout(
      JSON.stringify({
        total: result.total,
        unique: result.unique,
        bytes: result.bytes,
        seconds: +seconds.toFixed(4),
        top,
      }),
    );
    return 0;
  }
  const width = Math.max(5, ...top.map(([, c]) => String(c).length));
  const lines = [`${'count'.padStart(width)}  word`, ...top.map(([w, c]) => `${String(c).padStart(width)}  ${w}`)];
  const mb = result.bytes / 1e6;
  lines.push(
    `${result.total} words, ${result.unique} unique, ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s (${(mb / seconds).toFixed(0)} MB/s, ${result.backend}, ${result.threads} thread${result.threads === 1 ? '' : 's'})`,
  );
  io.stdout(lines.join('\n'));
  return 0;
}
