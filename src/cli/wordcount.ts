/**
 * `poolkit wordcount FILE [--top N|all] [--threads T] [--backend B] [--json]`.
 * Prints the top words (default 20) as a table, or one JSON object `{total, unique, bytes, seconds, top}` with
 * `--json`. Exit 0 on success, 2 with a one-line message for bad arguments or bad input.
 */
import { wordCount, type WordCountBackend } from '../wordcount/wordcount.js';
import { UsageError } from './usage-error.js';

/** Where the command writes. */
export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

interface Parsed {
  file: string;
  top: number;
  threads: number | undefined;
  backend: WordCountBackend;
  json: boolean;
}

const USAGE = 'usage: poolkit wordcount FILE [--top N|all] [--threads T] [--backend auto|js|wasm] [--json]';

function parse(argv: string[]): Parsed {
  let file: string | undefined;
  let top = 20;
  let threads: number | undefined;
  let backend: WordCountBackend = 'auto';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--json':
        json = true;
        break;
      case '--top': {
        const v = next();
        if (v === 'all') top = Infinity;
        else if (/^\d+$/.test(v)) top = Number(v);
        else throw new UsageError(`--top: expected a non-negative integer or 'all', got '${v}'`);
        break;
      }
      case '--threads': {
        const v = next();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--threads: expected a positive integer, got '${v}'`);
        threads = Number(v);
        break;
      }
      case '--backend': {
        const v = next();
        if (v !== 'auto' && v !== 'js' && v !== 'wasm') throw new UsageError(`--backend: expected auto, js or wasm, got '${v}'`);
        backend = v;
        break;
      }
      case '-h':
      case '--help':
        throw new UsageError(USAGE);
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        if (file !== undefined) throw new UsageError(`one FILE expected, got '${file}' and '${arg}'`);
        file = arg;
    }
  }
  if (file === undefined) throw new UsageError(`missing FILE; ${USAGE}`);
  return { file, top, threads, backend, json };
}

/** Runs the command; resolves with the exit code. */
export async function wordcountCommand(argv: string[], io: CommandIo): Promise<number> {
  const t0 = performance.now();
  let opts: Parsed;
  try {
    opts = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`poolkit wordcount: ${e.message}`);
      return 2;
    }
    throw e;
  }
  let result;
  try {
    result = await wordCount({ path: opts.file }, { threads: opts.threads, backend: opts.backend });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_INVALID_ARGUMENT') {
      io.stderr(`poolkit wordcount: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
  const top = result.top(opts.top);
  const seconds = (performance.now() - t0) / 1000;
  if (opts.json) {
    io.stdout(JSON.stringify({ total: result.total, unique: result.unique, bytes: result.bytes, seconds: +seconds.toFixed(4), top }));
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
