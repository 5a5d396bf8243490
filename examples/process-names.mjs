// Python course: a doubler Process per number, each printing its own name (current_process().name).
import { Process, Queue, task } from 'poolkit';

const out = new Queue();
const doubler = task(new URL('./tasks.mjs', import.meta.url), 'doubler');
const procs = [5, 10, 15, 20].map((n, i) => new Process({ target: doubler, args: [n, out], name: `Process-${i + 1}` }));
for (const p of procs) p.start();
await Promise.all(procs.map((p) => p.join()));
const lines = procs.map(() => out.get({ timeout: 5000 })).sort();
for (const line of lines) console.log(line);
