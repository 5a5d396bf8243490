/** What a command writes to: the terminal in `main.ts`, a buffer in tests. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}
