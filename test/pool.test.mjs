// The Pool suite (test/suites/pool.mjs) on worker_threads and on child processes (isolation: 'process');
// test/browser/suites.test.mjs runs it on Web Workers.
import assert from 'node:assert/strict';
import * as poolkit from '../dist/index.js';
import poolSuite from './suites/pool.mjs';
import { nodeEnv } from './suites/node-env.mjs';

for (const isolation of ['thread', 'process']) {
  describe(`isolation: ${isolation}`, function () {
    poolSuite({
      poolkit,
      describe,
      it,
      before,
      after,
      assert,
      env: { ...nodeEnv, poolOptions: { isolation }, sharesMemory: isolation === 'thread' },
    });
  });
}
