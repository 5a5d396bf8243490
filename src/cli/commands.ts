/** The `poolkit` sub-commands, in the order `poolkit --help` lists them. */
import type { CommandSpec } from './args.js';
import { benchCommand, benchSpec } from './bench/command.js';
import { compareCommand, compareSpec } from './bench/compare.js';
import { demoCommand, demoSpec } from './demo.js';
import type { Io } from './io.js';
import { infoCommand, infoSpec } from './info.js';
import { kmeansCommand, kmeansSpec } from './kmeans.js';
import { serveCommand, serveSpec } from './serve.js';
import { wordcountCommand, wordcountSpec } from './wordcount.js';
import { workerCommand, workerSpec } from './worker.js';

export interface Command {
  spec: CommandSpec;
  run: (argv: readonly string[], io: Io) => Promise<number>;
  /** Commands under this one (`bench compare`), for `poolkit help bench compare`. */
  sub?: Readonly<Record<string, Command>>;
}

export const commands: Readonly<Record<string, Command>> = {
  info: { spec: infoSpec, run: infoCommand },
  demo: { spec: demoSpec, run: demoCommand },
  kmeans: { spec: kmeansSpec, run: kmeansCommand },
  wordcount: { spec: wordcountSpec, run: wordcountCommand },
  serve: { spec: serveSpec, run: serveCommand },
  bench: { spec: benchSpec, run: benchCommand, sub: { compare: { spec: compareSpec, run: compareCommand } } },
  worker: { spec: workerSpec, run: workerCommand },
};
