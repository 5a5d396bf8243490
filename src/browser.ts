/** poolkit for browsers: installs the Web Worker adapter, then exports the public API. */
import { setPlatform } from './pool/platform.js';
import { browserPlatform } from './pool/browser.js';

setPlatform(browserPlatform);

export * from './api.js';
