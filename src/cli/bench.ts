/** `poolkit bench <pool|kmeans|wordcount|all> [--json] [--quick]`: runs the side-by-side benchmarks in bench/. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { choiceArg, runCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

const SUITES = ['pool', 'kmeans', 'wordcount'];
/** Run by name only (not by `all`): on a machine without a GPU it measures a software adapter. */
const EXTRA = ['kmeans-gpu'];

export const benchSpec: CommandSpec = {
  name: 'bench',
  summary: 'poolkit and its peers side by side (pool, kmeans, wordcount, all)',
  positionals: ['SUITE'],
  options: {
    quick: { type: 'boolean', help: 'small sizes, a smoke run' },
    json: { type: 'boolean', help: 'print the results as JSON' },
    fast: { type: 'boolean', help: 'kmeans: leave out the slow js and ml-kmeans contenders' },
    large: { type: 'boolean', help: 'kmeans-gpu: add the large cases (for a hardware GPU)' },
  },
};

export function benchCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommand(benchSpec, argv, io, async ({ values, positionals }) => {
    const which = choiceArg(positionals[0]!, 'SUITE', [...SUITES, ...EXTRA, 'all']);
    const flags = (['quick', 'json', 'fast', 'large'] as const).filter((f) => values[f]).map((f) => `--${f}`);
    for (const suite of which === 'all' ? SUITES : [which]) {
      const script = fileURLToPath(new URL(`../../bench/${suite}.mjs`, import.meta.url));
      if (!existsSync(script)) throw new UsageError(`${script} not found (benchmarks run from a checkout of the repository)`, suite);
      const r = spawnSync(process.execPath, [script, ...flags], { stdio: 'inherit' });
      if (r.status !== 0) return r.status ?? 1;
    }
    return 0;
  });
}
