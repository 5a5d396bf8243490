/**
 * The benchmark suites (bench/*.mjs in a checkout of the repository) and how one runs: a child Node process with
 * `--json`, its events on file descriptor 3 (POOLKIT_BENCH_EVENTS_FD), its JSON document on stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { packageDir } from '../package-root.js';
import type { BenchEvent } from './progress.js';

/** The suites `all` runs, in order. */
export const SUITES = ['pool', 'kmeans', 'wordcount', 'toolbox'] as const;
/** Run by name only: without a GPU it measures a software adapter. */
export const EXTRA_SUITES = ['kmeans-gpu'] as const;
export type SuiteName = (typeof SUITES)[number] | (typeof EXTRA_SUITES)[number];

const DICTIONARY = '/usr/share/dict/american-english';

/** The suite's script, or null when this build has none (an installed package carries no bench/). */
export function suiteScript(suite: SuiteName): string | null {
  const path = join(packageDir(), 'bench', `${suite}.mjs`);
  return existsSync(path) ? path : null;
}

/** Why the suite cannot run here, or null. */
export function suiteUnavailable(suite: SuiteName): string | null {
  if (suiteScript(suite) === null) {
    if (suiteScript('pool') === null)
      return 'the benchmarks run from a checkout of the poolkit repository (bench/ is not in the package)';
    return `no bench/${suite}.mjs in this checkout`;
  }
  if (suite === 'wordcount' && !existsSync(DICTIONARY))
    return `needs ${DICTIONARY} for its words (Debian: apt-get install wamerican)`;
  return null;
}

/** Runs one suite; resolves with its JSON document, rejects with the last lines of its stderr. */
export function runSuite(
  suite: SuiteName,
  flags: readonly string[],
  onEvent: (e: BenchEvent) => void,
): Promise<Record<string, unknown>> {
  const script = suiteScript(suite)!;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--json', ...flags], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, POOLKIT_BENCH_EVENTS_FD: '3' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const events = child.stdio[3] as NodeJS.ReadableStream;
    createInterface({ input: events }).on('line', (line) => {
      try {
        onEvent(JSON.parse(line) as BenchEvent);
      } catch {
        // A line that is not an event (a suite writing to fd 3 itself) is not progress.
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
        reject(new Error(`bench/${suite}.mjs exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`));
        return;
      }
      try {
        const lines = stdout.trim().split('\n');
        resolve(JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>);
      } catch {
        reject(new Error(`bench/${suite}.mjs printed no JSON document`));
      }
    });
  });
}
