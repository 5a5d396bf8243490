#!/usr/bin/env node
/** The `poolkit` command: dispatches to one module per sub-command. */
import '../index.js';
import type { Io } from './io.js';

const USAGE = `usage: poolkit <command> [options]

commands:
  demo                         the main job on built-in data (k-means and word count)
  kmeans FILE --k K [...]      k-means on a .csv or .npy file
  wordcount FILE [...]         word counts of a text file
  bench <pool|kmeans|wordcount|all|kmeans-gpu> [--json] [--quick]
`;


type Command = (argv: string[], io: Io) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./demo.js')).demoCommand,
  kmeans: async () => (await import('./kmeans.js' as string) as { kmeansCommand: Command }).kmeansCommand,
  wordcount: async () => (await import('./wordcount.js' as string) as { wordcountCommand: Command }).wordcountCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
};

async function main(argv: string[]): Promise<number> {
  const io: Io = { stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`), stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`) };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`poolkit: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    process.stderr.write(`poolkit: ${e.message}\n`);
    process.exitCode = (e as { code?: string }).code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  },
);
