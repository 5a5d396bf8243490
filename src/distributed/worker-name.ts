/**
 * The name a worker process gives its BullMQ worker: it carries the process's thread count, so the host's
 * `stats()` can count remote processes and threads from Redis's client list alone.
 */
import { hostname } from 'node:os';

export function workerName(threads: number): string {
  return `poolkit_t${threads}_${hostname()}_${process.pid}`;
}

/** The process id and threads in a client name that ends with a worker name; undefined for other clients. */
export function parseWorkerName(clientName: string): { id: string; threads: number } | undefined {
  const m = /:w:poolkit_t(\d+)_(.+)$/.exec(clientName);
  return m ? { id: m[2]!, threads: Number(m[1]) } : undefined;
}
