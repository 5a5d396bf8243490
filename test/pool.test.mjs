// The Pool suite (test/suites/pool.mjs) on worker_threads; test/browser/suites.test.mjs runs it on Web Workers.
import assert from 'node:assert/strict';
import * as poolkit from '../dist/index.js';
import poolSuite from './suites/pool.mjs';
import { nodeEnv } from './suites/node-env.mjs';

poolSuite({ poolkit, describe, it, before, after, assert, env: nodeEnv });
