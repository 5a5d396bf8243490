/** poolkit for Node: installs the worker_threads and Dawn (`webgpu` package, optional) adapters, then exports the API. */
import { setPlatform } from './core/platform.js';
import { nodePlatform } from './core/node.js';
import { setDefaultGpuProvider } from './gpu/provider.js';
import { nodeGpuProvider } from './gpu/node.js';

setPlatform(nodePlatform);
setDefaultGpuProvider(nodeGpuProvider);

export * from './api.js';
