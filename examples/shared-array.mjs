// Python course: a shared Array('d', ...) doubled in place by several processes, and a Value('i', 0) incremented
// under its lock by 4 processes x 10,000 (40,000).
import { Process, SharedArray, Value } from 'poolkit';

const arr = SharedArray('d', [1, 2, 3, 4, 5, 6, 7, 8]);
const half = arr.length / 2;
const double = (arr, from, to) => {
  for (let i = from; i < to; i++) arr[i] *= 2;
};
const procs = [
  new Process({ target: double, args: [arr, 0, half] }),
  new Process({ target: double, args: [arr, half, arr.length] }),
];
for (const p of procs) p.start();
await Promise.all(procs.map((p) => p.join()));
console.log('doubled:', [...arr].join(' '));

const counter = new Value('i', 0);
const add = (v, n) => {
  for (let i = 0; i < n; i++) {
    v.getLock().acquire();
    v.value += 1;
    v.getLock().release();
  }
};
const adders = [0, 1, 2, 3].map(() => new Process({ target: add, args: [counter, 10_000] }));
for (const p of adders) p.start();
await Promise.all(adders.map((p) => p.join()));
console.log('counter:', counter.value);
