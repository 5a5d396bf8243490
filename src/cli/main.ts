#!/usr/bin/env node
/**
 * The `poolkit` command: global flags (`--version`, `--help`, `--debug`), `help <command>`, and dispatch to one module
 * per sub-command. Exit 0 on success, 2 on bad arguments or input (one line), 1 on an unexpected failure (one line;
 * the stack trace with `--debug`).
 */
import '../index.js';
import { formatHelp, isBadInput } from './args.js';
import { commands } from './commands.js';
import { processIo, type Io } from './io.js';
import { packageVersion } from './package-root.js';

function usage(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: poolkit <command> [options]',
    '       poolkit --version | --help | help <command>',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.spec.summary}`),
    '',
    'every command takes --help; --debug prints the stack trace of an unexpected error',
  ].join('\n');
}

const expectedCommand = () => `expected one of ${Object.keys(commands).join(', ')} (see poolkit --help)`;

async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(packageVersion());
    return 0;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(usage());
    return 0;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      io.stdout(usage());
      return 0;
    }
    const top = Object.hasOwn(commands, rest[0]!) ? commands[rest[0]!] : undefined;
    const command =
      rest.length === 2 && top?.sub && Object.hasOwn(top.sub, rest[1]!)
        ? top.sub[rest[1]!]
        : rest.length === 1
          ? top
          : undefined;
    if (!command) {
      io.stderr(`poolkit help: '${rest.join(' ')}' is not a command, ${expectedCommand()}`);
      return 2;
    }
    io.stdout(formatHelp(command.spec));
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr(`poolkit: unknown ${name.startsWith('-') ? 'option' : 'command'} '${name}', ${expectedCommand()}`);
    return 2;
  }
  return command.run(rest, io);
}

const argv = process.argv.slice(2);
const end = argv.indexOf('--');
const debug = argv.slice(0, end < 0 ? undefined : end).includes('--debug');
const io = processIo();
main(debug ? argv.filter((a, i) => a !== '--debug' || (end >= 0 && i > end)) : argv, io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    if (debug) io.stderr(err.stack ?? err.message);
    else if (isBadInput(err)) io.stderr(`poolkit: ${err.message.split('\n')[0]}`);
    else
      io.stderr(
        `poolkit: unexpected error: ${err.message.split('\n')[0]} (run again with --debug for the stack trace)`,
      );
    process.exitCode = isBadInput(err) ? 2 : 1;
  },
);
