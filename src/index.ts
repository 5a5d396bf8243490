/** poolkit for Node: installs the worker_threads adapter, then exports the public API. */
import { setPlatform } from './pool/platform.js';
import { nodePlatform } from './pool/node.js';

setPlatform(nodePlatform);

export * from './api.js';
