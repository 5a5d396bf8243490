// Python course: exchanging objects through a Queue and a Pipe, synchronising with a Barrier, killing a process.
import { Barrier, Pipe, Process, Queue } from 'poolkit';

const q = new Queue();
const producer = new Process({
  target: (q) => {
    for (let i = 0; i < 3; i++) q.put({ item: i });
    q.put(null);
  },
  args: [q],
});
producer.start();
for (let m = await q.getAsync(); m !== null; m = await q.getAsync()) console.log('queue got', JSON.stringify(m));
await producer.join();

const [parent, child] = Pipe();
const echo = new Process({
  target: (conn) => {
    conn.send(['hello', conn.recv()]);
    conn.close();
  },
  args: [child],
});
echo.start();
parent.send('from parent');
console.log('pipe got', JSON.stringify(await parent.recvAsync(5000)));
await echo.join();

const barrier = new Barrier(3);
const parties = [0, 1, 2].map(() => new Process({ target: (b) => b.wait(5000), args: [barrier] }));
for (const p of parties) p.start();
await Promise.all(parties.map((p) => p.join()));
console.log(
  'barrier indexes',
  parties
    .map((p) => p.result)
    .sort()
    .join(' '),
);

const stuck = new Process({
  target: () => {
    for (;;);
  },
  name: 'stuck',
});
stuck.start();
await stuck.join(50);
await stuck.kill();
console.log('killed', stuck.name, 'alive:', stuck.isAlive(), 'exitCode:', stuck.exitCode);
