/** `poolkit bench <pool|kmeans|wordcount|all> [--json] [--quick]`: runs the side-by-side benchmarks in bench/. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io } from './io.js';

const SUITES = ['pool', 'kmeans', 'wordcount'];
/** Run by name only (not by `all`): on a machine without a GPU it measures a software adapter. */
const EXTRA = ['kmeans-gpu'];

export async function benchCommand(argv: string[], io: Io): Promise<number> {
  const [which, ...flags] = argv;
  const bad = flags.find((f) => f !== '--json' && f !== '--quick' && f !== '--large');
  if (!which || (which !== 'all' && !SUITES.includes(which) && !EXTRA.includes(which)) || bad) {
    io.stderr(`poolkit bench: expected one of ${[...SUITES, ...EXTRA, 'all'].join(', ')} then [--json] [--quick]${bad ? `; unknown flag ${bad}` : ''}`);
    return 2;
  }
  for (const suite of which === 'all' ? SUITES : [which]) {
    const script = fileURLToPath(new URL(`../../bench/${suite}.mjs`, import.meta.url));
    if (!existsSync(script)) {
      io.stderr(`poolkit bench: ${script} not found (benchmarks run from a checkout of the repository)`);
      return 2;
    }
    const r = spawnSync(process.execPath, [script, ...flags], { stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
  }
  return 0;
}
