/** poolkit for browsers: installs the Web Worker and navigator.gpu adapters, then exports the public API. */
import { setPlatform } from './core/platform.js';
import { browserPlatform } from './core/browser.js';
import { setDefaultGpuProvider } from './gpu/provider.js';
import { browserGpuProvider } from './gpu/browser.js';

setPlatform(browserPlatform);
setDefaultGpuProvider(browserGpuProvider);

export * from './api.js';
