/** Word count: the public part of src/wordcount/ (re-exported by src/api.ts). */
export { wordCount } from './wordcount.js';
export type { WordCountOptions, WordCountBackend, WordCountProgress } from './wordcount.js';
export type { WordCounts } from './result.js';
