/** poolkit for browsers: installs the Web Worker and navigator.gpu adapters, then exports the public API. */
import { setPlatform } from './pool/platform.js';
import { browserPlatform } from './pool/browser.js';
import { setGpuProvider } from './gpu/provider.js';
import { browserGpuProvider } from './gpu/browser.js';

setPlatform(browserPlatform);
setGpuProvider(browserGpuProvider);

export * from './api.js';
