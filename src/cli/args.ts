/**
 * The one argument parser of every `poolkit` command: `node:util.parseArgs` (strict) over a declared spec, with its
 * errors rewritten as one-line `UsageError`s that name the argument as the user wrote it and what was expected.
 */
import { parseArgs } from 'node:util';
import { PoolkitError } from '../core/errors.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

/** One `--name` option. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help (`K`, `DIR`); string options only. */
  value?: string;
  /** One line for the help text. */
  help: string;
}

/** What a command accepts, and the text of its help. */
export interface CommandSpec {
  /** As typed after `poolkit` (`kmeans`, `bench compare`). */
  name: string;
  /** One line for `poolkit --help`. */
  summary: string;
  /** Positional arguments as shown in the usage line (`FILE`, `A.json B.json`). */
  positionals: readonly string[];
  /** How many of them are optional at the end (default 0). */
  optionalPositionals?: number;
  options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs after the options in help (examples, output format). */
  details?: string;
}

/** Options every command takes. */
const COMMON: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  debug: { type: 'boolean', help: 'print stack traces of unexpected errors' },
};

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `argv` against `spec`; throws `UsageError`. With `--help` the positionals are not checked. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = { ...spec.options, ...COMMON };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          o.short ? { type: o.type, short: o.short } : { type: o.type },
        ]),
      ),
    });
  } catch (e) {
    throw translate(e, spec, argv);
  }
  const values = parsed.values as ParsedArgs['values'];
  const positionals = parsed.positionals;
  if (!values.help) {
    const max = spec.positionals.length;
    const min = max - (spec.optionalPositionals ?? 0);
    if (positionals.length < min)
      throw new UsageError(
        `expected ${spec.positionals.join(' ')}, got ${positionals.length ? positionals.join(' ') : 'nothing'} (see poolkit ${spec.name} --help)`,
        `missing ${spec.positionals[positionals.length]}`,
      );
    if (positionals.length > max) {
      throw new UsageError(
        `expected ${max ? spec.positionals.join(' ') : 'no arguments'}, got ${positionals.join(' ')}`,
        `unexpected argument '${positionals[max]}'`,
      );
    }
  }
  return { values, positionals };
}

/** parseArgs' multi-line errors as one line each. */
function translate(e: unknown, spec: CommandSpec, argv: readonly string[]): Error {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  const name = /'(-[^' ]+)/.exec(message)?.[1] ?? '?';
  const known = Object.keys(spec.options).map((o) => `--${o}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(
      `unknown option, expected ${known.length ? `one of ${known.join(', ')}` : 'no options'} (see poolkit ${spec.name} --help)`,
      name,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message))
      return new UsageError(
        `expected no value, got '${/=(.*)$/.exec(argv.find((a) => a.startsWith(`${name}=`)) ?? '')?.[1] ?? ''}'`,
        name,
      );
    if (/ambiguous/.test(message)) {
      const next = argv[argv.indexOf(name) + 1] ?? '';
      return new UsageError(
        `expected a value, got the option-like '${next}' (write ${name}=${next} for a value that starts with -)`,
        name,
      );
    }
    return new UsageError('expected a value, got none', name);
  }
  return e instanceof Error ? e : new Error(message);
}

/** An integer argument ≥ `min` (`alternative`: what else the argument takes, for the message). */
export function integerArg(value: string, name: string, min: number, alternative?: string): number {
  const v = Number(value);
  if (!/^[+-]?\d+$/.test(value.trim()) || v < min)
    throw new UsageError(`expected an integer ≥ ${min}${alternative ? ` ${alternative}` : ''}, got '${value}'`, name);
  return v;
}

/** A finite number ≥ `min`. */
export function numberArg(value: string, name: string, min = -Infinity): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < min)
    throw new UsageError(`expected a number${min > -Infinity ? ` ≥ ${min}` : ''}, got '${value}'`, name);
  return v;
}

/** One of `allowed`. */
export function choiceArg<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`expected one of ${allowed.join(', ')}, got '${value}'`, name);
  return value as T;
}

/** The help text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const entries = Object.entries({ ...spec.options, ...COMMON }).map(
    ([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`, o.help] as const,
  );
  const width = Math.max(...entries.map(([l]) => l.length));
  const lines = [
    `usage: poolkit ${spec.name}${spec.positionals.length ? ` ${spec.positionals.join(' ')}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'options:',
  ];
  for (const [left, help] of entries) lines.push(`  ${left.padEnd(width)}  ${help}`);
  if (spec.details) lines.push('', spec.details);
  return lines.join('\n');
}

/**
 * Parses `argv`, answers `--help`, runs `body`, and turns usage errors and poolkit's bad-input errors into one line
 * on stderr and exit code 2. Anything else propagates to `main`, which exits 1.
 */
export async function runCommand(
  spec: CommandSpec,
  argv: readonly string[],
  io: Io,
  body: (args: ParsedArgs) => Promise<number>,
): Promise<number> {
  try {
    const args = parseCommand(spec, argv);
    if (args.values.help) {
      io.stdout(formatHelp(spec));
      return 0;
    }
    return await body(args);
  } catch (e) {
    if (isBadInput(e)) {
      io.stderr(`poolkit ${spec.name}: ${(e as Error).message.split('\n')[0]}`);
      return 2;
    }
    throw e;
  }
}

/** A usage error, or a poolkit error about the user's input (bad option values, unreadable data). */
export function isBadInput(e: unknown): boolean {
  return e instanceof UsageError || (e instanceof PoolkitError && e.code === 'ERR_INVALID_ARGUMENT');
}
