/** poolkit for Node: installs the worker_threads and Dawn (`webgpu` package, optional) adapters, then exports the API. */
import { setPlatform } from './pool/platform.js';
import { nodePlatform } from './pool/node.js';
import { setGpuProvider } from './gpu/provider.js';
import { nodeGpuProvider } from './gpu/node.js';

setPlatform(nodePlatform);
setGpuProvider(nodeGpuProvider);

export * from './api.js';
