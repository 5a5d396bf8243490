/** Seeded generated data shared by the tests, the benchmarks and the demo (same seed, same data, on every platform). */
export { seededRandom, gaussian, type Random } from './random.js';
export { gaussianBlobs, firstRowOfEachBlob, type BlobsOptions, type Blobs } from './blobs.js';
export { zipfText, zipfTextChunks, mixedScriptVocabulary, type ZipfTextOptions } from './zipf.js';
