// Python course: Manager().dict() filled by processes, keyed by their ident, printed by the parent.
import { Manager, Process, task } from 'poolkit';

const manager = new Manager();
const d = manager.dict();
const procs = [0, 1, 2, 3].map(
  (i) => new Process({ target: task(new URL('./tasks.mjs', import.meta.url), 'recordIdent'), args: [d, i] }),
);
for (const p of procs) p.start();
await Promise.all(procs.map((p) => p.join()));
console.log('entries:', d.size);
for (const [ident, who] of [...d.entries()].sort((a, b) => a[0] - b[0])) console.log(ident, who);
await manager.shutdown();
