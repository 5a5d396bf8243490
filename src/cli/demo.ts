/** `poolkit demo`: the README's main job on built-in data. */
import { Pool } from '../index.js';
import type { Io } from './main.js';

export async function demoCommand(_argv: string[], io: Io): Promise<number> {
  const pool = new Pool();
  try {
    const t0 = performance.now();
    const squares = await pool.map((x: number) => x * x, Array.from({ length: 100_000 }, (_, i) => i));
    const sum = squares.reduce((a, b) => a + b, 0);
    io.stdout(`pool.map over 100,000 items on ${pool.size} workers: sum of squares = ${sum} (${(performance.now() - t0).toFixed(1)} ms)`);
  } finally {
    await pool.terminate();
  }
  return 0;
}
