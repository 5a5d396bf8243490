/** What a command writes to: the process's streams in `main.ts`, buffers in tests. */
export interface Io {
  /** One line (or several) of the command's result: a table, JSON. */
  stdout: (s: string) => void;
  /** Messages and errors, one line each. */
  stderr: (s: string) => void;
  /**
   * The terminal behind stderr when it is one: progress displays redraw there in place. Absent when stderr is a
   * file or a pipe, and in tests, where progress is one plain line per finished step.
   */
  terminal?: NodeJS.WriteStream;
}

/** The Io of the running process. */
export function processIo(): Io {
  const line = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s.endsWith('\n') ? s : `${s}\n`);
  return {
    stdout: line(process.stdout),
    stderr: line(process.stderr),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
  };
}
