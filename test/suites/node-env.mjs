// The environment the shared suites (test/suites/) get under Node: worker_threads, shared memory always available.
export const nodeEnv = {
  platform: 'node',
  isolated: true,
  fixtures: { tasks: new URL('../fixtures/tasks.mjs', import.meta.url) },
  heapUsed: () => process.memoryUsage().heapUsed,
  gc: globalThis.gc,
};
