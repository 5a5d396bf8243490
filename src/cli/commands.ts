/** The `poolkit` sub-commands, in the order `poolkit --help` lists them. */
import type { CommandSpec } from './args.js';
import { benchCommand, benchSpec } from './bench.js';
import { demoCommand, demoSpec } from './demo.js';
import type { Io } from './io.js';
import { kmeansCommand, kmeansSpec } from './kmeans.js';
import { wordcountCommand, wordcountSpec } from './wordcount.js';

export interface Command {
  spec: CommandSpec;
  run: (argv: readonly string[], io: Io) => Promise<number>;
}

export const commands: Readonly<Record<string, Command>> = {
  demo: { spec: demoSpec, run: demoCommand },
  kmeans: { spec: kmeansSpec, run: kmeansCommand },
  wordcount: { spec: wordcountSpec, run: wordcountCommand },
  bench: { spec: benchSpec, run: benchCommand },
};
