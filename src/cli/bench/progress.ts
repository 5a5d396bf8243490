/**
 * Progress of a benchmark run on stderr, from the events the suites write (bench/lib/harness.mjs). On a terminal:
 * one bar per contender (what runs, repetition i of n, elapsed), redrawn in place by log-update. Otherwise: one plain
 * line per finished, skipped or failed contender, so logs stay readable.
 */
import { createLogUpdate } from 'log-update';
import type { Io } from '../io.js';

/** One line of a suite's event stream. */
export type BenchEvent =
  | { event: 'log'; text: string }
  | { event: 'group'; names: string[]; reps: number; warmup: number }
  | { event: 'run' | 'ran'; name: string; rep: number; reps: number; warmup: boolean; seconds?: number }
  | { event: 'done'; name: string; median: number; min: number; max: number }
  | { event: 'skip' | 'failed'; name: string; reason: string }
  | { event: 'table'; title: string };

export interface Progress {
  event(suite: string, e: BenchEvent): void;
  /** A line that is not progress (a suite skipped, a warning). */
  note(text: string): void;
  end(): void;
}

export function createProgress(io: Io): Progress {
  return io.terminal ? liveProgress(io.terminal) : plainProgress(io);
}

const seconds = (s: number) =>
  s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`;
const plural = (n: number | undefined) => (n === 1 ? '1 rep' : `${n ?? '?'} reps`);
/** Indented log lines are details the bars already show (rounds, skips). */
const isHeading = (text: string) => !/^\s/.test(text) && text.trim() !== '';

function plainProgress(io: Io): Progress {
  const reps = new Map<string, number>();
  return {
    event(suite, e) {
      if (e.event === 'log' && isHeading(e.text)) io.stderr(`bench ${suite}: ${e.text}`);
      else if (e.event === 'group') for (const n of e.names) reps.set(n, e.reps);
      else if (e.event === 'done')
        io.stderr(
          `bench ${suite}: ${e.name}: ${plural(reps.get(e.name))}, median ${seconds(e.median)} (min ${seconds(e.min)}, max ${seconds(e.max)})`,
        );
      else if (e.event === 'skip') io.stderr(`bench ${suite}: ${e.name}: skipped: ${e.reason}`);
      else if (e.event === 'failed') io.stderr(`bench ${suite}: ${e.name}: failed: ${e.reason}`);
    },
    note: (text) => io.stderr(text),
    end() {},
  };
}

interface Row {
  name: string;
  /** `queued`: between its turns in the interleaved rounds. */
  state: 'queued' | 'warm-up' | 'running' | 'done' | 'skipped' | 'failed';
  /** The repetition running now, and how many timed ones have finished. */
  rep: number;
  completed: number;
  reps: number;
  /** Seconds spent in finished runs, and when the current one started. */
  spent: number;
  since: number;
  text: string;
}

function liveProgress(terminal: NodeJS.WriteStream): Progress {
  const update = createLogUpdate(terminal, { showCursor: false });
  let rows: Row[] = [];
  let title = '';
  let timer: NodeJS.Timeout | undefined;
  const settled = () => rows.every((r) => r.state === 'done' || r.state === 'skipped' || r.state === 'failed');

  const render = () => {
    if (!rows.length) return;
    const columns = terminal.columns || 80;
    const nameWidth = Math.min(Math.max(...rows.map((r) => r.name.length)), Math.max(12, columns - 48));
    const barWidth = Math.max(8, Math.min(24, columns - nameWidth - 30));
    const lines = [title];
    for (const r of rows) {
      const fill = r.reps ? Math.round((Math.min(r.completed, r.reps) / r.reps) * barWidth) : 0;
      const bar =
        r.state === 'skipped' || r.state === 'failed'
          ? ' '.repeat(barWidth)
          : `${'█'.repeat(fill)}${'░'.repeat(barWidth - fill)}`;
      const elapsed =
        r.spent + (r.state === 'running' || r.state === 'warm-up' ? (performance.now() - r.since) / 1000 : 0);
      const status =
        r.state === 'queued'
          ? `${r.completed}/${r.reps} reps  ${elapsed.toFixed(1)} s`
          : r.state === 'warm-up'
            ? `warm-up  ${elapsed.toFixed(1)} s`
            : r.state === 'running'
              ? `rep ${r.rep}/${r.reps}  ${elapsed.toFixed(1)} s`
              : r.text;
      const name = r.name.length > nameWidth ? `${r.name.slice(0, nameWidth - 1)}…` : r.name.padEnd(nameWidth);
      lines.push(`  ${name} ${bar} ${status}`.slice(0, columns - 1));
    }
    update(lines.join('\n'));
  };
  const persist = () => {
    if (rows.length) {
      render();
      update.done();
    }
    rows = [];
  };
  const find = (name: string) => rows.find((r) => r.name === name);
  let pendingSkips: Row[] = [];

  return {
    event(suite, e) {
      switch (e.event) {
        case 'log':
          if (!isHeading(e.text)) return;
          if (settled()) persist();
          update.clear();
          terminal.write(`bench ${suite}: ${e.text}\n`);
          break;
        case 'skip':
          pendingSkips.push({
            name: e.name,
            state: 'skipped',
            rep: 0,
            completed: 0,
            reps: 0,
            spent: 0,
            since: 0,
            text: `skipped: ${e.reason}`,
          });
          return;
        case 'group':
          persist();
          rows = [
            ...e.names.map(
              (name): Row => ({
                name,
                state: 'queued',
                rep: 0,
                completed: 0,
                reps: e.reps,
                spent: 0,
                since: 0,
                text: '',
              }),
            ),
            ...pendingSkips,
          ];
          pendingSkips = [];
          title = `bench ${suite}: ${e.names.length} contenders, ${e.warmup} warm-up + ${e.reps} reps each, interleaved`;
          timer ??= setInterval(render, 250).unref();
          break;
        case 'run': {
          const r = find(e.name);
          if (r) Object.assign(r, { state: e.warmup ? 'warm-up' : 'running', rep: e.rep, since: performance.now() });
          break;
        }
        case 'ran': {
          const r = find(e.name);
          if (r)
            Object.assign(r, {
              state: 'queued',
              spent: r.spent + (performance.now() - r.since) / 1000,
              completed: e.warmup ? 0 : e.rep,
            });
          break;
        }
        case 'done': {
          const r = find(e.name);
          if (r)
            Object.assign(r, {
              state: 'done',
              text: `done  median ${seconds(e.median)} (${seconds(e.min)}–${seconds(e.max)})`,
            });
          break;
        }
        case 'failed': {
          const r = find(e.name);
          if (r) Object.assign(r, { state: 'failed', text: `failed: ${e.reason}` });
          break;
        }
        case 'table':
          return;
      }
      render();
    },
    note(text) {
      update.clear();
      terminal.write(`${text}\n`);
      render();
    },
    end() {
      if (timer) clearInterval(timer);
      persist();
    },
  };
}
